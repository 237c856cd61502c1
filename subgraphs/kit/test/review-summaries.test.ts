// What a reporting subgraph hands the plan for a review: each indicator's summary, worked out where
// its figures are, judges exactly as the whole series would; it stays a few numbers however long the
// series; and a write recomputes only the summary of the indicator it touched.
import { describe, expect, it } from "vitest";
import type { IndicatorDefinition } from "../src/values/definitions.js";
import type { DataValueDoc } from "../src/values/data-value.js";
import { FigureStore } from "../src/values/figure-store.js";
import { assessProgress, judgeProgress, type EffectiveTarget } from "../src/values/progress.js";

const CITY = "31";
const COMMUNES = ["10507", "10525"];
const definitions: IndicatorDefinition[] = [
  {
    code: "III.3",
    measure: "PERCENT",
    aggregation: "STOCK",
    level: "COMMUNE",
    writers: ["POLICE"],
  },
  { code: "III.4", measure: "COUNT", aggregation: "FLOW", level: "CITY", writers: ["POLICE"] },
];
const target: EffectiveTarget = { year: 2026, raw: "≥80", kind: "NUMERIC", value: 80 };

let version = 0;
const figure = (
  indicator: string,
  unit: string,
  period: string,
  numbers: { numerator?: number; denominator?: number; value?: number },
): DataValueDoc => {
  const value = numbers.value ?? ((numbers.numerator ?? 0) / (numbers.denominator ?? 1)) * 100;
  return {
    indicator,
    unit,
    period,
    numerator: numbers.numerator ?? null,
    denominator: numbers.denominator ?? null,
    value,
    met: null,
    breakdown: [],
    comment: null,
    reportedBy: "POLICE",
    reportedAt: new Date("2026-11-01T00:00:00Z"),
    firstReportedAt: new Date("2026-11-01T00:00:00Z"),
    version: (version += 1),
  };
};

/** The README's worked example: two communes, 40/100 and 20/100 in January, 70/100 and 50/100 in October. */
function workedExample() {
  const store = new FigureStore({ definitions, units: [CITY, ...COMMUNES], cityCode: CITY });
  store.apply([
    figure("III.3", "10507", "2026-01", { numerator: 40, denominator: 100 }),
    figure("III.3", "10525", "2026-01", { numerator: 20, denominator: 100 }),
    figure("III.3", "10507", "2026-10", { numerator: 70, denominator: 100 }),
    figure("III.3", "10525", "2026-10", { numerator: 50, denominator: 100 }),
    figure("III.4", CITY, "2026-09", { value: 300 }),
  ]);
  return store;
}

const summaryOf = (store: FigureStore, code: string, year = 2026, period = "2026-10") =>
  store.summaries(year, period).find((s) => s.code === code)!;

describe("an indicator's summary for a review", () => {
  it("judges as Open SDG's method over the whole series does (the plan's own computation)", () => {
    const store = workedExample();
    const summary = summaryOf(store, "III.3");
    const fromSummary = judgeProgress({
      target,
      observations: summary,
      measure: summary.measure,
      aggregation: summary.timeAggregation,
    });
    const fromSeries = assessProgress({
      year: 2026,
      target,
      series: store.citySeries("III.3"),
      measure: "PERCENT",
      aggregation: "STOCK",
    });
    expect(fromSummary).toEqual(fromSeries);
    expect(fromSummary).toMatchObject({
      status: "NEEDS_ACCELERATION",
      paceRatio: 0.7333,
      projection: 66.6667,
      gap: 20,
    });
  });

  it("stays a few numbers however many months the series holds", () => {
    const store = workedExample();
    const before = JSON.stringify(summaryOf(store, "III.3", 2030, "2030-12")).length;
    // five years of months for both communes
    const months = Array.from({ length: 60 }, (_, i) => {
      const year = 2026 + Math.floor(i / 12);
      return `${year}-${String((i % 12) + 1).padStart(2, "0")}`;
    });
    store.apply(
      months.flatMap((period, i) =>
        COMMUNES.map((unit) =>
          figure("III.3", unit, period, { numerator: 20 + i, denominator: 100 }),
        ),
      ),
    );
    const summary = summaryOf(store, "III.3", 2030, "2030-12");
    expect(store.citySeries("III.3")).toHaveLength(60);
    expect(summary.contribution).toBeNull();
    expect(JSON.stringify(summary).length).toBeLessThanOrEqual(before + 20);
    expect(JSON.stringify(summary).length).toBeLessThan(900);
  });

  it("ranks the communes of the month best first, ties sharing the better rank", () => {
    const store = workedExample();
    store.apply([figure("III.3", CITY, "2026-10", { numerator: 120, denominator: 200 })]);
    expect(store.rankedUnits("III.3", "2026-10")).toEqual([
      { unit: "10507", value: 70, met: null, rank: 1 },
      { unit: "10525", value: 50, met: null, rank: 2 },
    ]);
    store.apply([figure("III.3", "10525", "2026-10", { numerator: 70, denominator: 100 })]);
    expect(store.rankedUnits("III.3", "2026-10").map((u) => u.rank)).toEqual([1, 1]);
  });

  it("is recomputed after a write only for the indicator and months the write touched", () => {
    const store = workedExample();
    const flow = summaryOf(store, "III.4");
    const stock = summaryOf(store, "III.3");
    const september = summaryOf(store, "III.3", 2026, "2026-09");
    const ranks = store.rankedUnits("III.3", "2026-01");
    const reporting = store.reporting("2026-10");

    store.apply([figure("III.3", "10507", "2026-10", { numerator: 80, denominator: 100 })]);

    // the other indicator's summary is the very object kept before: not recomputed
    expect(summaryOf(store, "III.4")).toBe(flow);
    // so are the written indicator's summaries of earlier months, and its other months' ranks
    expect(summaryOf(store, "III.3", 2026, "2026-09")).toBe(september);
    expect(store.rankedUnits("III.3", "2026-01")).toBe(ranks);
    expect(store.reporting("2026-10")[1]).toBe(reporting[1]);
    // the written one is new, and sees the write
    const updated = summaryOf(store, "III.3");
    expect(updated).not.toBe(stock);
    expect(updated.latest?.value).toBe(65);
  });
});
