// An agency's indicators beyond the plan through the gateway, over the real subgraphs: education's
// EDU-S1 found by code, its figure on DOET's scorecard in a section of its own, its missing figures in
// late reporting, and the city scorecard still counting exactly the plan's 56 indicators.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue } from "@p06/catalogue";
import { startSystem, type RunningSystem } from "./support/system.js";

const operation = (name: string) =>
  readFileSync(new URL(`../gateway/operations/${name}.graphql`, import.meta.url), "utf8");

let system: RunningSystem;
const PERIOD = "2026-10";
/** The commune that reports EDU-S1 (after the due date: the system runs on today's clock). */
const REPORTED = "10507";
const SILENT = "10525";

beforeAll(async () => {
  system = await startSystem("supplementary");
  const { errors } = await system.query(
    `mutation { submitEducationValue(input: { indicator: "EDU-S1", unit: "${REPORTED}", period: "${PERIOD}", numerator: 450, denominator: 600 }) { value } }`,
    {},
    "DOET",
  );
  expect(errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

describe("supplementary indicators through the gateway", () => {
  it("finds EDU-S1 by code, with what the education subgraph says of it", async () => {
    const { data, errors } = await system.query(`{
      s1: supplementaryIndicator(code: "EDU-S1") {
        __typename code supplementary title titleVi unit measure reportingLevel
        citySeries { period value reportingUnits }
        ... on EducationSupplementaryIndicator { bySchoolLevel(period: "${PERIOD}") { category } }
      }
      outside: supplementaryIndicator(code: "XYZ-1") { code }
      unknown: supplementaryIndicator(code: "EDU-S9") { code title }
      plan: indicator(code: "EDU-S1") { code }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      s1: {
        __typename: "EducationSupplementaryIndicator",
        code: "EDU-S1",
        supplementary: true,
        title: "Share of students with a digital school record",
        titleVi: "Tỷ lệ học sinh có học bạ số",
        unit: "%",
        measure: "PERCENT",
        reportingLevel: "COMMUNE",
        citySeries: [{ period: PERIOD, value: 75, reportingUnits: 1 }],
        bySchoolLevel: [],
      },
      outside: null,
      unknown: null,
      plan: null,
    });
  });

  it("shows EDU-S1's figure on DOET's scorecard, in its supplementary section", async () => {
    const { data, errors } = await system.query<{
      review: { agency: Record<string, unknown> };
    }>(`{
      review(year: 2026, period: "${PERIOD}") {
        agency(code: "DOET") {
          indicators { indicator { code } }
          reporting { indicators { code } }
          supplementary {
            indicator { __typename code title unit }
            latest { period value }
            reporting { expected received onTime lateUnits }
          }
          supplementaryReporting { expected received onTime }
        }
      }
    }`);
    expect(errors).toBeUndefined();
    const agency = data!.review.agency as {
      indicators: { indicator: { code: string } }[];
      reporting: { indicators: { code: string }[] };
      supplementary: Record<string, unknown>[];
      supplementaryReporting: Record<string, unknown>;
    };
    // the plan's section is the plan's: III.9 and II.5
    expect(agency.indicators.map((i) => i.indicator.code).sort()).toEqual(["II.5", "III.9"]);
    expect(agency.reporting.indicators.map((i) => i.code)).not.toContain("EDU-S1");
    expect(agency.supplementary[0]).toEqual({
      indicator: {
        __typename: "EducationSupplementaryIndicator",
        code: "EDU-S1",
        title: "Share of students with a digital school record",
        unit: "%",
      },
      latest: { period: PERIOD, value: 75 },
      reporting: { expected: 114, received: 1, onTime: 0, lateUnits: [REPORTED] },
    });
    expect(agency.supplementary[1]).toMatchObject({ indicator: { code: "EDU-S2" }, latest: null });
    expect(agency.supplementaryReporting).toEqual({ expected: 115, received: 1, onTime: 0 });
  });

  it("lists a missing EDU-S1 figure in late reporting for DOET", async () => {
    const { data, errors } = await system.query<{
      review: {
        lateReporting: {
          agency: { code: string };
          unit: { code: string };
          missingSupplementary: { code: string; title: string }[];
          lateSupplementary: { code: string }[];
        }[];
      };
    }>(`{
      review(year: 2026, period: "${PERIOD}") {
        lateReporting(limit: 5000) {
          agency { code } unit { code }
          missingSupplementary { code title } lateSupplementary { code }
        }
      }
    }`);
    expect(errors).toBeUndefined();
    const doet = (unit: string) =>
      data!.review.lateReporting.find((r) => r.agency.code === "DOET" && r.unit.code === unit);
    expect(doet(SILENT)!.missingSupplementary).toEqual([
      { code: "EDU-S1", title: "Share of students with a digital school record" },
    ]);
    expect(doet(REPORTED)).toMatchObject({
      missingSupplementary: [],
      lateSupplementary: [{ code: "EDU-S1" }],
    });
    expect(doet("31")!.missingSupplementary.map((i) => i.code)).toEqual(["EDU-S2"]);
  });

  it("keeps the city scorecard's totals on the plan's 56 indicators", async () => {
    const { data, errors } = await system.query<{
      review: {
        scorecard: {
          indicators: { indicator: { code: string } }[];
          byStatus: { count: number }[];
          byGroup: { total: number }[];
          byAgency: { agency: { code: string }; total: number }[];
        };
      };
    }>(operation("1-city-scorecard"), { year: 2026, period: PERIOD });
    expect(errors).toBeUndefined();
    const { scorecard } = data!.review;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const codes = scorecard.indicators.map((i) => i.indicator.code);
    expect(codes).toEqual(catalogue.indicators.map((i) => i.code));
    expect(codes).toHaveLength(56);
    expect(codes.some((code) => code.startsWith("EDU-S"))).toBe(false);
    expect(sum(scorecard.byStatus.map((s) => s.count))).toBe(56);
    expect(sum(scorecard.byGroup.map((g) => g.total))).toBe(56);
    expect(scorecard.byAgency.find((a) => a.agency.code === "DOET")!.total).toBe(2);
  });
});
