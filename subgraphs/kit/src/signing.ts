// Subgraphs accept only the gateway: every request it forwards carries the caller's claims, a
// timestamp and an HMAC-SHA256 signature over both and the body, with a secret shared by the gateway
// and that one subgraph. A subgraph refuses anything unsigned, forged, altered or stale.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export const CLAIMS_HEADER = "x-p06-claims";
export const TIMESTAMP_HEADER = "x-p06-timestamp";
export const SIGNATURE_HEADER = "x-p06-signature";

/** How far a signed request's clock may be from the subgraph's. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export type Role = "agency" | "ioc";

/** Who is calling, as the gateway verified it from the caller's token. */
export interface Claims {
  /** An agency's code, or IOC. */
  sub: string;
  role: Role;
}

function digest(secret: string, timestamp: string, claims: string, body: string | Buffer): Buffer {
  const bodyHash = createHash("sha256").update(body).digest("hex");
  return createHmac("sha256", secret).update(`${timestamp}\n${claims}\n${bodyHash}`).digest();
}

/** Headers that sign a request body for one subgraph; `claims` null for an anonymous read. */
export function signRequest(
  secret: string,
  claims: Claims | null,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const encoded = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const timestamp = String(now);
  return {
    [CLAIMS_HEADER]: encoded,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: digest(secret, timestamp, encoded, body).toString("base64url"),
  };
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export type Verification = { ok: true; claims: Claims | null } | { ok: false; reason: string };

/**
 * Verifies a signed request against any of `secrets` (the current one, and the previous one while a
 * rotation is under way).
 */
export function verifyRequest(
  secrets: string | readonly string[],
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  now = Date.now(),
): Verification {
  const claims = one(headers[CLAIMS_HEADER]);
  const timestamp = one(headers[TIMESTAMP_HEADER]);
  const signature = one(headers[SIGNATURE_HEADER]);
  if (!claims || !timestamp || !signature)
    return { ok: false, reason: "the request is not signed by the gateway" };
  const given = Buffer.from(signature, "base64url");
  const matches = (typeof secrets === "string" ? [secrets] : secrets).some((secret) => {
    const expected = digest(secret, timestamp, claims, rawBody);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, reason: "the request's signature does not match" };
  if (!/^\d{1,15}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: "the request's signature has expired" };
  }
  try {
    const parsed = JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as Claims | null;
    if (
      parsed !== null &&
      (typeof parsed.sub !== "string" || !["agency", "ioc"].includes(parsed.role))
    ) {
      return { ok: false, reason: "the request's claims are malformed" };
    }
    return { ok: true, claims: parsed };
  } catch {
    return { ok: false, reason: "the request's claims are malformed" };
  }
}

/** The caller code the resolvers check writes against: the agency's code, or IOC for the IOC role. */
export function callerOf(claims: Claims | null): string | null {
  if (!claims) return null;
  return claims.role === "ioc" ? "IOC" : claims.sub;
}
