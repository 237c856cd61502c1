// Composition as a build step: the checked-in supergraph is current, a broken subgraph fails with a
// clear message, and a change that breaks a client operation names the subgraph and the field.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { operationCost } from "../gateway/src/trust/limits.js";
import {
  apiSchemaOf,
  breakingChanges,
  clientOperations,
  composeSupergraph,
  CompositionError,
  operationsDir,
  supergraphPath,
} from "../scripts/lib/composition.js";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { publishedSdlPath, publishedSdls, subgraphSdls } from "../scripts/lib/subgraph-schemas.js";

const sdls = await subgraphSdls();
const composed = composeSupergraph(publishedSdls());
const checkedIn = readFileSync(supergraphPath, "utf8");

describe("composition", () => {
  it("composes the six subgraphs into the checked-in supergraph", () => {
    expect(sdls.map((s) => s.name)).toEqual([
      "plan",
      "identity",
      "procedures",
      "health",
      "education",
      "social-security",
    ]);
    expect(composed).toBe(checkedIn);
  });

  it("composes the published SDL files, each the one its subgraph builds", () => {
    for (const { name, sdl } of sdls) {
      expect(readFileSync(publishedSdlPath(name), "utf8"), name).toBe(sdl);
    }
  });

  it("keeps every client operation valid", () => {
    const operations = clientOperations();
    expect(operations.map((o) => o.file)).toEqual([
      "1-city-scorecard.graphql",
      "2-agency-scorecard.graphql",
      "3-commune-drill-down.graphql",
      "4-late-reporting.graphql",
      "5-indicator-series.graphql",
      "6-tasks-due.graphql",
      // the dashboard's pages and the agency's pages (their month, data entry, uploads, review)
      "web-agency-month.graphql",
      "web-agency.graphql",
      "web-answer-explanation.graphql",
      "web-commune-league.graphql",
      "web-commune-month.graphql",
      "web-commune.graphql",
      "web-communes.graphql",
      "web-confirm-figure.graphql",
      "web-data-values.graphql",
      "web-explanations.graphql",
      "web-figure-versions.graphql",
      "web-import-report.graphql",
      "web-indicator-figures.graphql",
      "web-indicator.graphql",
      "web-late-reporting.graphql",
      "web-month-report.graphql",
      "web-month-review.graphql",
      "web-overview.graphql",
      "web-reminders.graphql",
      "web-request-explanation.graphql",
      "web-review-month.graphql",
      "web-submit-commune-month.graphql",
      "web-submit-month.graphql",
      "web-submit-report.graphql",
      "web-tasks.graphql",
      "web-template-figures.graphql",
      "web-year-review.graphql",
    ]);
    expect(breakingChanges(checkedIn, composed, operations)).toEqual([]);
  });

  it("prices every client operation, with its variables, within the gateway's cost limit", () => {
    // MAX_COST's default (gateway/src/config.ts): a page over it is refused whole
    const maxCost = 100_000;
    const schema = apiSchemaOf(checkedIn);
    const over = clientOperations().flatMap(({ file, document }) => {
      const variablesFile = join(operationsDir, file.replace(/\.graphql$/, ".variables.json"));
      const variables = existsSync(variablesFile)
        ? (JSON.parse(readFileSync(variablesFile, "utf8")) as Record<string, unknown>)
        : {};
      const fragments = Object.fromEntries(
        document.definitions
          .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((d) => [d.name.value, d]),
      );
      return document.definitions
        .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
        .map((operation) => ({
          file,
          cost: operationCost(schema, operation, fragments, variables),
        }))
        .filter(({ cost }) => cost > maxCost);
    });
    expect(over).toEqual([]);
  });

  it("fails a subgraph schema that breaks composition, naming the subgraph and the field", () => {
    // health declares the series it shares with every agency with another type than theirs
    const broken = sdls.map((s) =>
      s.name === "health"
        ? { ...s, sdl: s.sdl.replaceAll("citySeries: [CityMonth!]!", "citySeries: [String!]!") }
        : s,
    );
    expect(() => composeSupergraph(broken)).toThrow(CompositionError);
    expect(() => composeSupergraph(broken)).toThrow(/IndicatorSeries\.citySeries[\s\S]*"health"/);
  });

  it("fails a change that removes or retypes a field a client operation uses, naming subgraph and field", () => {
    const removed = composeSupergraph(
      sdls.map((s) =>
        s.name === "plan"
          ? {
              ...s,
              sdl: s.sdl.replace(
                '"""Its rank by its monthly score among the units (1 is best)."""\n  rank: Int\n',
                "",
              ),
            }
          : s,
      ),
    );
    expect(breakingChanges(checkedIn, removed, clientOperations())).toEqual([
      "3-commune-drill-down.graphql: uses CommuneDrillDown.rank (subgraph plan), which the new supergraph removes",
      "web-commune-league.graphql: uses CommuneDrillDown.rank (subgraph plan), which the new supergraph removes",
      "web-commune.graphql: uses CommuneDrillDown.rank (subgraph plan), which the new supergraph removes",
      "web-communes.graphql: uses CommuneDrillDown.rank (subgraph plan), which the new supergraph removes",
      "web-month-report.graphql: uses CommuneDrillDown.rank (subgraph plan), which the new supergraph removes",
    ]);
    const retyped = composeSupergraph(
      sdls.map((s) =>
        s.name === "plan" ? { ...s, sdl: s.sdl.replace("  gap: Float\n", "  gap: String\n") } : s,
      ),
    );
    expect(breakingChanges(checkedIn, retyped, clientOperations())).toEqual([
      "1-city-scorecard.graphql: uses Progress.gap (subgraph plan), retyped from Float to String",
      "5-indicator-series.graphql: uses Progress.gap (subgraph plan), retyped from Float to String",
      "web-indicator.graphql: uses Progress.gap (subgraph plan), retyped from Float to String",
    ]);
  });

  it("checks a proposed schema for one subgraph as rover subgraph check does", async () => {
    const run = async (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "scripts/compose.ts", "--check", ...args],
        { cwd: repoRoot },
      ).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          output: error.stdout + error.stderr,
        }),
      );
    const dir = await mkdtemp(join(tmpdir(), "p06-proposal-"));
    try {
      const plan = readFileSync(publishedSdlPath("plan"), "utf8");
      const additive = join(dir, "additive.graphql");
      await writeFile(additive, `${plan}\nextend type Query { planNote: String }\n`);
      const retyped = join(dir, "retyped.graphql");
      await writeFile(retyped, plan.replace("  gap: Float\n", "  gap: String\n"));
      const [ok, breaks, unknown] = await Promise.all([
        run("--subgraph", "plan", "--schema", additive),
        run("--subgraph", "plan", "--schema", retyped),
        run("--subgraph", "transport", "--schema", additive),
      ]);
      expect(ok).toEqual({
        code: 0,
        output: expect.stringContaining("plan's proposed schema composes with the published ones"),
      });
      expect(breaks.code).toBe(1);
      expect(breaks.output).toContain(
        "1-city-scorecard.graphql: uses Progress.gap (subgraph plan), retyped from Float to String",
      );
      expect(unknown).toEqual({
        code: 2,
        output: expect.stringContaining("no subgraph transport"),
      });
      // a proposal writes nothing
      expect(readFileSync(publishedSdlPath("plan"), "utf8")).toBe(plan);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
