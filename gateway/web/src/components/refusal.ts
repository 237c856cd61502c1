// What a page says when the gateway refused a write or a read failed: in the reader's language (the
// code's meaning in Vietnamese, with the message's details).
import { Refusal, SignInRequired } from "../graphql/client.js";
import type { I18n } from "../i18n.js";
import { describeError } from "../error-codes.js";

/** An error's text for the page (a Refusal's first code decides its Vietnamese meaning). */
export function errorMessage(i18n: I18n, error: unknown): string {
  if (error instanceof Refusal) return describeError(i18n.language, error.code, error.message);
  if (error instanceof SignInRequired) return i18n.t("sessionLostShort");
  return error instanceof Error ? error.message : String(error);
}

/** A refused write, as the page says it. */
export function errorText(i18n: I18n, error: unknown): string {
  return i18n.t("refused", { message: errorMessage(i18n, error) });
}
