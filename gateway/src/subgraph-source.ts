// How the gateway talks to one subgraph: keep-alive connections, a timeout, the request id and the
// caller passed along, and each call timed for the metrics.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { CALLER_HEADER } from "@p06/subgraph-kit";
import { Agent, fetch as undiciFetch } from "undici";
import type { Metrics } from "./metrics.js";

export interface GatewayContext {
  requestId: string;
  /** The calling agency, or null. */
  caller: string | null;
}

/** One connection pool for every subgraph: sockets stay open between requests. */
const keepAlive = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 120_000,
  connections: 64,
});

export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(name: string, url: string, metrics: Metrics, timeoutMs: number) {
    super({
      url,
      fetcher: (async (input: string, init?: Record<string, unknown>) => {
        const stop = metrics.subgraphDuration.startTimer({ subgraph: name });
        try {
          const response = await undiciFetch(input, {
            ...(init as object),
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
    if (context.caller) request.http?.headers.set(CALLER_HEADER, context.caller);
  }
}
