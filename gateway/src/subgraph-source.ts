// How the gateway talks to one subgraph: keep-alive connections, a timeout, the request id and the
// caller passed along, and each call timed for the metrics.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { signRequest, type Claims } from "@p06/subgraph-kit";
import { Agent, fetch as undiciFetch } from "undici";
import type { Metrics } from "./metrics.js";

export interface GatewayContext {
  requestId: string;
  /** The caller's verified claims, or null for an anonymous read. */
  claims: Claims | null;
}

/** Carries the claims from willSendRequest to the fetcher, which signs them with the body. */
const PENDING_CLAIMS = "x-p06-pending-claims";

/** One connection pool for every subgraph: sockets stay open between requests. */
const keepAlive = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 120_000,
  connections: 64,
});

export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(name: string, url: string, metrics: Metrics, timeoutMs: number, secret: string) {
    super({
      url,
      fetcher: (async (
        input: string,
        init?: { headers?: Record<string, string>; body?: string },
      ) => {
        const stop = metrics.subgraphDuration.startTimer({ subgraph: name });
        const { [PENDING_CLAIMS]: pending, ...headers } = init?.headers ?? {};
        const claims = pending ? (JSON.parse(pending) as Claims | null) : null;
        try {
          const response = await undiciFetch(input, {
            ...(init as object),
            headers: { ...headers, ...signRequest(secret, claims, init?.body ?? "") },
            dispatcher: keepAlive,
            signal: AbortSignal.timeout(timeoutMs),
          });
          if (!response.ok) metrics.subgraphErrors.inc({ subgraph: name });
          return response;
        } catch (error) {
          metrics.subgraphErrors.inc({ subgraph: name });
          const reason =
            error instanceof Error && error.name === "TimeoutError"
              ? `timed out after ${timeoutMs} ms`
              : "unreachable";
          throw new Error(`subgraph ${name} ${reason}`, { cause: error });
        } finally {
          stop();
        }
      }) as never,
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!("requestId" in context)) return;
    request.http?.headers.set("x-request-id", context.requestId);
    request.http?.headers.set(PENDING_CLAIMS, JSON.stringify(context.claims));
  }
}
