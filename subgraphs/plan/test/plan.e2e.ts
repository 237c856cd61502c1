// The plan subgraph as a real process: serves over HTTP, restarts onto the same data without
// duplicating it, and stops cleanly on Ctrl-C.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { connectDatabase, signRequest } from "@p06/subgraph-kit";
import { freePort } from "../../../scripts/lib/ferretdb.js";
import { spawnService, type RunningService } from "../../../scripts/lib/processes.js";
import { planModels } from "../src/schema.js";

const uri = inject("mongodbUri");
const database = `test_plan_e2e_${randomBytes(4).toString("hex")}`;
const running: RunningService[] = [];
const secret = randomBytes(32).toString("hex");

async function startPlan(): Promise<RunningService> {
  const service = await spawnService({
    name: "plan",
    entry: "subgraphs/plan/src/index.ts",
    port: await freePort(),
    env: {
      MONGODB_URI: uri,
      MONGODB_DATABASE: database,
      LOG_LEVEL: "warn",
      SUBGRAPH_SECRET: secret,
    },
  });
  running.push(service);
  return service;
}

/** A request as the gateway sends it: signed with the subgraph's secret. */
async function post(url: string, query: string) {
  const body = JSON.stringify({ query });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...signRequest(secret, null, body) },
    body,
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

afterAll(async () => {
  await Promise.all(running.map((service) => service.stop("SIGKILL")));
  const db = await connectDatabase(uri, database);
  await db.dropDatabase();
  await db.close();
});

describe("plan subgraph process", () => {
  it("serves the catalogue, restarts onto the same data, and exits 0 on SIGINT", async () => {
    const first = await startPlan();
    const health = await fetch(first.url.replace("/graphql", "/healthz"));
    expect(await health.json()).toEqual({ status: "ok", subgraph: "plan" });
    const answer = await post(first.url, `{ task(code: "II.2") { deadline { kind date } } }`);
    expect(answer).toEqual({ data: { task: { deadline: { kind: "DATE", date: "2026-12-31" } } } });
    expect(await first.stop("SIGINT")).toBe(0);

    const second = await startPlan();
    const counts = await post(second.url, `{ indicators { code } tasks { code } }`);
    expect((counts.data?.indicators as unknown[]).length).toBe(56);
    expect((counts.data?.tasks as unknown[]).length).toBe(54);
    const db = await connectDatabase(uri, database);
    expect(await planModels(db).Indicator.countDocuments()).toBe(56);
    expect(await planModels(db).ReportingUnit.countDocuments()).toBe(115);
    await db.close();
    expect(await second.stop("SIGINT")).toBe(0);
  });

  it("refuses to start without MONGODB_URI, naming the variable", async () => {
    const env = { MONGODB_URI: "", SUBGRAPH_SECRET: secret };
    await expect(
      spawnService({
        name: "plan",
        entry: "subgraphs/plan/src/index.ts",
        port: await freePort(),
        env,
      }),
    ).rejects.toThrow(/environment variable MONGODB_URI is required/);
  });
});
