// `npm run new:subgraph` in a temporary working copy: the Department of Industry and Trade joins the
// graph with its own subgraph; composition is green, the plan's view of its indicators moves to the
// new type, and a figure it submits through the gateway shows in the city's series.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { startSystem, type RunningSystem } from "./support/system.js";
import { workingCopy, type WorkingCopy } from "./support/working-copy.js";

const run = promisify(execFile);

describe("npm run new:subgraph", () => {
  let copy: WorkingCopy;
  let system: RunningSystem | undefined;
  let output = "";

  const generate = (...args: string[]) =>
    run(process.execPath, ["--import", "tsx", "scripts/new-subgraph.ts", ...args], {
      cwd: copy.root,
      env: { ...process.env, NODE_ENV: "" },
    });

  beforeAll(async () => {
    copy = await workingCopy();
    const result = await generate(
      "--name",
      "industry-trade",
      "--agency",
      "DOIT",
      "--commune",
      "II.2",
      "--no-install",
    );
    output = result.stdout + result.stderr;
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await copy?.remove();
  });

  it("writes the package, adds it to the one list and composes", () => {
    const file = (path: string) => readFileSync(join(copy.root, path), "utf8");
    for (const path of [
      "package.json",
      "tsconfig.json",
      "schema.graphql",
      "src/schema.ts",
      "src/index.ts",
      "test/industry-trade.test.ts",
    ]) {
      expect(existsSync(join(copy.root, "subgraphs/industry-trade", path)), path).toBe(true);
    }
    expect(JSON.parse(file("subgraphs/catalogue/src/subgraphs.json")).at(-1)).toEqual({
      name: "industry-trade",
      prefix: "IndustryTrade",
      port: 4107,
      agencies: ["DOIT"],
    });
    expect(file("subgraphs/industry-trade/test/industry-trade.test.ts")).toContain(
      "reportingSuite(",
    );
    const supergraph = file("schema/supergraph.graphql");
    expect(supergraph).toContain('INDUSTRY_TRADE @join__graph(name: "industry-trade"');
    expect(supergraph).toMatch(/type IndustryTradeIndicator implements Indicator/);
    expect(existsSync(join(copy.root, "schema/subgraphs/industry-trade.graphql"))).toBe(true);
    expect(output).toContain("wrote 7 subgraph schemas");
  });

  it(
    "generates a package that passes the shared reporting suite",
    { timeout: 120_000 },
    async () => {
      await run(
        process.execPath,
        ["node_modules/vitest/vitest.mjs", "run", "--project", "fast", "subgraphs/industry-trade"],
        { cwd: copy.root, env: { ...process.env, MONGODB_URI: inject("mongodbUri") } },
      );
      // the copy's vitest writes its totals as the repository's does
      const totals = JSON.parse(readFileSync(join(copy.root, "test-results.json"), "utf8")) as {
        numPassedTests: number;
        numFailedTests: number;
      };
      expect(totals.numFailedTests).toBe(0);
      expect(totals.numPassedTests).toBeGreaterThanOrEqual(20);
    },
  );

  it("refuses a bad request, naming each problem, and writes nothing", async () => {
    const refused = await generate("--name", "Health!", "--agency", "DOH,NOPE").catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 2 });
    const message = (refused as { stderr: string }).stderr;
    expect(message).toContain('--name "Health!"');
    expect(message).toContain("--agency DOH: already reported by the health subgraph");
    expect(message).toContain("--agency NOPE: no such agency");
    const list = JSON.parse(
      readFileSync(join(copy.root, "subgraphs/catalogue/src/subgraphs.json"), "utf8"),
    ) as { name: string }[];
    expect(list.map((s) => s.name)).toEqual([
      "plan",
      "identity",
      "procedures",
      "health",
      "education",
      "social-security",
      "industry-trade",
    ]);
  });

  it(
    "serves the new subgraph through the gateway: a figure it takes shows in the plan's series",
    { timeout: 180_000 },
    async () => {
      await run(process.execPath, ["--import", "tsx", "scripts/build.ts"], { cwd: copy.root });
      system = await startSystem("new_subgraph", {}, { root: copy.root });
      expect(Object.keys(system.services)).toContain("industry-trade");
      const submitted = await system.query<{ submitIndustryTradeValue: { value: number } }>(
        `mutation {
          submitIndustryTradeValue(
            input: { indicator: "II.2", unit: "10507", period: "2026-10", numerator: 30, denominator: 50 }
          ) { value }
        }`,
        {},
        "DOIT",
      );
      expect(submitted.errors).toBeUndefined();
      expect(submitted.data!.submitIndustryTradeValue.value).toBe(60);
      const read = await system.query<{
        indicator: { __typename: string; series: { period: string; value: number }[] };
      }>(`{ indicator(code: "II.2") { __typename series { period value } } }`);
      expect(read.errors).toBeUndefined();
      expect(read.data!.indicator).toEqual({
        __typename: "IndustryTradeIndicator",
        series: [{ period: "2026-10", value: 60 }],
      });
      // another agency may not write it
      const stranger = await system.query(
        `mutation { submitIndustryTradeValue(input: { indicator: "II.2", unit: "10507", period: "2026-10", numerator: 1, denominator: 2 }) { value } }`,
        {},
        "DOH",
      );
      expect(stranger.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

      // what a commune owes the new agency is in the commune's month, from the new subgraph alone
      const month = await system.query<{
        reportingUnit: { industryTradeObligations: { obligations: Record<string, unknown>[] } };
      }>(
        `{ reportingUnit(code: "10507") { industryTradeObligations(period: "2026-10") { obligations { indicator agencies value reportedBy onBehalf } } } }`,
        {},
        {
          agency: "COMMUNE",
          commune: "10507",
          person: { id: "thanhdong.canbo", name: "Đỗ Văn Long" },
          roles: ["commune-officer"],
        },
      );
      expect(month.errors).toBeUndefined();
      expect(month.data!.reportingUnit.industryTradeObligations.obligations).toEqual([
        { indicator: "II.2", agencies: ["DOIT"], value: 60, reportedBy: "DOIT", onBehalf: true },
      ]);
      // with no change to the plan's ReportingUnit
      const reportingUnitOf = (root: string) =>
        /type ReportingUnit\s+@key[^}]*}\s+extend type ReportingUnit {[^}]*}/.exec(
          readFileSync(join(root, "schema/subgraphs/plan.graphql"), "utf8"),
        )?.[0];
      expect(reportingUnitOf(copy.root)).toBeDefined();
      expect(reportingUnitOf(copy.root)).toBe(reportingUnitOf(repoRoot));
    },
  );
});
