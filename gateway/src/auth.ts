// Who is calling the gateway: a JSON Web Token (jose) naming an agency or the IOC, or nobody.
// A verified token is kept until it expires (bounded LRU): signature checks are the costly part.
import { readFileSync } from "node:fs";
import { LRUCache } from "lru-cache";
import { createRemoteJWKSet, importSPKI, jwtVerify, type JWTVerifyGetKey } from "jose";
import { GraphQLError } from "graphql";
import type { Claims } from "@p06/subgraph-kit";
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from "./keys.js";

export interface AuthConfig {
  /** A JWKS URL (production), or a PEM public key file. */
  jwksUrl?: string;
  publicKeyFile?: string;
  /** Agency codes a token may name (the plan's agencies). */
  agencies: ReadonlySet<string>;
  /** Let callers without a token read (development, or an open deployment). */
  anonymousRead: boolean;
  /** The tokens' signing algorithm: ES256 (the default) or RS256. */
  algorithm?: "ES256" | "RS256";
  /** How many verified tokens to keep (until each one's expiry); 0 keeps none. */
  cacheSize?: number;
}

const unauthenticated = (message: string) =>
  new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });

export async function createAuthenticator(config: AuthConfig) {
  let getKey: JWTVerifyGetKey;
  if (config.jwksUrl) {
    getKey = createRemoteJWKSet(new URL(config.jwksUrl));
  } else if (config.publicKeyFile) {
    const key = await importSPKI(
      readFileSync(config.publicKeyFile, "utf8"),
      config.algorithm ?? JWT_ALGORITHM,
    );
    getKey = async () => key;
  } else {
    throw new Error("no key to verify tokens: set JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE");
  }

  // only successes are kept, each no longer than its own `exp`; a refused token is checked every time
  const verified =
    (config.cacheSize ?? 10_000) > 0
      ? new LRUCache<string, Claims>({ max: config.cacheSize ?? 10_000 })
      : null;

  /** The caller's claims, null for an anonymous read; throws a 401 GraphQL error otherwise. */
  return async function authenticate(authorization: string | undefined): Promise<Claims | null> {
    if (!authorization) {
      if (config.anonymousRead) return null;
      throw unauthenticated(
        "a token is required: send Authorization: Bearer <token> (npm run token)",
      );
    }
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization)?.[1];
    if (!token) throw unauthenticated("the Authorization header must be Bearer <token>");
    const known = verified?.get(token);
    if (known) return known;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        algorithms: [config.algorithm ?? JWT_ALGORITHM],
        // a token without an expiry would be good forever
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      throw unauthenticated(
        `the token is not valid: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const role = payload.role;
    const sub = payload.sub;
    let claims: Claims;
    if (role === "ioc" && sub === "IOC") claims = { sub, role };
    else if (role === "agency" && typeof sub === "string" && config.agencies.has(sub))
      claims = { sub, role };
    else throw unauthenticated("the token names no known agency or the IOC");
    // jwtVerify required `exp`; kept until then (lru-cache drops it on the first get after)
    const ttl = payload.exp! * 1000 - Date.now();
    if (verified && ttl > 0) verified.set(token, claims, { ttl });
    return claims;
  };
}

export type Authenticate = Awaited<ReturnType<typeof createAuthenticator>>;
