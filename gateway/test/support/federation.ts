// A small federation in memory for the gateway's own tests: `catalogue` (items, and who is asking)
// and `stock` (each item's count), each keeping the data version contract, composed, with the
// gateway in process in front. Everything started is stopped by `stop()`.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { readGatewayConfig, type GatewayConfig } from "../../src/config.js";
import { startGateway, type RunningGateway } from "../../src/gateway.js";
import { ensureDevKeys } from "../../src/trust/keys.js";
import { issueToken } from "../../src/trust/tokens.js";
import { startMemorySubgraph, type MemorySubgraph } from "./memory-subgraph.js";

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])`;

interface Item {
  id: string;
  name: string;
  count: number;
}

export interface TestFederation {
  catalogue: MemorySubgraph;
  stock: MemorySubgraph;
  items: Map<string, Item>;
  supergraphSdl: string;
  /** The variables a gateway process over the two subgraphs needs. */
  env: Record<string, string>;
  /** A gateway over the two subgraphs (several may run side by side, like instances). */
  startGateway(env?: Record<string, string>): Promise<RunningGateway>;
  /** A token for an agency's code or IOC, valid a day (or `validForS` seconds). */
  token(sub: string, validForS?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestFederation(
  options: { delayMs?: number } = {},
): Promise<TestFederation> {
  const items = new Map<string, Item>([
    ["1", { id: "1", name: "ledger", count: 10 }],
    ["2", { id: "2", name: "stamp", count: 20 }],
  ]);
  const catalogue = await startMemorySubgraph({
    name: "catalogue",
    delayMs: options.delayMs ?? 0,
    typeDefs: `${LINK}
      type Query { items: [Item!]! whoami: String }
      type Mutation { renameItem(id: ID!, name: String!): Item! }
      type Item @key(fields: "id") { id: ID! name: String! }`,
    resolvers: {
      Query: {
        items: () => [...items.values()],
        whoami: (_: unknown, __: unknown, { caller }: { caller: string | null }) => caller,
      },
      Mutation: {
        renameItem: (_: unknown, { id, name }: { id: string; name: string }) => {
          items.get(id)!.name = name;
          catalogue.bump();
          return items.get(id);
        },
      },
      Item: { __resolveReference: ({ id }: { id: string }) => items.get(id) },
    },
  });
  const stock = await startMemorySubgraph({
    name: "stock",
    delayMs: options.delayMs ?? 0,
    typeDefs: `${LINK}
      type Mutation { setCount(id: ID!, count: Int!): Item! }
      type Item @key(fields: "id") { id: ID! count: Int! }`,
    resolvers: {
      Mutation: {
        setCount: (_: unknown, { id, count }: { id: string; count: number }) => {
          items.get(id)!.count = count;
          stock.bump();
          return items.get(id);
        },
      },
      Item: { __resolveReference: ({ id }: { id: string }) => items.get(id) },
    },
  });
  const subgraphs = [catalogue, stock];
  const composed = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join("\n"));
  const supergraphSdl = composed.supergraphSdl;

  const keysDir = await mkdtemp(join(tmpdir(), "p06-gateway-test-"));
  const keys = await ensureDevKeys(keysDir);
  const gateways: RunningGateway[] = [];
  const env = {
    SUPERGRAPH_PATH: join(keysDir, "supergraph.graphql"),
    JWT_PUBLIC_KEY_FILE: keys.publicKeyFile,
    GATEWAY_PORT: "0",
    LOG_LEVEL: "warn",
    P06_CATALOGUE_SECRET: randomBytes(32).toString("hex"),
    P06_STOCK_SECRET: randomBytes(32).toString("hex"),
  };
  await writeFile(env.SUPERGRAPH_PATH, supergraphSdl);

  return {
    catalogue,
    stock,
    items,
    supergraphSdl,
    env,
    async startGateway(extra = {}) {
      const config: GatewayConfig = readGatewayConfig({ ...env, ...extra });
      const gateway = await startGateway(config);
      gateways.push(gateway);
      return gateway;
    },
    token: (sub, validForS = 86_400) =>
      issueToken({
        privateKeyFile: keys.privateKeyFile,
        agency: sub,
        days: validForS / 86_400,
      }),
    async stop() {
      await Promise.all(gateways.map((gateway) => gateway.close()));
      await Promise.all(subgraphs.map((subgraph) => subgraph.close()));
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}
