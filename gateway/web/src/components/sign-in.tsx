// Sign-in where the gateway does not let anonymous callers read: the person pastes a token, which is
// kept for the browser session only (sessionStorage).
import { useState, type FormEvent } from "react";
import { session } from "../graphql/client.js";
import { useI18n } from "../i18n.js";

export function SignInForm({ rejected, onCancel }: { rejected: boolean; onCancel?: () => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, "");
    if (value) session.setToken(value);
  };
  return (
    <form className="sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t("signInTitle")}</h2>
      <p>{t("signInExplain")}</p>
      {rejected && (
        <p className="failure" role="alert">
          {t("tokenRejected")}
        </p>
      )}
      <label htmlFor="token">{t("tokenLabel")}</label>
      <textarea
        id="token"
        name="token"
        rows={4}
        autoFocus
        spellCheck={false}
        autoComplete="off"
        value={token}
        onChange={(event) => setToken(event.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="primary">
          {t("signIn")}
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
