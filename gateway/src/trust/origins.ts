// Which web pages may call the gateway from a browser. The pages the gateway serves are of its own
// origin and need nothing; a page of another origin is answered (CORS) only when that origin is listed
// (GATEWAY_ALLOWED_ORIGINS), and refused before anything else runs when it is not: a browser would
// not let that page read the answer anyway, and nothing it asks should run.
import type { IncomingMessage, ServerResponse } from "node:http";

/** What a page of an allowed origin may send beyond the simple headers. */
const ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "if-none-match",
  "x-request-id",
  "apollo-require-preflight",
  "x-apollo-operation-name",
].join(", ");

/** What such a page may read of an answer beyond the simple headers. */
const EXPOSED_HEADERS = "etag, retry-after, x-request-id";

export type Refuse = (res: ServerResponse, status: number, code: string, message: string) => void;

/** Whether the request comes from a page of the gateway's own origin. */
function ownOrigin(req: IncomingMessage, origin: string): boolean {
  // the browser's own word, which no page can change; else the origin names the host it asked
  if (req.headers["sec-fetch-site"] === "same-origin") return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * The origin check, run on every request before anything else: true when it answered the request
 * itself (a preflight, or a refusal), false to go on (with the CORS headers set for an allowed
 * origin).
 */
export function originCheck(allowed: readonly string[], refuse: Refuse) {
  const origins = new Set(allowed);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    // no Origin: not a page's cross-origin request (a command, a navigation, a same-origin GET)
    if (origin === undefined || ownOrigin(req, origin)) return false;
    if (!origins.has(origin)) {
      refuse(
        res,
        403,
        "ORIGIN_NOT_ALLOWED",
        `requests from pages of ${origin} are not allowed (GATEWAY_ALLOWED_ORIGINS)`,
      );
      return true;
    }
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("vary", "Origin");
    res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
      res.writeHead(204, {
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": ALLOWED_HEADERS,
        "access-control-max-age": "600",
      });
      res.end();
      return true;
    }
    return false;
  };
}
