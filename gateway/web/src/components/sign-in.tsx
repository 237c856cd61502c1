// Where a page needs someone signed in: "Đăng nhập" takes the person to the city's sign-in page and
// back to this page, the one they came for (or, when their session was lost, signs them in again in
// a window of its own, the page kept).
// Where the gateway allows it (DASHBOARD_TOKEN_PASTE, a developer's switch), a token may be pasted
// instead, kept for this tab only.
import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import type { SignInRequired } from "../graphql/client.js";
import { useI18n } from "../i18n.js";
import { session } from "../session/session.js";
import { SignInAgain } from "./session-lost.js";

export function SignInPanel({
  reason,
  onCancel,
}: {
  reason: SignInRequired["reason"];
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [location] = useLocation();
  return (
    <section className="sign-in" aria-labelledby="sign-in-title" data-testid="sign-in-panel">
      <h2 id="sign-in-title">{t("signInTitle")}</h2>
      {reason === "rejected" && (
        <p className="failure" role="alert">
          {/* a pasted token refused is forgotten; a person's sign-in stays, refused */}
          {t(session.state().person ? "signInRejected" : "tokenRejected")}
        </p>
      )}
      {reason === "lost" ? (
        <SignInAgain />
      ) : session.canSignIn() ? (
        <>
          <p>{t("signInExplain")}</p>
          <button
            type="button"
            className="primary"
            onClick={() => void session.signIn(`${location}${window.location.search}`)}
            data-testid="sign-in"
          >
            {t("signIn")}
          </button>
        </>
      ) : (
        !session.canPaste() && <p>{t("signInUnavailable")}</p>
      )}
      {session.canPaste() && <PasteToken onCancel={onCancel} />}
    </section>
  );
}

/** A developer's way in: a token pasted (npm run token), kept for this tab only. */
function PasteToken({ onCancel }: { onCancel?: (() => void) | undefined }) {
  const { t } = useI18n();
  const [token, setToken] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, "");
    if (value) session.paste(value);
  };
  return (
    <form className="sign-in paste-token" onSubmit={submit} aria-labelledby="paste-title">
      <h3 id="paste-title">{t("pasteTitle")}</h3>
      <p>{t("pasteExplain")}</p>
      <label htmlFor="token">{t("tokenLabel")}</label>
      <textarea
        id="token"
        name="token"
        rows={4}
        spellCheck={false}
        autoComplete="off"
        value={token}
        onChange={(event) => setToken(event.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="primary">
          {t("pasteSubmit")}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t("cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
