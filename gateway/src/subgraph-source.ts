// How the gateway talks to one subgraph: keep-alive connections, a timeout, the request id and the
// caller passed along, and each call timed for the metrics.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { Kind, parse, type SelectionSetNode } from "graphql";
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

/**
 * When a subgraph fails an entity fetch, each entity it was asked for gets null for the fields asked,
 * with an error naming the subgraph: the query plan goes on, so a down subgraph costs only its own
 * fields. (Root fetches fail as usual.)
 */
export function nullEntities(
  query: string,
  representations: unknown,
  subgraph: string,
  reason: string,
): GatewayGraphQLResponse | null {
  const operation = parse(query).definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return null;
  const entities = operation.selectionSet.selections.find(
    (s) => s.kind === Kind.FIELD && s.name.value === "_entities",
  );
  if (entities?.kind !== Kind.FIELD || !entities.selectionSet || !Array.isArray(representations))
    return null;
  const fieldsOf = (selectionSet: SelectionSetNode, typename: string): string[] =>
    selectionSet.selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection.alias?.value ?? selection.name.value];
      if (
        selection.kind === Kind.INLINE_FRAGMENT &&
        (!selection.typeCondition || selection.typeCondition.name.value === typename)
      ) {
        return fieldsOf(selection.selectionSet, typename);
      }
      return [];
    });
  return {
    data: {
      _entities: representations.map((representation: { __typename: string }) => ({
        ...Object.fromEntries(
          fieldsOf(entities.selectionSet!, representation.__typename).map((field) => [field, null]),
        ),
        __typename: representation.__typename,
      })),
    },
    errors: [{ message: reason, extensions: { code: "SUBGRAPH_UNAVAILABLE", subgraph } }],
  };
}

export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;

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
    this.subgraph = name;
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const fallback = options.request.query
        ? nullEntities(
            options.request.query,
            options.request.variables?.representations,
            this.subgraph,
            reason,
          )
        : null;
      if (!fallback) throw error;
      return fallback;
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!("requestId" in context)) return;
    request.http?.headers.set("x-request-id", context.requestId);
    request.http?.headers.set(PENDING_CLAIMS, JSON.stringify(context.claims));
  }
}
