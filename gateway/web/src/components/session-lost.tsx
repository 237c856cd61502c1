// The session could not be renewed: said at the top of every page, with "Đăng nhập lại", which signs
// the person in again in a window of its own. The page stays as it is, figures typed included, and
// what they send after is sent as the person signed in again. Also where going to sign in failed.
import { useState } from "react";
import { useI18n } from "../i18n.js";
import { describeSignInError } from "../error-codes.js";
import { session, useSession } from "../session/session.js";

export function SessionLost() {
  const { t, language } = useI18n();
  const { lost, failure } = useSession();
  if (failure) {
    return (
      <div className="session-lost" role="alert" data-testid="sign-in-failed">
        <p>{t("signInFailed", { reason: describeSignInError(language, failure) })}</p>
      </div>
    );
  }
  if (!lost) return null;
  return (
    <div className="session-lost" role="alert" data-testid="session-lost">
      <SignInAgain />
    </div>
  );
}

export function SignInAgain() {
  const { t, language } = useI18n();
  const [problem, setProblem] = useState<string | null>(null);
  const again = async () => {
    setProblem(null);
    try {
      await session.signInAgain();
    } catch (error) {
      setProblem(describeSignInError(language, error));
    }
  };
  return (
    <>
      <p>{t("sessionLost")}</p>
      <button
        type="button"
        className="primary"
        onClick={() => void again()}
        data-testid="sign-in-again"
      >
        {t("signInAgain")}
      </button>
      {problem && <p role="status">{problem}</p>}
    </>
  );
}
