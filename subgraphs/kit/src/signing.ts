// Subgraphs accept only the gateway: every request it forwards carries the caller's claims, a
// timestamp and an HMAC-SHA256 signature over both and the body, with a secret shared by the gateway
// and that one subgraph. A subgraph refuses anything unsigned, forged, altered or stale.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { COMMUNE, rolesFor, type Role } from "./roles.js";

export const CLAIMS_HEADER = "x-p06-claims";
export const TIMESTAMP_HEADER = "x-p06-timestamp";
export const SIGNATURE_HEADER = "x-p06-signature";

/** How far a signed request's clock may be from the subgraph's. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A person, as the city's identity provider names them. */
export interface Person {
  /** Their stable id at the identity provider (the token's subject, e.g. Keycloak's user id). */
  id: string;
  /** Their name as shown (e.g. "Nguyễn Văn A"). */
  name: string;
}

/**
 * Who is calling, as the gateway verified it from the caller's token: the agency (or the IOC) on whose
 * behalf, the roles the token gives, and the person who acts. Authorization goes by the roles and the
 * agency; the person is recorded.
 */
export interface Claims {
  /**
   * On whose behalf: an agency's code, or IOC. (Named `sub` since tokens named only agencies: the
   * signed claims are the contract with every agency's subgraph, so the name stays.)
   */
  sub: string;
  /** What the caller may do (roles.ts): an agency's roles for an agency, the IOC's for IOC. */
  roles: Role[];
  /** Who acts; absent for an agency's service account (a machine, such as an import command). */
  person?: Person;
  /** The commune (its reporting unit's code) a person acts for: present exactly when sub is COMMUNE. */
  commune?: string;
}

/** A commune-level reporting unit's code, as the national statistics office writes it (5 digits). */
export const COMMUNE_CODE = /^\d{5}$/;

/** The longest person id or name the claims carry (identity providers' ids are far shorter). */
export const MAX_PERSON_FIELD = 256;

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
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(claims, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "the request's claims are malformed" };
  }
  if (parsed !== null && !isClaims(parsed)) {
    return { ok: false, reason: "the request's claims are malformed" };
  }
  return { ok: true, claims: parsed };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Only the fields named, each present (or `optional`), and nothing else. */
function hasExactly(value: Record<string, unknown>, required: string[], optional: string[] = []) {
  const keys = Object.keys(value);
  return (
    required.every((key) => keys.includes(key)) &&
    keys.every((key) => required.includes(key) || optional.includes(key))
  );
}

/** Text a person's id or name may be: not empty, not too long, no control characters. */
export const isPersonField = (value: unknown): value is string =>
  typeof value === "string" &&
  value.length > 0 &&
  value.length <= MAX_PERSON_FIELD &&
  // eslint-disable-next-line no-control-regex
  !/[\u0000-\u001f\u007f]/.test(value);

/**
 * The claims' shape, strictly: an agency's code (or IOC), one or more of the roles acting for it may
 * hold (each once), and a person with an id and a name or none. A field this kit does not know is
 * refused, not ignored.
 */
function isClaims(value: unknown): value is Claims {
  if (!isRecord(value) || !hasExactly(value, ["sub", "roles"], ["person", "commune"])) return false;
  const { sub, roles, person, commune } = value;
  if (typeof sub !== "string" || !/^[A-Z][A-Z0-9_]{0,63}$/.test(sub)) return false;
  // a commune's person names the commune and nobody else does
  if (
    sub === COMMUNE
      ? typeof commune !== "string" || !COMMUNE_CODE.test(commune)
      : commune !== undefined
  ) {
    return false;
  }
  const allowed: readonly unknown[] = rolesFor(sub);
  if (!Array.isArray(roles) || roles.length === 0 || new Set(roles).size !== roles.length) {
    return false;
  }
  if (!roles.every((role) => allowed.includes(role))) return false;
  if (person === undefined) return true;
  return (
    isRecord(person) &&
    hasExactly(person, ["id", "name"]) &&
    isPersonField(person.id) &&
    isPersonField(person.name)
  );
}

/** The caller code the resolvers check writes against: the agency's code, or IOC. */
export function callerOf(claims: Claims | null): string | null {
  return claims?.sub ?? null;
}

/** The commune a commune's person acts for (null for anybody else). */
export function communeOf(claims: Claims | null): string | null {
  return claims?.commune ?? null;
}

/** The roles the caller holds (none for an anonymous read). */
export function rolesOf(claims: Claims | null): Role[] {
  return claims?.roles ?? [];
}

/** The person who acts, or null for a service account or an anonymous read. */
export function personOf(claims: Claims | null): Person | null {
  return claims?.person ?? null;
}
