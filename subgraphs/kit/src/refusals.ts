// Refusals made before GraphQL runs (a bad signature, a body the JSON parser refused, a rate limit),
// answered in GraphQL's shape with a code, never as an HTML page.
import type { ServerResponse } from "node:http";
import type { ErrorRequestHandler } from "express";

/** Answers a refusal (Node's own response API: it serves express and plain HTTP handlers alike). */
export function sendRefusal(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(body));
  res.end(body);
}

/** A body the JSON parser refused: oversized is 413 PAYLOAD_TOO_LARGE, malformed 400 BAD_REQUEST. */
export function bodyRefusal(error: {
  type?: string;
  limit?: number;
}): readonly [status: number, code: string, message: string] | null {
  if (error.type === "entity.too.large") {
    return [
      413,
      "PAYLOAD_TOO_LARGE",
      `the request body is larger than ${error.limit ?? "the limit of"} bytes`,
    ];
  }
  if (error.type === "entity.parse.failed")
    return [400, "BAD_REQUEST", "the request body is not valid JSON"];
  return null;
}

/** After `express.json`: its errors answered as `bodyRefusal` says. */
export function jsonBodyErrors(onRefuse: (code: string) => void = () => {}): ErrorRequestHandler {
  return (error: { type?: string; limit?: number }, _req, res, next) => {
    const refusal = bodyRefusal(error);
    if (!refusal) return next(error);
    const [status, code, message] = refusal;
    onRefuse(code);
    sendRefusal(res, status, code, message);
  };
}
