// Refusals made before GraphQL runs (a bad signature, a body the JSON parser refused, a rate limit),
// answered in GraphQL's shape with a code, never as an HTML page.
import type { ErrorRequestHandler, Response } from "express";

export function sendRefusal(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** After `express.json`: an oversized body is 413 PAYLOAD_TOO_LARGE, malformed JSON 400 BAD_REQUEST. */
export function jsonBodyErrors(onRefuse: (code: string) => void = () => {}): ErrorRequestHandler {
  return (error: { type?: string; limit?: number }, _req, res, next) => {
    const refusal =
      error.type === "entity.too.large"
        ? ([
            413,
            "PAYLOAD_TOO_LARGE",
            `the request body is larger than ${error.limit ?? "the limit of"} bytes`,
          ] as const)
        : error.type === "entity.parse.failed"
          ? ([400, "BAD_REQUEST", "the request body is not valid JSON"] as const)
          : null;
    if (!refusal) return next(error);
    onRefuse(refusal[1]);
    const [status, code, message] = refusal;
    sendRefusal(res, status, code, message);
  };
}
