// `move:indicator` for an indicator the list gives its agency already (new:subgraph took it), into a
// subgraph that started before the move and made demo figures of it: the plan's figures replace
// them, and the subgraph serves the plan's after its next start (its read-model snapshot, taken with
// the demo figures, is not restored). Figures someone reported there stop the move instead.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Connection } from "mongoose";
import {
  createLogger,
  valueModels,
  type KitContext,
  type SubgraphRuntime,
} from "@p06/subgraph-kit";
import { buildHealthSubgraph } from "@p06/health";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { MoveError, moveIndicator } from "../scripts/lib/move-indicator.js";
import { useTestDatabase } from "./support/database.js";
import { inProcessServer } from "./support/execute.js";
import { NOW } from "./support/reporting-suite.js";

/** Two plans' databases with the same figures, one for each move. */
const plans = [useTestDatabase("move_demo_plan"), useTestDatabase("move_demo_plan_2")];
const demo = useTestDatabase("move_demo_agency");
const reported = useTestDatabase("move_demo_reported");
const subgraph = buildHealthSubgraph({ now: () => NOW });
const runtimes: SubgraphRuntime<KitContext>[] = [];
const lines: string[] = [];

/** The health subgraph started on a database; closed (its snapshot written) by `close`. */
async function started(db: Connection, withDemo: boolean) {
  const runtime = await subgraph.open(db, createLogger("move-demo", "silent"), {
    demo: withDemo,
    followMs: 0,
  });
  runtimes.push(runtime);
  const server = inProcessServer(subgraph.schema, runtime.context);
  return {
    submit: async (period: string, numerator: number) => {
      const result = await server.execute(
        `mutation ($input: DataValueInput!) { submitHealthValue(input: $input) { version } }`,
        { input: { indicator: "II.12", unit: "10507", period, numerator, denominator: 100 } },
        { "x-p06-agency": "DOH" },
      );
      expect(result.errors).toBeUndefined();
    },
    series: async () => {
      const result = await server.execute<{
        healthIndicators: { code: string; citySeries: { period: string; numerator: number }[] }[];
      }>(`{ healthIndicators { code citySeries { period numerator } } }`);
      expect(result.errors).toBeUndefined();
      return result.data!.healthIndicators.find((i) => i.code === "II.12")!.citySeries;
    },
    close: async () => {
      runtimes.splice(runtimes.indexOf(runtime), 1);
      await runtime.close();
    },
  };
}

const move = (plan: Connection, target: Connection) =>
  moveIndicator({
    code: "II.12",
    to: "health",
    plan,
    target,
    repoRoot,
    compose: () => Promise.reject(new Error("the list gives II.12 to health already")),
    log: (line) => lines.push(line),
  });

beforeAll(async () => {
  // the plan's figures of II.12: what the plan subgraph's database would hold
  for (const plan of plans) {
    const writer = await started(plan.db, false);
    await writer.submit("2026-08", 61);
    await writer.submit("2026-09", 62);
    await writer.submit("2026-09", 63);
    await writer.close();
  }
}, 60_000);

afterAll(async () => {
  for (const runtime of runtimes) await runtime.close();
});

it("replaces the demo figures a subgraph made before the move, also after its restart", async () => {
  const first = await started(demo.db, true);
  const demoSeries = await first.series();
  expect(demoSeries.length).toBeGreaterThan(3);
  await first.close();
  const snapshots = demo.db.collection("read_model_snapshots");
  expect(await snapshots.countDocuments({ _id: /^figures:/ as never })).toBeGreaterThan(0);

  const outcome = await move(plans[0]!.db, demo.db);
  expect(outcome.moved).toBe(true);
  expect(lines.join("\n")).toMatch(/replace: health's demo figures of II\.12 deleted/);
  expect(lines.join("\n")).toContain("switch: done before");
  expect(await snapshots.countDocuments({ _id: /^figures:/ as never })).toBe(0);
  const { DataValue } = valueModels(plans[0]!.db);
  expect(await DataValue.countDocuments({ indicator: "II.12" })).toBe(0);

  const again = await started(demo.db, true);
  expect(await again.series()).toEqual([
    { period: "2026-08", numerator: 61 },
    { period: "2026-09", numerator: 63 },
  ]);
}, 120_000);

it("stops at figures someone reported in the agency's database", async () => {
  const agency = await started(reported.db, false);
  await agency.submit("2026-07", 50);
  await agency.close();
  const refused = move(plans[1]!.db, reported.db);
  await expect(refused).rejects.toThrow(MoveError);
  await expect(refused).rejects.toThrow(/already holds figures of II\.12 .* not its demo data/);
  const { DataValue } = valueModels(plans[1]!.db);
  expect(await DataValue.countDocuments({ indicator: "II.12" })).toBe(3);
}, 60_000);
