// An agency's indicators beyond the plan (education's EDU-S1, EDU-S2) as the plan sees them in the
// figures it reads of education through the graph: found by code, in their own section of the
// agency's scorecard and in late reporting, and never in the city scorecard's counts of the plan's 56.
// The graph here is a stand-in gateway on a local port, answering the plan's reads as the gateway
// would: education's figures, and none for the other agencies.
import { createLogger, type SubgraphRuntime } from "@p06/subgraph-kit";
import { catalogue } from "@p06/catalogue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessServer } from "../../../test/support/execute.js";
import { useTestDatabase } from "../../../test/support/database.js";
import { buildPlanSchema, openPlan, type PlanContext } from "../src/schema.js";
import { standInGraph, type StandInGraph } from "./support/stand-in-graph.js";

const database = useTestDatabase("plan_supplementary");
let server: ReturnType<typeof inProcessServer>;
let runtime: SubgraphRuntime<PlanContext>;
let graph: StandInGraph;

/** An agency with nothing reported this month. */
const nothing = {
  summaries: [],
  reporting: [],
  supplementarySummaries: [],
  supplementaryReporting: [],
};

beforeAll(async () => {
  graph = await standInGraph((spec) => (spec.name === "education" ? education : nothing));
  runtime = await openPlan(database.db, createLogger("plan", "silent"), {
    followMs: 0,
    graphReader: graph.reader,
  });
  server = inProcessServer(buildPlanSchema(), runtime.context);
});
afterAll(async () => {
  await runtime.close();
  await graph.close();
});

const october = (value: number) => ({
  period: "2026-10",
  numerator: value,
  denominator: 100,
  value,
  met: null,
  reportingUnits: 114,
  source: "AGGREGATED",
});

/** Education's figures for October 2026: III.9 complete, EDU-S1 reported by two communes, EDU-S2 not. */
const education = {
  agencies: ["DOET"],
  // each indicator's summary for the review, as education's subgraph works it out
  summaries: [
    {
      code: "III.9",
      measure: "PERCENT",
      timeAggregation: "STOCK",
      baseline: october(70),
      latest: october(70),
      yearIsOver: false,
      yearTotal: null,
      monthsInYear: 1,
      contribution: null,
    },
  ],
  reporting: [
    {
      code: "III.9",
      agencies: ["DOET"],
      expected: 114,
      received: 114,
      onTime: 114,
      missingUnits: [],
      lateUnits: [],
    },
  ],
  supplementarySummaries: [
    { code: "EDU-S1", lastMonth: october(62.5) },
    { code: "EDU-S2", lastMonth: null },
  ],
  supplementaryReporting: [
    {
      code: "EDU-S1",
      agencies: ["DOET"],
      expected: 114,
      received: 2,
      onTime: 1,
      missingUnits: ["10507"],
      lateUnits: ["10525"],
    },
    {
      code: "EDU-S2",
      agencies: ["DOET"],
      expected: 1,
      received: 0,
      onTime: 0,
      missingUnits: ["31"],
      lateUnits: [],
    },
  ],
};
const review = { __typename: "ProgressReview", year: 2026, period: "2026-10" };

const entity = async <T>(selection: string) => {
  const { data, errors } = await server.execute<{ _entities: T[] }>(
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ProgressReview { ${selection} } } }`,
    { r: [review] },
  );
  expect(errors).toBeUndefined();
  return data!._entities[0]!;
};

describe("supplementary indicators", () => {
  it("finds one by code, as the type of the agency whose code prefix it carries", async () => {
    const { data, errors } = await server.execute(`{
      s1: supplementaryIndicator(code: "EDU-S1") { __typename code }
      plan: supplementaryIndicator(code: "III.9") { code }
      nobody: supplementaryIndicator(code: "XYZ-1") { code }
      notInAppendixI: indicator(code: "EDU-S1") { code }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      s1: { __typename: "EducationSupplementaryIndicator", code: "EDU-S1" },
      plan: null,
      nobody: null,
      notInAppendixI: null,
    });
  });

  it("lists the agency's supplementary indicators in their own section of its scorecard", async () => {
    const scorecard = await entity<{
      agency: {
        indicators: { indicator: { code: string } }[];
        reporting: { expected: number; received: number };
        supplementary: unknown[];
        supplementaryReporting: unknown;
      };
    }>(`agency(code: "DOET", asOf: "2026-11-15") {
      indicators { indicator { code } }
      reporting { expected received }
      supplementary {
        indicator { __typename code }
        latest { period value }
        reporting { code expected received onTime missingUnits lateUnits }
      }
      supplementaryReporting { expected received onTime completeness timeliness indicators { code } }
    }`);
    const { agency } = scorecard;
    expect(agency.indicators.map((i) => i.indicator.code)).not.toContain("EDU-S1");
    // the plan's reporting, which the score counts, is the plan's indicators' alone
    expect(agency.reporting).toEqual({ expected: 114, received: 114 });
    expect(agency.supplementary).toEqual([
      {
        indicator: { __typename: "EducationSupplementaryIndicator", code: "EDU-S1" },
        latest: { period: "2026-10", value: 62.5 },
        reporting: {
          code: "EDU-S1",
          expected: 114,
          received: 2,
          onTime: 1,
          missingUnits: ["10507"],
          lateUnits: ["10525"],
        },
      },
      {
        indicator: { __typename: "EducationSupplementaryIndicator", code: "EDU-S2" },
        latest: null,
        reporting: {
          code: "EDU-S2",
          expected: 1,
          received: 0,
          onTime: 0,
          missingUnits: ["31"],
          lateUnits: [],
        },
      },
    ]);
    expect(agency.supplementaryReporting).toEqual({
      expected: 115,
      received: 2,
      onTime: 1,
      completeness: 1.74,
      timeliness: 0.87,
      indicators: [{ code: "EDU-S1" }, { code: "EDU-S2" }],
    });
  });

  it("shows a missing or late supplementary figure in late reporting, apart from the plan's", async () => {
    const { lateReporting } = await entity<{
      lateReporting: {
        agency: { code: string };
        unit: { code: string };
        missing: { code: string }[];
        late: { code: string }[];
        missingSupplementary: { __typename: string; code: string }[];
        lateSupplementary: { code: string }[];
      }[];
    }>(`lateReporting {
      agency { code } unit { code }
      missing { code } late { code }
      missingSupplementary { __typename code } lateSupplementary { code }
    }`);
    const doet = lateReporting.filter((r) => r.agency.code === "DOET");
    expect(doet).toEqual([
      {
        agency: { code: "DOET" },
        unit: { code: "10507" },
        missing: [],
        late: [],
        missingSupplementary: [{ __typename: "EducationSupplementaryIndicator", code: "EDU-S1" }],
        lateSupplementary: [],
      },
      {
        agency: { code: "DOET" },
        unit: { code: "10525" },
        missing: [],
        late: [],
        missingSupplementary: [],
        lateSupplementary: [{ code: "EDU-S1" }],
      },
      {
        agency: { code: "DOET" },
        unit: { code: "31" },
        missing: [],
        late: [],
        missingSupplementary: [{ __typename: "EducationSupplementaryIndicator", code: "EDU-S2" }],
        lateSupplementary: [],
      },
    ]);
  });

  it("keeps the city scorecard's counts on the plan's 56 indicators of Appendix I", async () => {
    expect(catalogue.indicators).toHaveLength(56);
    const { scorecard } = await entity<{
      scorecard: {
        indicators: { indicator: { code: string } }[];
        byStatus: { count: number }[];
        byGroup: { total: number }[];
        byAgency: { agency: { code: string }; total: number }[];
      };
    }>(`scorecard {
      indicators { indicator { code } }
      byStatus { count }
      byGroup { total }
      byAgency { agency { code } total }
    }`);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(scorecard.indicators).toHaveLength(56);
    expect(scorecard.indicators.map((i) => i.indicator.code)).not.toContain("EDU-S1");
    expect(sum(scorecard.byStatus.map((s) => s.count))).toBe(56);
    expect(sum(scorecard.byGroup.map((g) => g.total))).toBe(56);
    // DOET tracks III.9 and II.5 (second-named) in Appendix I: its supplementary ones are not counted
    const doet = scorecard.byAgency.find((a) => a.agency.code === "DOET")!;
    expect(doet.total).toBe(
      catalogue.indicators.filter((i) => i.trackingAgencies.includes("DOET")).length,
    );
  });
});
