// What a page says when the gateway refused a write: its code and message, in the reader's language.
import { Refusal } from "../graphql/client.js";
import type { I18n } from "../i18n.js";

export function errorText(i18n: I18n, error: unknown): string {
  return i18n.t("refused", {
    message:
      error instanceof Refusal
        ? `${error.code ?? ""} ${error.message}`.trim()
        : error instanceof Error
          ? error.message
          : String(error),
  });
}
