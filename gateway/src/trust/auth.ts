// Who is calling the gateway: a JSON Web Token (jose) naming a person and the agency (or the IOC)
// they act for, an agency's service account, or nobody (claims.ts reads what the token names). Its
// keys come from the OpenID provider's discovery document (OIDC_ISSUER), a JWKS URL or a key file.
// A verified token is kept until it expires (bounded LRU): signature checks are the costly part.
import { readFileSync } from "node:fs";
import { LRUCache } from "lru-cache";
import {
  createRemoteJWKSet,
  decodeJwt,
  importSPKI,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { HeaderMap } from "@apollo/server";
import { GraphQLError } from "graphql";
import { graphReaderIssuer, verifyGraphReaderToken, type Claims } from "@p06/subgraph-kit";
import {
  claimsOf,
  DEFAULT_CLAIM_NAMES,
  DEFAULT_TOKEN_ADDRESS,
  type ClaimNames,
  type ClaimsReason,
  type TokenAddress,
} from "./claims.js";
import { JWT_ALGORITHM } from "./keys.js";

export interface AuthConfig {
  /** An OpenID provider whose discovery document names its JWKS, a JWKS URL, or a PEM public key file. */
  oidcIssuer?: string;
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
  /** Where the token holds the person, the agency and the role (default: sub, name, agency, role). */
  claimNames?: ClaimNames;
  /** The issuer and audience a token must name (default: p06, p06-gateway). */
  address?: TokenAddress;
  /**
   * The subgraphs that read the graph (the plan, for its review), with the secret each shares with
   * the gateway: a token one of them signed with it reads as the IOC's viewer (kit graph-reader.ts).
   */
  graphReaders?: Readonly<Record<string, string>>;
}

/** What a subgraph reading the graph may do: read, as the IOC's viewer does. */
const GRAPH_READER_CLAIMS: Claims = { sub: "IOC", roles: ["ioc-viewer"] };

/**
 * Whether the claims are a subgraph's reading the graph: its reads follow the agencies' writes (a
 * few per write), not a person's clicks, so no per-caller rate limit applies to them.
 */
export const isGraphReader = (claims: Claims | null | undefined): boolean =>
  claims === GRAPH_READER_CLAIMS;

/** The subgraph a token says it comes from (its issuer), or null for anybody else's token. */
function graphReaderOf(token: string): string | null {
  let payload: JWTPayload;
  try {
    payload = decodeJwt(token);
  } catch {
    return null;
  }
  const prefix = graphReaderIssuer("");
  return typeof payload.iss === "string" && payload.iss.startsWith(prefix)
    ? payload.iss.slice(prefix.length)
    : null;
}

/** Why a request was refused, in `extensions.reason` beside the code UNAUTHENTICATED (docs/trust.md). */
type RefusalReason =
  | "TOKEN_MISSING"
  | "NOT_BEARER"
  | "TOKEN_MALFORMED"
  | "TOKEN_EXPIRED"
  | "TOKEN_NOT_YET_VALID"
  | "TOKEN_SIGNATURE_INVALID"
  | "TOKEN_CLAIMS_INVALID"
  | "TOKEN_UNVERIFIABLE"
  | ClaimsReason;

/** A 401 that says what is wrong, with the challenge RFC 6750 asks of a bearer-token server. */
function unauthenticated(reason: RefusalReason, message: string): GraphQLError {
  const challenge =
    reason === "TOKEN_MISSING" || reason === "NOT_BEARER"
      ? `Bearer realm="p06"`
      : `Bearer realm="p06", error="invalid_token"`;
  return new GraphQLError(message, {
    extensions: {
      code: "UNAUTHENTICATED",
      reason,
      http: { status: 401, headers: new HeaderMap([["www-authenticate", challenge]]) },
    },
  });
}

/** jose's refusal of a token, said for the caller. */
function refusalOf(error: unknown, address: TokenAddress): GraphQLError {
  const { code, message, claim, payload } = error as {
    code?: string;
    message?: string;
    claim?: string;
    payload?: { exp?: number };
  };
  switch (code) {
    case "ERR_JWT_EXPIRED": {
      const at = payload?.exp ? ` at ${new Date(payload.exp * 1000).toISOString()}` : "";
      return unauthenticated("TOKEN_EXPIRED", `the token expired${at}: get a new one`);
    }
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      return claim === "nbf"
        ? unauthenticated("TOKEN_NOT_YET_VALID", "the token is not valid yet (its nbf claim)")
        : unauthenticated(
            "TOKEN_CLAIMS_INVALID",
            `the token is not one of this gateway's (issuer ${address.issuer}, audience ${address.audience}, with sub and exp): ${message}`,
          );
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
    case "ERR_JWKS_NO_MATCHING_KEY":
      return unauthenticated(
        "TOKEN_SIGNATURE_INVALID",
        "the token's signature does not verify: it was signed with another key, or altered",
      );
    case "ERR_JOSE_ALG_NOT_ALLOWED":
    case "ERR_JOSE_NOT_SUPPORTED":
      return unauthenticated(
        "TOKEN_SIGNATURE_INVALID",
        `the token is not signed with the algorithm this gateway accepts: ${message}`,
      );
    case "ERR_JWS_INVALID":
    case "ERR_JWT_INVALID":
      return unauthenticated("TOKEN_MALFORMED", `the token is malformed: ${message}`);
    default:
      return unauthenticated(
        "TOKEN_UNVERIFIABLE",
        `the token could not be verified: ${message ?? String(error)}`,
      );
  }
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * The keys of an OpenID provider, found through its discovery document: read when a token first
 * needs them (the provider may start after the gateway), and again after a failure. The document must
 * name the issuer it was asked for (OpenID Connect Discovery 1.0, section 4.3).
 */
export function discoveredKeys(issuer: string): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | null = null;
  const discover = async () => {
    const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) {
      throw new Error(
        `the OpenID provider's discovery document ${url} answered ${response.status}`,
      );
    }
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== issuer) {
      throw new Error(
        `the OpenID provider's discovery document names the issuer ${JSON.stringify(document.issuer)}, not ${JSON.stringify(issuer)}`,
      );
    }
    if (typeof document.jwks_uri !== "string") {
      throw new Error(`the OpenID provider's discovery document ${url} names no jwks_uri`);
    }
    return createRemoteJWKSet(new URL(document.jwks_uri));
  };
  return async (header, token) => {
    keys ??= discover().catch((error: unknown) => {
      keys = null;
      throw error;
    });
    return (await keys)(header, token);
  };
}

export async function createAuthenticator(config: AuthConfig) {
  const address = config.address ?? DEFAULT_TOKEN_ADDRESS;
  const claimNames = config.claimNames ?? DEFAULT_CLAIM_NAMES;
  let getKey: JWTVerifyGetKey;
  if (config.jwksUrl) {
    getKey = createRemoteJWKSet(new URL(config.jwksUrl));
  } else if (config.oidcIssuer) {
    getKey = discoveredKeys(config.oidcIssuer);
  } else if (config.publicKeyFile) {
    const key = await importSPKI(
      readFileSync(config.publicKeyFile, "utf8"),
      config.algorithm ?? JWT_ALGORITHM,
    );
    getKey = async () => key;
  } else {
    throw new Error(
      "no key to verify tokens: set OIDC_ISSUER, JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE",
    );
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
        "TOKEN_MISSING",
        "a token is required: sign in, and send Authorization: Bearer <token>",
      );
    }
    const [scheme = "", token, ...rest] = authorization.trim().split(/\s+/);
    if (scheme.toLowerCase() !== "bearer") {
      throw unauthenticated(
        "NOT_BEARER",
        `the Authorization header must be Bearer <token>, not a ${scheme.slice(0, 20)} credential`,
      );
    }
    if (!token || rest.length > 0) {
      throw unauthenticated(
        "TOKEN_MALFORMED",
        token ? "the Authorization header holds more than one token" : "no token after Bearer",
      );
    }
    if (!JWT_SHAPE.test(token)) {
      throw unauthenticated(
        "TOKEN_MALFORMED",
        "the token is malformed: a token is three base64url parts joined by dots (header.payload.signature)",
      );
    }
    const known = verified?.get(token);
    if (known) return known;
    const reader = graphReaderOf(token);
    if (reader !== null) return readerClaims(token, reader);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer: address.issuer,
        audience: address.audience,
        algorithms: [config.algorithm ?? JWT_ALGORITHM],
        // a token without an expiry would be good forever
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      throw refusalOf(error, address);
    }
    const claims = claimsOf(payload, claimNames, config.agencies);
    if ("reason" in claims) throw unauthenticated(claims.reason, claims.message);
    // jwtVerify required `exp`; kept until then (lru-cache drops it on the first get after)
    const ttl = payload.exp! * 1000 - Date.now();
    if (verified && ttl > 0) verified.set(token, claims, { ttl });
    return claims;
  };

  async function readerClaims(token: string, subgraph: string): Promise<Claims> {
    const secret = Object.hasOwn(config.graphReaders ?? {}, subgraph)
      ? config.graphReaders![subgraph]
      : undefined;
    if (!secret) {
      throw unauthenticated(
        "TOKEN_SIGNATURE_INVALID",
        `the token names subgraph "${subgraph.slice(0, 40)}", which does not read the graph`,
      );
    }
    let exp: number;
    try {
      ({ exp } = await verifyGraphReaderToken(token, subgraph, secret));
    } catch (error) {
      throw refusalOf(error, address);
    }
    const ttl = exp * 1000 - Date.now();
    if (verified && ttl > 0) verified.set(token, GRAPH_READER_CLAIMS, { ttl });
    return GRAPH_READER_CLAIMS;
  }
}

export type Authenticate = Awaited<ReturnType<typeof createAuthenticator>>;
