// Who is calling: the gateway passes the authenticated agency's code in a header.
import type { IncomingHttpHeaders } from "node:http";

export const CALLER_HEADER = "x-p06-agency";

/** The calling agency's code, or null when the request names none. */
export function callerFrom(headers: IncomingHttpHeaders): string | null {
  const value = headers[CALLER_HEADER];
  const code = (Array.isArray(value) ? value[0] : value)?.trim();
  return code && /^[A-Z0-9_]{2,32}$/.test(code) ? code : null;
}
