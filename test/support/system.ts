// The whole system as real processes for end-to-end tests: the six subgraphs, each on its own fresh
// database of the shared test server, and the gateway in front. Everything started is stopped.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { connectDatabase } from "@p06/subgraph-kit";
import { urlVariable } from "../../gateway/src/config.js";
import { freePort } from "../../scripts/lib/ferretdb.js";
import { spawnService, type RunningService } from "../../scripts/lib/processes.js";
import { subgraphs } from "../../scripts/lib/subgraphs.js";
import "./provided.js";

export interface RunningSystem {
  gatewayUrl: string;
  services: Record<string, RunningService>;
  /** POSTs an operation to the gateway, as the given agency when one is named. */
  query<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    agency?: string,
  ): Promise<{
    data?: Data;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  }>;
  stop(): Promise<void>;
}

export async function startSystem(
  label: string,
  env: Record<string, string> = {},
): Promise<RunningSystem> {
  const uri = inject("mongodbUri");
  const prefix = `test_${label}_${randomBytes(3).toString("hex")}`;
  const databases = subgraphs.map((spec) => `${prefix}_${spec.name.replace("-", "_")}`);
  const services: Record<string, RunningService> = {};
  try {
    await Promise.all(
      subgraphs.map(async (spec, i) => {
        services[spec.name] = await spawnService({
          ...spec,
          port: await freePort(),
          env: {
            MONGODB_URI: uri,
            MONGODB_DATABASE: databases[i]!,
            LOG_LEVEL: "warn",
            P06_DEMO_DATA: "0",
            ...env,
          },
        });
      }),
    );
    services.gateway = await spawnService({
      name: "gateway",
      entry: "gateway/src/index.ts",
      port: await freePort(),
      env: {
        LOG_LEVEL: "warn",
        ...env,
        ...Object.fromEntries(
          subgraphs.map((spec) => [urlVariable(spec.name), services[spec.name]!.url]),
        ),
      },
    });
  } catch (error) {
    await Promise.all(Object.values(services).map((s) => s.stop("SIGKILL")));
    throw error;
  }
  const gatewayUrl = services.gateway.url;
  return {
    gatewayUrl,
    services,
    async query(query, variables = {}, agency) {
      const response = await fetch(gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...(agency && { "x-p06-agency": agency }) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async stop() {
      await Promise.all(Object.values(services).map((s) => s.stop()));
      const db = await connectDatabase(uri, databases[0]!);
      for (const name of databases) await db.useDb(name).dropDatabase();
      await db.close();
    },
  };
}
