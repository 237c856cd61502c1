// A commune's monthly score: its reporting of the month, its indicator results and its implementation
// plan, weighted as an agency's score is and renormalised over the parts it has; the rank it gives.
import type { IndicatorReporting } from "@p06/subgraph-kit";
import { describe, expect, it } from "vitest";
import { COMMUNE_PLAN_DUE, communePlanPoints, demoCommunePlans } from "../src/commune-plans.js";
import {
  COMMUNE_SCORE_WEIGHTS,
  communeScore,
  communesReporting,
  rankByTotal,
  reportingRates,
} from "../src/commune-score.js";
import type { CommunePlanDoc, IndicatorDoc } from "../src/models.js";
import { Review, SCORE_WEIGHTS, type ReviewSummary } from "../src/review.js";
import { previousMonth } from "../src/resolvers/review.js";

const reporting = (code: string, missing: string[], late: string[]): IndicatorReporting => ({
  code,
  agencies: ["DOH"],
  expected: 3,
  received: 3 - missing.length,
  onTime: 3 - missing.length - late.length,
  missingUnits: missing,
  lateUnits: late,
});

describe("a commune's reporting of the month", () => {
  const units = ["10001", "10002", "10003"];
  const byUnit = communesReporting(
    [
      reporting("I.6", ["10002"], ["10003"]),
      reporting("II.5", [], ["10003"]),
      // a city-level indicator expects nothing of a commune
      reporting("III.1", ["31"], []),
    ],
    new Set(["I.6", "II.5"]),
    units,
  );

  it("counts only the commune-level indicators: expected, received, on time, missing and late named", () => {
    expect(byUnit.get("10001")).toEqual({
      expected: 2,
      received: 2,
      onTime: 2,
      missing: [],
      late: [],
    });
    expect(byUnit.get("10002")).toMatchObject({ received: 1, onTime: 1, missing: ["I.6"] });
    expect(byUnit.get("10003")).toMatchObject({ received: 2, onTime: 0, late: ["I.6", "II.5"] });
  });

  it("gives completeness and timeliness in percent, none when nothing is expected", () => {
    expect(reportingRates(byUnit.get("10002")!)).toEqual({ completeness: 50, timeliness: 50 });
    expect(reportingRates(byUnit.get("10003")!)).toEqual({ completeness: 100, timeliness: 0 });
    expect(reportingRates({ expected: 0, received: 0, onTime: 0, missing: [], late: [] })).toEqual({
      completeness: null,
      timeliness: null,
    });
  });
});

describe("the monthly score", () => {
  it("weighs its parts as an agency's: 40% indicators, 30% tasks, 30% reporting", () => {
    expect(COMMUNE_SCORE_WEIGHTS).toEqual(SCORE_WEIGHTS);
    expect(communeScore({ indicators: 50, tasks: 100, reporting: 80 })).toEqual({
      total: 0.4 * 50 + 0.3 * 100 + 0.3 * 80,
      indicators: 50,
      tasks: 100,
      reporting: 80,
    });
  });

  it("renormalises over the parts it has: a missing part is not a zero", () => {
    // no figures ranked: tasks and reporting share the weight
    expect(communeScore({ indicators: null, tasks: 100, reporting: 50 }).total).toBe(75);
    // a month before the plan was due: indicators and reporting alone
    expect(communeScore({ indicators: 20, tasks: null, reporting: 90 }).total).toBe(
      Math.round(((0.4 * 20 + 0.3 * 90) / 0.7) * 100) / 100,
    );
    expect(communeScore({ indicators: null, tasks: null, reporting: null }).total).toBeNull();
  });

  it("ranks by total, ties sharing the better rank, the unscored left out", () => {
    const rows = [{ total: 70 }, { total: 90 }, { total: 70 }, { total: null }, { total: 10 }];
    const { rankOf, outOf } = rankByTotal(rows);
    expect(rows.map((r) => rankOf.get(r) ?? null)).toEqual([2, 1, 2, null, 4]);
    expect(outOf).toBe(4);
  });
});

describe("the implementation plan's part (section VII.1, due before 15 June 2026)", () => {
  const plan = (issuedOn: string) => ({ issuedOn });
  it("earns 100 issued before the due date, 50 later, 0 once due and not issued", () => {
    expect(COMMUNE_PLAN_DUE).toBe("2026-06-15");
    expect(communePlanPoints(plan("2026-06-12"), "2026-10")).toBe(100);
    expect(communePlanPoints(plan("2026-07-20"), "2026-10")).toBe(50);
    expect(communePlanPoints(null, "2026-06")).toBe(0);
  });

  it("stands as at the month's end: a plan issued later does not count before it", () => {
    expect(communePlanPoints(plan("2026-07-20"), "2026-06")).toBe(0);
    expect(communePlanPoints(plan("2026-07-20"), "2026-07")).toBe(50);
  });

  it("is no part of a month that ended before the plan was due", () => {
    expect(communePlanPoints(null, "2026-05")).toBeNull();
  });
});

describe("the demo's commune plans", () => {
  const units = Array.from({ length: 114 }, (_, i) => String(10_000 + i * 7));
  it("a believable share issued, mostly on time, none after now, none before the city's plan", () => {
    const plans = demoCommunePlans(units, 6, new Date("2026-12-07T03:00:00Z"));
    expect(plans.length).toBeGreaterThan(80);
    expect(plans.length).toBeLessThan(110);
    const onTime = plans.filter((p) => p.issuedOn < "2026-06-15").length;
    expect(onTime / plans.length).toBeGreaterThan(0.7);
    expect(plans.every((p) => p.issuedOn >= "2026-06-09" && p.issuedOn <= "2026-12-07")).toBe(true);
    expect(plans.every((p) => p.recordedAt.getTime() <= Date.parse("2026-12-07T03:00:00Z"))).toBe(
      true,
    );
    expect(demoCommunePlans(units, 6, new Date("2026-12-07T03:00:00Z"))).toEqual(plans);
  });

  it("has none before the plan existed, and only those issued by now on its first days", () => {
    expect(demoCommunePlans(units, 6, new Date("2026-05-01T00:00:00Z"))).toEqual([]);
    const early = demoCommunePlans(units, 6, new Date("2026-06-11T00:00:00Z"));
    expect(early.every((p) => p.issuedOn <= "2026-06-11")).toBe(true);
  });
});

describe("a review's communes", () => {
  const indicator = (code: string) =>
    ({
      code,
      order: 0,
      group: "I",
      title: code,
      titleVi: code,
      unitVi: "%",
      targets: [],
      trackingAgencies: ["DOH"],
      trackingAgenciesVi: null,
    }) as IndicatorDoc;
  const summary = (code: string, ranked: string[]): ReviewSummary => ({
    code,
    measure: "PERCENT",
    timeAggregation: "STOCK",
    reportingLevel: "COMMUNE",
    baseline: null,
    latest: null,
    yearIsOver: false,
    yearTotal: null,
    monthsInYear: 0,
    contribution: null,
    rankedUnits: ranked.map((unit, i) => ({ unit, value: 90 - i * 10, met: null, rank: i + 1 })),
  });
  const plans = new Map<string, CommunePlanDoc>([
    [
      "A",
      {
        _id: "1",
        unit: "A",
        issuedOn: "2026-06-10",
        documentNumber: "12/KH-UBND",
        recordedBy: "IOC",
        person: null,
        recordedAt: new Date(),
      },
    ],
  ]);
  const review = new Review({
    year: 2026,
    period: "2026-10",
    indicators: [indicator("I.6"), indicator("II.5")],
    figures: [
      {
        summaries: [summary("I.6", ["A", "B"]), summary("II.5", ["B", "A"])],
        reporting: [
          { ...reporting("I.6", ["C"], []), expected: 3 },
          { ...reporting("II.5", ["C"], ["A"]), expected: 3 },
        ],
      },
    ],
    assignments: [],
    tasks: [],
    taskUpdates: new Map(),
    communeUnits: ["A", "B", "C"],
    communePlans: plans,
  });

  it("scores every active unit on its parts and ranks them by the total", () => {
    const [first, second, third] = review.communes(["C", "B", "A"]);
    // A: half first, half last (50); its plan on time (100); II.5 late: (100 + 50) / 2
    expect(first).toMatchObject({
      unitCode: "A",
      rank: 1,
      outOf: 3,
      monthlyScore: { indicators: 50, tasks: 100, reporting: 75 },
      implementationPlan: { documentNumber: "12/KH-UBND" },
    });
    expect(first!.score).toBe(Math.round((0.4 * 50 + 0.3 * 100 + 0.3 * 75) * 100) / 100);
    // B: the same results, no plan, everything on time
    expect(second).toMatchObject({
      unitCode: "B",
      rank: 2,
      monthlyScore: { indicators: 50, tasks: 0, reporting: 100 },
    });
    // C reported nothing: no indicator part, reporting 0, no plan
    expect(third).toMatchObject({
      unitCode: "C",
      rank: 3,
      score: 0,
      monthlyScore: { indicators: null, tasks: 0, reporting: 0 },
      reporting: { expected: 2, received: 0, missing: ["I.6", "II.5"], completeness: 0 },
    });
  });
});

describe("the months of a trend", () => {
  it("step back a month at a time within the calendar year", () => {
    expect(previousMonth("2026-10")).toBe("2026-09");
    expect(previousMonth("2026-02")).toBe("2026-01");
    expect(previousMonth("2026-01")).toBeNull();
  });
});
