// Who is calling the gateway: a JSON Web Token (jose) naming an agency or the IOC, or nobody.
import { readFileSync } from "node:fs";
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
    if (role === "ioc" && sub === "IOC") return { sub, role };
    if (role === "agency" && typeof sub === "string" && config.agencies.has(sub))
      return { sub, role };
    throw unauthenticated("the token names no known agency or the IOC");
  };
}

export type Authenticate = Awaited<ReturnType<typeof createAuthenticator>>;
