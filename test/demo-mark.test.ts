// A subgraph whose database was filled with demo data says so in the figures it gives every review
// (AgencyFigures.demo), and keeps saying so after a restart; one with reported figures says not.
import { afterAll, expect, it } from "vitest";
import { createLogger, type KitContext, type SubgraphRuntime } from "@p06/subgraph-kit";
import { buildHealthSubgraph } from "@p06/health";
import { useTestDatabase } from "./support/database.js";
import { inProcessServer } from "./support/execute.js";

const demoDatabase = useTestDatabase("demo_mark");
const realDatabase = useTestDatabase("demo_mark_real");
const subgraph = buildHealthSubgraph();
const runtimes: SubgraphRuntime<KitContext>[] = [];

afterAll(async () => {
  for (const runtime of runtimes) await runtime.close();
});

async function demoFlag(database: typeof demoDatabase, demo: boolean): Promise<unknown> {
  const runtime = await subgraph.open(database.db, createLogger("demo-mark", "silent"), {
    demo,
    followMs: 0,
  });
  runtimes.push(runtime);
  const { data, errors } = await inProcessServer(subgraph.schema, runtime.context).execute<{
    _entities: { health: { demo: boolean } }[];
  }>(
    `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ProgressReview { health { demo } } } }`,
    { representations: [{ __typename: "ProgressReview", year: 2026, period: "2026-10" }] },
  );
  expect(errors).toBeUndefined();
  return data?._entities[0]?.health.demo;
}

it("marks figures as demo data once demo data is loaded, and keeps the mark across restarts", async () => {
  expect(await demoFlag(demoDatabase, true)).toBe(true);
  // started again without demo data asked for: the figures are still the demo's
  expect(await demoFlag(demoDatabase, false)).toBe(true);
  expect(await demoFlag(realDatabase, false)).toBe(false);
}, 60_000);
