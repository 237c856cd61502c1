// A subgraph that reads the graph (the plan reads the agencies' figures for its review) calls the
// gateway as the IOC's viewer, with a short-lived token signed by the secret it already shares with
// the gateway: no other credential to provision, nothing that outlives two minutes, and nothing a
// viewer cannot do (it reads; every write needs a role it does not have).
import { jwtVerify, SignJWT } from "jose";

/** The audience of a graph reader's token: the gateway, as the OpenID provider's tokens name it. */
export const GRAPH_READER_AUDIENCE = "urn:p06:gateway";
/** How long a graph reader's token is good for. */
export const GRAPH_READER_TOKEN_SECONDS = 120;

/** The issuer a subgraph's own token names: which secret the gateway verifies it with. */
export const graphReaderIssuer = (subgraph: string) => `urn:p06:subgraph:${subgraph}`;

const keyOf = (secret: string) => new TextEncoder().encode(secret);

/** A source of bearer tokens for `subgraph`: one kept until 30 s before it expires. */
export function graphReaderTokens(subgraph: string, secret: string): () => Promise<string> {
  let kept: { token: string; renewAt: number } | null = null;
  return async () => {
    const now = Date.now();
    if (kept && now < kept.renewAt) return kept.token;
    const seconds = Math.floor(now / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(graphReaderIssuer(subgraph))
      .setSubject(`subgraph:${subgraph}`)
      .setAudience(GRAPH_READER_AUDIENCE)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + GRAPH_READER_TOKEN_SECONDS)
      .sign(keyOf(secret));
    kept = { token, renewAt: now + (GRAPH_READER_TOKEN_SECONDS - 30) * 1000 };
    return token;
  };
}

/**
 * Verifies a graph reader's token with its subgraph's secret: signature, issuer, audience, expiry
 * and a lifetime no longer than a graph reader's. Throws (jose's errors) when any fails.
 */
export async function verifyGraphReaderToken(
  token: string,
  subgraph: string,
  secret: string,
): Promise<{ exp: number }> {
  const { payload } = await jwtVerify(token, keyOf(secret), {
    issuer: graphReaderIssuer(subgraph),
    audience: GRAPH_READER_AUDIENCE,
    algorithms: ["HS256"],
    requiredClaims: ["exp", "iat"],
  });
  if (payload.exp! - payload.iat! > GRAPH_READER_TOKEN_SECONDS) {
    throw new Error(`a graph reader's token lasts ${GRAPH_READER_TOKEN_SECONDS} s at most`);
  }
  return { exp: payload.exp! };
}
