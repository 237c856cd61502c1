// The stock gateway's server: what scripts/bench/mix.ts runs in its child under
// P06_MIX_STOCK_GATEWAY=1.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { catalogue } from "@p06/catalogue";
import { repoRoot } from "../../lib/ferretdb.js";

const STOCK_CLAIMS_HEADER = "x-bench-claims";

/**
 * The stock gateway (scripts/bench/mix.ts, run with P06_MIX_STOCK_GATEWAY=1): ApolloServer +
 * ApolloGateway as its documentation starts them (startStandaloneServer), with what the subgraphs
 * require of any gateway: the caller's token verified (the gateway's own authenticator) and each
 * subgraph request signed with its secret. No answer cache, no deduplication, no workers, no ETags,
 * no limits.
 */
export async function serveStock(): Promise<void> {
  const { ApolloGateway, RemoteGraphQLDataSource } = await import("@apollo/gateway");
  const { ApolloServer } = await import("@apollo/server");
  const { startStandaloneServer } = await import("@apollo/server/standalone");
  const { createAuthenticator } = await import("../../../gateway/src/trust/auth.js");
  const { signRequest } = await import("@p06/subgraph-kit");
  type Claims = Parameters<typeof signRequest>[1];
  interface StockContext {
    claims: Claims;
  }
  const config = JSON.parse(process.env.P06_MIX_STOCK_SUBGRAPHS!) as Record<
    string,
    { url: string; secret: string }
  >;
  const authenticate = await createAuthenticator({
    publicKeyFile: process.env.JWT_PUBLIC_KEY_FILE!,
    agencies: new Set(catalogue.agencies.map((a) => a.code)),
    anonymousRead: false,
  });
  class SignedSource extends RemoteGraphQLDataSource<StockContext> {
    constructor(url: string, secret: string) {
      super({ url });
      const inner = this.fetcher;
      type Init = { headers?: Record<string, string>; body?: string };
      this.fetcher = ((target: string, init: Init = {}) => {
        const { [STOCK_CLAIMS_HEADER]: claims, ...headers } = init.headers ?? {};
        const signed = signRequest(
          secret,
          claims ? (JSON.parse(claims) as Claims) : null,
          init.body ?? "",
        );
        return inner(target, { ...init, headers: { ...headers, ...signed } });
      }) as typeof inner;
    }
    override willSendRequest(options: {
      request: { http?: { headers: { set(name: string, value: string): void } } };
      context?: Partial<StockContext>;
    }) {
      const claims = options.context?.claims ?? null;
      options.request.http?.headers.set(STOCK_CLAIMS_HEADER, JSON.stringify(claims));
    }
  }
  const server = new ApolloServer<StockContext>({
    gateway: new ApolloGateway({
      supergraphSdl: await readFile(join(repoRoot, "schema", "supergraph.graphql"), "utf8"),
      buildService: ({ name }) => {
        const subgraph = config[name];
        if (!subgraph) throw new Error(`no URL for subgraph ${name}`);
        return new SignedSource(subgraph.url, subgraph.secret);
      },
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT), host: "127.0.0.1" },
    context: async ({ req }) => ({ claims: await authenticate(req.headers.authorization) }),
  });
  console.log(`stock gateway listening on ${url}`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
