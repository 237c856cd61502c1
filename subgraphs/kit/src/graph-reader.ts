// A subgraph that reads the graph (the plan reads the agencies' figures for its review) calls the
// gateway as the IOC's viewer, with a short-lived token signed by the secret it already shares with
// the gateway: no other credential to provision, nothing that outlives two minutes, and nothing a
// viewer cannot do (it reads; every write needs a role it does not have).
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { GraphQLFormattedError } from "graphql";
import { jwtVerify, SignJWT } from "jose";
import {
  parseStamps,
  READ_VERSIONS_HEADER,
  WANT_READ_VERSIONS_HEADER,
  type Stamps,
} from "./read-versions.js";
import { ATTR_REQUEST_ID } from "./tracing.js";

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

/**
 * Where a subgraph reads the graph: the gateway's /graphql, and its own tokens for it, one source per
 * secret it holds (while a secret is rotated, the gateway may still know only the previous one).
 */
export interface GraphReader {
  url: string;
  tokens: (() => Promise<string>)[];
}

/**
 * The gateway to read through (P06_GRAPH_URL) with `subgraph`'s secrets (SUBGRAPH_SECRET, and
 * SUBGRAPH_SECRET_PREVIOUS while it is rotated); null when the address or the secret is unset.
 */
export function graphReaderFromEnv(
  subgraph: string,
  env: NodeJS.ProcessEnv = process.env,
): GraphReader | null {
  const url = env.P06_GRAPH_URL?.trim();
  const secrets = [env.SUBGRAPH_SECRET?.trim(), env.SUBGRAPH_SECRET_PREVIOUS?.trim()].filter(
    (secret): secret is string => !!secret,
  );
  if (!url || !env.SUBGRAPH_SECRET?.trim()) return null;
  return { url, tokens: secrets.map((secret) => graphReaderTokens(subgraph, secret)) };
}

/** Which of a reader's tokens the gateway took last: tried first next time. */
const accepted = new WeakMap<GraphReader, number>();

/** What the gateway answered a graph reader: its status, its answer, and the versions it read. */
export interface GraphAnswer<Data> {
  status: number;
  data: Data | null;
  errors: GraphQLFormattedError[];
  /** Every subgraph's version the answer was read at; null when the gateway did not say. */
  reads: Stamps | null;
}

/**
 * One query through the gateway as the graph reader, carrying the request id it serves and the trace
 * it is part of (a client span when tracing is on), within `timeoutMs`.
 */
export async function readGraph<Data>(
  reader: GraphReader,
  request: { query: string; variables: Record<string, unknown>; operationName: string },
  options: { requestId?: string | null; timeoutMs: number },
): Promise<GraphAnswer<Data>> {
  const tracer = trace.getTracer("p06");
  return tracer.startActiveSpan(
    "graph.read",
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "graphql.operation.name": request.operationName,
        ...(options.requestId && { [ATTR_REQUEST_ID]: options.requestId }),
      },
    },
    async (span) => {
      try {
        const send = async (token: () => Promise<string>) => {
          const headers: Record<string, string> = {
            "content-type": "application/json",
            authorization: `Bearer ${await token()}`,
            [WANT_READ_VERSIONS_HEADER]: "1",
            ...(options.requestId && { "x-request-id": options.requestId }),
          };
          propagation.inject(context.active(), headers);
          return fetch(reader.url, {
            method: "POST",
            headers,
            body: JSON.stringify(request),
            signal: AbortSignal.timeout(options.timeoutMs),
          });
        };
        // the secret the gateway took last first; another only if it refuses the token (401)
        const first = accepted.get(reader) ?? 0;
        const order = reader.tokens.map((_, i) => (first + i) % reader.tokens.length);
        let response = await send(reader.tokens[order[0]!]!);
        for (const next of order.slice(1)) {
          if (response.status !== 401) break;
          await response.body?.cancel();
          response = await send(reader.tokens[next]!);
          if (response.status !== 401) accepted.set(reader, next);
        }
        const body = (await response.json()) as {
          data?: Data | null;
          errors?: GraphQLFormattedError[];
        };
        if (!response.ok) span.setStatus({ code: SpanStatusCode.ERROR });
        return {
          status: response.status,
          data: body.data ?? null,
          errors: body.errors ?? [],
          reads: parseStamps(response.headers.get(READ_VERSIONS_HEADER)),
        };
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
