// Open SDG's progress method, status by status.
import { describe, expect, it } from "vitest";
import type { CityMonth } from "../src/values/aggregate.js";
import { assessProgress, effectiveTarget, type EffectiveTarget } from "../src/values/progress.js";

const month = (period: string, value: number | null, met: boolean | null = null): CityMonth => ({
  period,
  numerator: null,
  denominator: null,
  value,
  met,
  reportingUnits: 1,
  source: "DIRECT",
});
const target = (
  value: number | null,
  kind: EffectiveTarget["kind"] = "NUMERIC",
): EffectiveTarget => ({
  year: 2026,
  raw: String(value),
  kind,
  value,
});
const assess = (
  series: CityMonth[],
  goal: EffectiveTarget | null = target(80),
  aggregation: "STOCK" | "FLOW" = "STOCK",
) =>
  assessProgress({
    year: 2026,
    target: goal,
    series,
    // flows are counts (accounts issued, diplomas issued)
    measure: aggregation === "FLOW" ? "COUNT" : "PERCENT",
    aggregation,
  });

describe("assessProgress", () => {
  // from 30 in January, 80 by December needs 50 ÷ 11 = 4.545 points a month
  it.each([
    ["reached", 80, "ACHIEVED"],
    ["at 97% of the required pace", 30 + 9 * 4.545 * 0.97, "ON_TRACK"],
    ["at exactly 95%", 30 + 9 * 4.5454545 * 0.95, "ON_TRACK"],
    ["at 90%", 30 + 9 * 4.545 * 0.9, "NEEDS_ACCELERATION"],
    ["at 60%", 30 + 9 * 4.5454545 * 0.6, "NEEDS_ACCELERATION"],
    ["at 50%", 30 + 9 * 4.545 * 0.5, "LIMITED_PROGRESS"],
    ["standing still", 30, "LIMITED_PROGRESS"],
    ["going backwards", 25, "DETERIORATING"],
  ])("judges a figure %s", (_, october, status) => {
    expect(assess([month("2026-01", 30), month("2026-10", october)]).status).toBe(status);
  });

  it("projects the observed pace to December and gives the gap", () => {
    const progress = assess([month("2026-01", 30), month("2026-10", 60)]);
    expect(progress).toMatchObject({
      gap: 20,
      projection: 66.6667,
      paceRatio: 0.7333,
      observedRatePerYear: 40,
    });
    expect(progress.projectionSeries.map((o) => o.period)).toEqual(["2026-11", "2026-12"]);
  });

  it("caps a percentage's projection at 100", () => {
    expect(assess([month("2026-01", 10), month("2026-03", 79)]).projection).toBe(100);
  });

  it("cannot assess without figures, without a target, with one month, or with a text target unassigned", () => {
    expect(assess([]).note).toBe("no figures reported yet");
    expect(assess([month("2026-10", 50)], null).note).toBe("the plan sets no target for 2026");
    expect(assess([month("2026-10", 50)]).note).toBe("one month of figures: no pace yet");
    expect(
      assess([month("2026-01", 1), month("2026-10", 5)], target(null, "ASSIGNED")).status,
    ).toBe("NOT_ASSESSABLE");
  });

  it("judges a target year on its own months: later figures only tell that it is over", () => {
    const year = [month("2026-01", 30), month("2026-12", 70)];
    // reaching 82 in March 2027 does not make 2026's target achieved
    const late = assess([...year, month("2027-03", 82)]);
    expect(late).toMatchObject({
      status: "NOT_ACHIEVED",
      latest: { period: "2026-12", value: 70 },
    });
    expect(late.note).toBe("2026 is over and the target was not reached");
    expect(assess([...year.slice(0, 1), month("2026-12", 81), month("2027-03", 75)]).status).toBe(
      "ACHIEVED",
    );
    // figures that begin after the target year cannot judge it
    expect(assess([month("2027-01", 30), month("2027-06", 60)]).status).toBe("NOT_ASSESSABLE");
  });

  it("calls a target met at the baseline and lost since deteriorating", () => {
    expect(assess([month("2026-01", 85), month("2026-10", 79)]).status).toBe("DETERIORATING");
  });

  it("judges a milestone met or not met", () => {
    const milestone = target(null, "MILESTONE");
    expect(
      assess([month("2026-09", null, false), month("2026-10", null, true)], milestone).status,
    ).toBe("ACHIEVED");
    expect(assess([month("2026-10", null, false)], milestone).status).toBe("NOT_ACHIEVED");
  });

  it("judges a flow on the year's months added up, carried to twelve months", () => {
    const flow = [month("2026-01", 100), month("2026-02", 100), month("2026-03", 100)];
    const progress = assess(flow, target(1000), "FLOW");
    // 300 in three months → 1,200 in the year: on track for 1,000
    expect(progress).toMatchObject({
      latest: { period: "2026", value: 300 },
      projection: 1200,
      status: "ON_TRACK",
    });
    expect(assess(flow, target(300), "FLOW").status).toBe("ACHIEVED");
  });
});

describe("effectiveTarget", () => {
  const targets = [
    { year: 2026, raw: "Theo chỉ tiêu được giao", kind: "ASSIGNED" as const, value: null },
    { year: 2030, raw: "100", kind: "NUMERIC" as const, value: 100 },
  ];

  it("takes the latest number assigned to a text target, and never overrides a plan number", () => {
    const assignments = [
      { year: 2026, value: 300 },
      { year: 2026, value: 500 },
      { year: 2030, value: 1 },
    ];
    expect(effectiveTarget(targets, 2026, assignments)?.value).toBe(500);
    expect(effectiveTarget(targets, 2030, assignments)?.value).toBe(100);
    expect(effectiveTarget(targets, 2027, assignments)).toBeNull();
  });
});
