// `npm run move:indicator` in a temporary working copy: the Department of Industry and Trade's new
// subgraph takes II.6 from the plan with its figures, their history and audit entries. The move is
// interrupted twice (half-way through the copy, and after the switch) and run again; then the graph
// serves II.6 from the agency with nothing lost and nothing left in the plan.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { connectDatabase } from "@p06/subgraph-kit";
import { startSystem, type RunningSystem } from "./support/system.js";
import { workingCopy, type WorkingCopy } from "./support/working-copy.js";

const run = promisify(execFile);

let copy: WorkingCopy;
let system: RunningSystem | undefined;

const tsx = (script: string, args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: copy.root,
    env: { ...process.env, NODE_ENV: "", ...env },
  });

beforeAll(async () => {
  copy = await workingCopy();
  // the agency's subgraph reports II.2 only: the plan keeps II.6 and II.8 and their figures
  await tsx("scripts/new-subgraph.ts", [
    ...["--name", "industry-trade", "--agency", "DOIT", "--indicators", "II.2"],
    ...["--commune", "II.2", "--no-install"],
  ]);
  await tsx("scripts/build.ts", []);
  system = await startSystem("move", {}, { root: copy.root });
}, 240_000);
afterAll(async () => {
  await system?.stop();
  await copy?.remove();
});

const SERIES = `{ indicator(code: "II.6") { __typename series { period numerator denominator value } } }`;

it(
  "moves II.6 from the plan to its agency: interrupted, run again, nothing lost",
  { timeout: 240_000 },
  async () => {
    const s = system!;
    const submit = async (period: string, numerator: number) => {
      const result = await s.query(
        `mutation ($input: DataValueInput!) { submitPlanValue(input: $input) { version } }`,
        { input: { indicator: "II.6", unit: "31", period, numerator, denominator: 200 } },
        "DOIT",
      );
      expect(result.errors).toBeUndefined();
    };
    await submit("2026-09", 90);
    await submit("2026-10", 120);
    await submit("2026-10", 130); // a correction: a second version of October
    const before = await s.query<{ indicator: { __typename: string; series: unknown[] } }>(SERIES);
    expect(before.data!.indicator.__typename).toBe("PlanIndicator");
    expect(before.data!.indicator.series).toHaveLength(2);

    const move = (interrupt?: string) =>
      tsx(
        "scripts/move-indicator.ts",
        [
          ...["II.6", "--to", "industry-trade"],
          ...["--plan-db", s.databases.plan!, "--target-db", s.databases["industry-trade"]!],
        ],
        { MONGODB_URI: inject("mongodbUri"), ...(interrupt && { P06_MOVE_INTERRUPT: interrupt }) },
      ).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          output: error.stdout + error.stderr,
        }),
      );
    const first = await move("mid-copy");
    expect(first.code).toBe(3);
    expect(first.output).toContain("run the same command again to finish");
    const second = await move("switch");
    expect(second.code).toBe(3);
    // half of the versions were there: the rest, and the audit entries
    expect(second.output).toContain("copy: to industry-trade, figure versions 1, audit entries 3");
    expect(second.output).toContain(
      "check: figure versions 3, audit entries 3, the same in both, with the same sums",
    );
    const list = JSON.parse(
      readFileSync(join(copy.root, "subgraphs/catalogue/src/subgraphs.json"), "utf8"),
    ) as { name: string; indicators?: string[] }[];
    expect(list.find((spec) => spec.name === "industry-trade")!.indicators).toEqual([
      "II.2",
      "II.6",
    ]);
    // the running plan (the switch not deployed yet) takes one more figure: the retirement moves it too
    await submit("2026-08", 140);
    const third = await move();
    expect(third.code, third.output).toBe(0);
    expect(third.output).toContain("copy: done before (figure versions 3");
    expect(third.output).toContain("switch: done before");
    expect(third.output).toContain(
      "retire: written to the plan since the copy and copied: figure versions 1, audit entries 1",
    );
    expect(third.output).toContain(
      "retire: the plan's copy of II.6 deleted (figure versions 4 live in industry-trade)",
    );
    // once more: everything is done, nothing is repeated
    const fourth = await move();
    expect(fourth.code).toBe(0);
    expect(fourth.output).toContain("retire: done before");

    // the databases: every version in the agency's, none left in the plan's, a note of where they went
    const db = await connectDatabase(inject("mongodbUri"), s.databases.plan!);
    try {
      const plan = db.useDb(s.databases.plan!);
      const agency = db.useDb(s.databases["industry-trade"]!);
      expect(await plan.collection("figure_versions").countDocuments({ indicator: "II.6" })).toBe(
        0,
      );
      expect(
        await plan.collection("moved_indicators").findOne({ _id: "II.6" as never }),
      ).toMatchObject({ to: "industry-trade", versions: 4, auditEntries: 4 });
      const versions = await agency
        .collection("figure_versions")
        .find({ indicator: "II.6" })
        .sort({ _id: 1 })
        .toArray();
      expect(versions.map((v) => [v._id, v.numerator, v.reportedBy])).toEqual([
        ["II.6|31|2026-08|1", 140, "DOIT"],
        ["II.6|31|2026-09|1", 90, "DOIT"],
        ["II.6|31|2026-10|1", 120, "DOIT"],
        ["II.6|31|2026-10|2", 130, "DOIT"],
      ]);
    } finally {
      await db.close();
    }

    // the new build serves II.6 from the agency: the same series, its history and its audit trail
    await tsx("scripts/build.ts", []);
    for (const name of ["plan", "industry-trade", "gateway"]) await s.restart(name);
    const after = await s.query<{
      indicator: {
        __typename: string;
        series: unknown[];
        history: { version: number; numerator: number }[];
      };
      industryTradeAuditTrail: { subject: string }[];
    }>(
      `{
        indicator(code: "II.6") {
          __typename
          series { period numerator denominator value }
          ... on IndustryTradeIndicator { history(unit: "31", period: "2026-10") { version numerator } }
        }
        industryTradeAuditTrail { subject }
      }`,
    );
    expect(after.errors).toBeUndefined();
    expect(after.data!.indicator.__typename).toBe("IndustryTradeIndicator");
    expect(after.data!.indicator.series).toEqual([
      { period: "2026-08", numerator: 140, denominator: 200, value: 70 },
      ...before.data!.indicator.series,
    ]);
    expect(after.data!.indicator.history).toEqual([
      { version: 1, numerator: 120 },
      { version: 2, numerator: 130 },
    ]);
    expect(
      after.data!.industryTradeAuditTrail.filter((entry) => entry.subject.startsWith("II.6|")),
    ).toHaveLength(4);
    // and the agency writes it now, through its own subgraph
    const written = await s.query(
      `mutation { submitIndustryTradeValue(input: { indicator: "II.6", unit: "31", period: "2026-11", numerator: 150, denominator: 200 }) { version } }`,
      {},
      "DOIT",
    );
    expect(written.errors).toBeUndefined();
  },
);
