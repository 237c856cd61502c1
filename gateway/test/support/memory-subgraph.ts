// A subgraph answering from memory over node:http that keeps the data version contract: GET /version
// gives {"subgraph", "version"}, every /graphql answer carries x-p06-data-version (a query: the
// version at its start; a mutation: the version after its write). Used by the gateway's tests and its
// engine benchmark; it ignores the gateway's signature (the real subgraphs check it).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSubgraphSchema } from "@apollo/subgraph";
import {
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";

export interface MemorySubgraphOptions {
  name: string;
  typeDefs: string;
  /**
   * Resolvers by type and field (`__resolveReference` for entities); context: `{ subgraph, caller }`
   * (the caller from the gateway's claims header, or null).
   */
  resolvers: Record<string, Record<string, unknown>>;
  /** Milliseconds each read waits before answering (to hold requests in flight); writes never wait. */
  delayMs?: number;
  /** Leave out the version header (a subgraph not keeping the contract). */
  withoutVersions?: boolean;
  /**
   * Milliseconds of the subgraph's one thread each request takes, served one at a time in the order
   * they arrive, writes included (a saturated event loop); 0: none.
   */
  busyMs?: number;
  /** Answer a request body seen before at the same version with the same bytes (benchmarks). */
  memoize?: boolean;
}

export interface Received {
  operationName: string | null;
  query: string;
  headers: IncomingHttpHeaders;
}

export interface MemorySubgraph {
  name: string;
  url: string;
  sdl: string;
  /** The data version: every write advances it. */
  version: number;
  /** Advances the version, as an acknowledged write does (also a write made elsewhere). */
  bump(): number;
  /** Every /graphql request received, in order. */
  received: Received[];
  delayMs: number;
  busyMs: number;
  /** Leave out the version header from now on. */
  withoutVersions: boolean;
  close(): Promise<void>;
}

/** The caller the gateway's claims header names (not verified here: the real subgraphs do). */
function callerOf(headers: IncomingHttpHeaders): string | null {
  const claims = headers["x-p06-claims"];
  if (typeof claims !== "string") return null;
  const parsed = JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as {
    sub?: string;
  } | null;
  return parsed?.sub ?? null;
}

export async function startMemorySubgraph(options: MemorySubgraphOptions): Promise<MemorySubgraph> {
  const schema: GraphQLSchema = buildSubgraphSchema({
    typeDefs: parse(options.typeDefs),
    resolvers: options.resolvers as never,
  });
  const documents = new Map<string, DocumentNode>();
  const answered = new Map<string, { version: number; body: string }>();
  // the one thread's work, in arrival order: each request waits for those before it
  let line: Promise<unknown> = Promise.resolve();
  const busy = () => {
    const busyMs = subgraph.busyMs;
    if (!busyMs) return undefined;
    line = line.then(() => new Promise((resolve) => setTimeout(resolve, busyMs)));
    return line;
  };
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/version") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ subgraph: options.name, version: subgraph.version }));
      return;
    }
    if (req.method === "GET" && (req.url === "/readyz" || req.url === "/healthz")) {
      res.end('{"status":"ok"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        await busy();
        const text = Buffer.concat(chunks).toString("utf8");
        const memo = options.memoize ? answered.get(text) : undefined;
        if (memo && memo.version === subgraph.version) {
          res.setHeader("content-type", "application/json");
          res.setHeader("x-p06-data-version", String(memo.version));
          res.end(memo.body);
          return;
        }
        const body = JSON.parse(text) as {
          query: string;
          variables?: Record<string, unknown>;
          operationName?: string;
        };
        subgraph.received.push({
          operationName: body.operationName ?? null,
          query: body.query,
          headers: req.headers,
        });
        let document = documents.get(body.query);
        if (!document) {
          document = parse(body.query);
          const errors = validate(schema, document);
          if (errors.length) {
            res.setHeader("content-type", "application/json");
            res.end(JSON.stringify({ errors }));
            return;
          }
          documents.set(body.query, document);
        }
        const mutation = document.definitions.some(
          (d) => (d as OperationDefinitionNode).operation === "mutation",
        );
        const readAt = subgraph.version;
        const result = await execute({
          schema,
          document,
          variableValues: body.variables ?? {},
          operationName: body.operationName ?? null,
          contextValue: { subgraph, caller: callerOf(req.headers) },
        });
        // a read is answered late (its data as at its start); a write at once
        if (subgraph.delayMs && !mutation)
          await new Promise((resolve) => setTimeout(resolve, subgraph.delayMs));
        res.setHeader("content-type", "application/json");
        if (!subgraph.withoutVersions) {
          res.setHeader("x-p06-data-version", String(mutation ? subgraph.version : readAt));
        }
        const answer = JSON.stringify(result);
        if (options.memoize && !mutation) answered.set(text, { version: readAt, body: answer });
        res.end(answer);
      })().catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const subgraph: MemorySubgraph = {
    name: options.name,
    url: `http://127.0.0.1:${port}/graphql`,
    sdl: options.typeDefs,
    version: 1,
    bump: () => (subgraph.version += 1),
    received: [],
    delayMs: options.delayMs ?? 0,
    busyMs: options.busyMs ?? 0,
    withoutVersions: options.withoutVersions ?? false,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return subgraph;
}
