// The education subgraph over a real database, with the schools' share of II.5 and the department's
// supplementary indicators.
import { createLogger, type KitContext, type SubgraphRuntime } from "@p06/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../../test/support/database.js";
import { inProcessServer } from "../../../test/support/execute.js";
import { NOW, reportingSuite } from "../../../test/support/reporting-suite.js";
import { buildEducationSubgraph, SCHOOL_LEVELS } from "../src/schema.js";

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
});
