// Dev mode: the gateway composes live from the running subgraphs and picks up a changed subgraph
// without a restart.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { buildSubgraphSchema } from "@apollo/subgraph";
import express from "express";
import { parse } from "graphql";
import { freePort } from "../../scripts/lib/ferretdb.js";
import { spawnService, type RunningService } from "../../scripts/lib/processes.js";

const running: { close(): Promise<void> }[] = [];
const keysDir = mkdtempSync(join(tmpdir(), "p06-keys-"));
let gateway: RunningService | undefined;

/** A small subgraph on a fixed port, answering `hello` and whatever the given SDL adds. */
async function toySubgraph(port: number, sdl: string) {
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(sdl),
      resolvers: { Query: { hello: () => "xin chào", added: () => 42 } } as never,
    }),
  });
  await apollo.start();
  const app = express();
  app.get("/readyz", (_req, res) => res.json({ status: "ready" }));
  app.use("/graphql", express.json(), expressMiddleware(apollo));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const handle = {
    async close() {
      await apollo.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  running.push(handle);
  return handle;
}

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(running.map((r) => r.close().catch(() => undefined)));
  rmSync(keysDir, { recursive: true, force: true });
});

it("picks up a subgraph's new field without restarting", async () => {
  const port = await freePort();
  const first = await toySubgraph(port, `${LINK}\ntype Query { hello: String }`);
  gateway = await spawnService({
    name: "gateway",
    entry: "gateway/src/index.ts",
    port: await freePort(),
    env: {
      GATEWAY_DEV: "1",
      GATEWAY_POLL_MS: "300",
      GATEWAY_SUBGRAPHS: `toy=http://127.0.0.1:${port}/graphql`,
      P06_TOY_SECRET: "a".repeat(32),
      P06_KEYS_DIR: keysDir,
      ANONYMOUS_READ: "1",
      LOG_LEVEL: "warn",
    },
  });
  const ask = async (query: string) =>
    (await (
      await fetch(gateway!.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      })
    ).json()) as {
      data?: unknown;
      errors?: unknown[];
    };
  expect(await ask("{ hello }")).toEqual({ data: { hello: "xin chào" } });
  expect((await ask("{ added }")).errors).toBeDefined();

  await first.close();
  await toySubgraph(port, `${LINK}\ntype Query { hello: String added: Int }`);
  await expect
    .poll(() => ask("{ hello added }"), { timeout: 15_000, interval: 300 })
    .toEqual({ data: { hello: "xin chào", added: 42 } });
  // the same gateway process answered both schemas
  expect(gateway.child.exitCode).toBeNull();
});
