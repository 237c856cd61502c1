// The education subgraph over a real database, with the schools' share of II.5 and the department's
// supplementary indicators.
import { createLogger, type KitContext, type SubgraphRuntime } from "@p06/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../../test/support/database.js";
import { inProcessServer } from "../../../test/support/execute.js";
import { NOW, reportingSuite } from "../../../test/support/reporting-suite.js";
import { subgraphNamed } from "@p06/catalogue";
import { buildEducationSubgraph, SCHOOL_LEVELS, supplementary } from "../src/schema.js";

reportingSuite({
  label: "education",
  build: buildEducationSubgraph,
  prefix: "Education",
  indicatorType: "EducationIndicator",
  agency: "DOET",
  percent: { code: "III.9", breakdownField: "bySchoolLevel", categories: SCHOOL_LEVELS.categories },
  cityOnly: "EDU-S2",
  stranger: "DOH",
});

describe("education: the shared indicator and supplementary indicators", () => {
  const database = useTestDatabase("education_shared");
  const subgraph = buildEducationSubgraph({ now: () => NOW });
  let server: ReturnType<typeof inProcessServer>;
  const as = { "x-p06-agency": "DOET" };

  let runtime: SubgraphRuntime<KitContext>;

  beforeAll(async () => {
    runtime = await subgraph.open(database.db, createLogger("education", "silent"), {
      demo: false,
    });
    server = inProcessServer(subgraph.schema, runtime.context);
  });
  afterAll(() => runtime.close());

  it("takes the schools' figures of II.5 and serves them as the contribution to the health indicator", async () => {
    const submitted = await server.execute(
      `mutation ($input: MonthlyReportInput!) { submitEducationReport(input: $input) { created } }`,
      {
        input: {
          period: "2026-10",
          values: [
            { indicator: "II.5", unit: "10507", numerator: 3, denominator: 4 },
            { indicator: "II.5", unit: "10525", numerator: 1, denominator: 4 },
          ],
        },
      },
      as,
    );
    expect(submitted.errors).toBeUndefined();
    const { data, errors } = await server.execute<{ _entities: Record<string, unknown>[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on HealthIndicator {
          code
          educationContribution { period numerator denominator value }
          educationValues(limit: 1, offset: 1) { unit }
        }
      } }`,
      {
        r: [
          { __typename: "HealthIndicator", code: "II.5" },
          { __typename: "HealthIndicator", code: "II.12" },
        ],
      },
    );
    expect(errors).toBeUndefined();
    expect(data?._entities).toEqual([
      {
        code: "II.5",
        educationContribution: [{ period: "2026-10", numerator: 4, denominator: 8, value: 50 }],
        educationValues: [{ unit: "10525" }],
      },
      { code: "II.12", educationContribution: [], educationValues: [] },
    ]);
  });

  it("refuses the health department's own indicators", async () => {
    const result = await server.execute(
      `mutation { submitEducationValue(input: { indicator: "II.12", unit: "10507", period: "2026-10", numerator: 1, denominator: 2 }) { version } }`,
      {},
      as,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("UNKNOWN_INDICATOR");
  });

  it("lists its supplementary indicators, marked as such", async () => {
    const { data } = await server.execute(
      `{ educationSupplementaryIndicators { code supplementary title unit measure timeAggregation reportingLevel } }`,
    );
    expect(data?.educationSupplementaryIndicators).toEqual([
      {
        code: "EDU-S1",
        supplementary: true,
        title: "Share of students with a digital school record",
        unit: "%",
        measure: "PERCENT",
        timeAggregation: "STOCK",
        reportingLevel: "COMMUNE",
      },
      {
        code: "EDU-S2",
        supplementary: true,
        title: "Digital diplomas and certificates issued in the month",
        unit: "văn bằng",
        measure: "COUNT",
        timeAggregation: "FLOW",
        reportingLevel: "CITY",
      },
    ]);
  });

  it("counts a flow indicator by value", async () => {
    const result = await server.execute<{ submitEducationValue: { value: number } }>(
      `mutation { submitEducationValue(input: { indicator: "EDU-S2", unit: "31", period: "2026-10", value: 1250 }) { value } }`,
      {},
      as,
    );
    expect(result.data?.submitEducationValue.value).toBe(1250);
  });

  it("keeps its supplementary codes in the namespace the list of subgraphs gives it", () => {
    const { supplementaryPrefix } = subgraphNamed("education");
    expect(supplementaryPrefix).toBe("EDU-S");
    expect(supplementary.every((d) => d.code.startsWith(supplementaryPrefix!))).toBe(true);
  });

  it("hands the plan its supplementary figures and reporting apart from the plan's", async () => {
    const { data, errors } = await server.execute<{
      _entities: {
        education: {
          indicators: { code: string }[];
          reporting: { code: string }[];
          supplementaryIndicators: { code: string; citySeries: { period: string }[] }[];
          supplementaryReporting: { code: string; expected: number; received: number }[];
        };
      }[];
    }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ProgressReview { education {
        indicators { code } reporting { code }
        supplementaryIndicators { code citySeries { period } }
        supplementaryReporting { code expected received }
      } } } }`,
      { r: [{ __typename: "ProgressReview", year: 2026, period: "2026-10" }] },
    );
    expect(errors).toBeUndefined();
    const figures = data!._entities[0]!.education;
    expect(figures.indicators.map((i) => i.code)).toEqual(["III.9", "II.5"]);
    expect(figures.reporting.map((r) => r.code)).toEqual(["III.9", "II.5"]);
    expect(figures.supplementaryIndicators.map((i) => i.code)).toEqual(["EDU-S1", "EDU-S2"]);
    // EDU-S2's October figure (the flow test above) is in; no commune has reported EDU-S1
    expect(figures.supplementaryIndicators[1]!.citySeries.map((m) => m.period)).toEqual([
      "2026-10",
    ]);
    expect(figures.supplementaryReporting).toEqual([
      { code: "EDU-S1", expected: 114, received: 0 },
      { code: "EDU-S2", expected: 1, received: 1 },
    ]);
  });

  it("owes its supplementary figures in its month, beside the plan's", async () => {
    const { data, errors } = await server.execute<{
      educationMonth: { expected: number; obligations: { indicator: string }[] };
    }>(
      `{ educationMonth(agency: "DOET", period: "2026-10") { expected obligations(status: MISSING) { indicator } } }`,
      {},
      as,
    );
    expect(errors).toBeUndefined();
    // III.9, II.5 and EDU-S1 in every commune, EDU-S2 for the city
    expect(data!.educationMonth.expected).toBe(3 * 114 + 1);
    const missing = new Set(data!.educationMonth.obligations.map((o) => o.indicator));
    expect(missing.has("EDU-S1")).toBe(true);
    expect(missing.has("EDU-S2")).toBe(false);
  });
});
