// /dang-nhap: the provider sent the person back with a code. It is exchanged for their tokens, then
// they go where they started, or from the start page to their landing page (an agency's month, the
// IOC's overview). A refusal (cancelled, expired) is said in the reader's language.
import { useEffect, useState } from "react";
import { Link, useLocation } from "wouter";
import { describeSignInError } from "../error-codes.js";
import { useI18n } from "../i18n.js";
import { session } from "../session/session.js";

export default function SignInReturn() {
  const { t, language } = useI18n();
  const [, navigate] = useLocation();
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => {
    session.completeSignIn().then((path) => navigate(path, { replace: true }), setFailure);
  }, []);
  if (!failure) {
    return (
      <p className="loading" role="status">
        <span className="spinner" aria-hidden="true" />
        {t("signingIn")}
      </p>
    );
  }
  return (
    <div className="failure" role="alert" data-testid="sign-in-failed">
      <p>{t("signInFailed", { reason: describeSignInError(language, failure) })}</p>
      <Link href="/">{t("backHome")}</Link>
    </div>
  );
}
