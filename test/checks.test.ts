// The checks on figures (DHIS2's validation rules and outlier detection): each rule fires on a figure
// made to break it, stays quiet on the ordinary one, and flags few of the demo data's figures.
import { describe, expect, it } from "vitest";
import { buildEducationSubgraph } from "@p06/education";
import { buildHealthSubgraph } from "@p06/health";
import { buildIdentitySubgraph } from "@p06/identity";
import { planDefinitions } from "@p06/plan";
import { CITY, reportingUnitCodes } from "@p06/catalogue";
import { buildProceduresSubgraph } from "@p06/procedures";
import { buildSocialSecuritySubgraph } from "@p06/social-security";
import {
  demoResubmissions,
  demoValues,
  FigureStore,
  monthsBetween,
  type DataValueDoc,
  type IndicatorDefinition,
} from "@p06/subgraph-kit";

const city = CITY.code;
const commune = "10507";
const percent: IndicatorDefinition = {
  code: "P",
  measure: "PERCENT",
  aggregation: "STOCK",
  level: "COMMUNE",
  writers: ["DOH"],
};
const stockCount: IndicatorDefinition = {
  code: "C",
  measure: "COUNT",
  aggregation: "STOCK",
  level: "COMMUNE",
  writers: ["DOH"],
};

function figure(
  indicator: string,
  unit: string,
  period: string,
  numbers: { value: number } | { numerator: number; denominator: number },
): DataValueDoc {
  const at = new Date(`${period}-15T00:00:00Z`);
  const ratio = "numerator" in numbers;
  return {
    indicator,
    unit,
    period,
    numerator: ratio ? numbers.numerator : null,
    denominator: ratio ? numbers.denominator : null,
    value: ratio ? (numbers.numerator / numbers.denominator) * 100 : numbers.value,
    met: null,
    breakdown: [],
    comment: null,
    reportedBy: "DOH",
    reportedAt: at,
    firstReportedAt: at,
    version: 1,
  };
}

/** The rules a figure raises once stored after the given ones. */
function rulesOf(earlier: DataValueDoc[], doc: DataValueDoc): string[] {
  const store = new FigureStore({
    definitions: [percent, stockCount],
    units: [city, commune],
    cityCode: city,
  });
  store.apply([...earlier, doc]);
  return store.warningsOf(doc).map((w) => w.rule);
}

// January to September 2026: a commune on a steady trend with a little noise
const months = monthsBetween("2026-01", "2026-09");
const steady = months.map((period, i) =>
  figure("P", commune, period, { numerator: 2000 + 40 * i + (i % 3) * 7, denominator: 4857 }),
);

describe("checks on figures", () => {
  it("OUTLIER: a month far off the unit's own trend, not the next step of the trend", () => {
    expect(
      rulesOf(steady, figure("P", commune, "2026-10", { numerator: 2370, denominator: 4857 })),
    ).toEqual([]);
    expect(
      rulesOf(steady, figure("P", commune, "2026-10", { numerator: 4500, denominator: 4857 })),
    ).toEqual(["OUTLIER"]);
    // too short a series to judge
    expect(
      rulesOf(
        steady.slice(0, 4),
        figure("P", commune, "2026-05", { numerator: 4500, denominator: 4857 }),
      ),
    ).toEqual([]);
  });

  it("OUTLIER: not one thing counted more, but many: a commune of four schools, one of forty", () => {
    const constant = (numerator: number, denominator: number) =>
      months.map((period) => figure("P", commune, period, { numerator, denominator }));
    // one more school of four is 25 points, and not a surprise
    expect(
      rulesOf(constant(1, 4), figure("P", commune, "2026-10", { numerator: 2, denominator: 4 })),
    ).toEqual([]);
    // ten more of forty, the same 25 points, is
    expect(
      rulesOf(
        constant(10, 40),
        figure("P", commune, "2026-10", { numerator: 20, denominator: 40 }),
      ),
    ).toEqual(["OUTLIER"]);
  });

  it("DENOMINATOR_SHIFT: a denominator that falls from 4,857 to 10, not one that moves a little", () => {
    const last = steady.at(-1)!;
    expect(
      rulesOf([last], figure("P", commune, "2026-10", { numerator: 2400, denominator: 4900 })),
    ).toEqual([]);
    expect(
      rulesOf([last], figure("P", commune, "2026-10", { numerator: 5, denominator: 10 })),
    ).toEqual(["DENOMINATOR_SHIFT"]);
    expect(
      rulesOf([last], figure("P", commune, "2026-10", { numerator: 2400, denominator: 9800 })),
    ).toEqual(["DENOMINATOR_SHIFT"]);
  });

  it("STOCK_FELL: a stock count below the month before", () => {
    const before = figure("C", commune, "2026-09", { value: 120 });
    expect(rulesOf([before], figure("C", commune, "2026-10", { value: 125 }))).toEqual([]);
    expect(rulesOf([before], figure("C", commune, "2026-10", { value: 90 }))).toEqual([
      "STOCK_FELL",
    ]);
  });

  it("ABOVE_CITY: a commune larger than the city's own total for the month", () => {
    const cityFigure = figure("P", city, "2026-10", { numerator: 600, denominator: 1000 });
    expect(
      rulesOf([cityFigure], figure("P", commune, "2026-10", { numerator: 300, denominator: 800 })),
    ).toEqual([]);
    const [warning] = (() => {
      const store = new FigureStore({
        definitions: [percent],
        units: [city, commune],
        cityCode: city,
      });
      const doc = figure("P", commune, "2026-10", { numerator: 300, denominator: 5000 });
      store.apply([cityFigure, doc]);
      return store.warningsOf(doc);
    })();
    expect(warning).toMatchObject({
      rule: "ABOVE_CITY",
      value: 5000,
      low: null,
      high: 1000,
      confirmed: false,
    });
  });

  it("flags few of the demo data's ordinary figures: each rule under 0.5% of them", () => {
    const units = reportingUnitCodes();
    const sets: IndicatorDefinition[][] = [
      buildIdentitySubgraph,
      buildProceduresSubgraph,
      buildHealthSubgraph,
      buildEducationSubgraph,
      buildSocialSecuritySubgraph,
    ].map((build) => [...build().definitions.values()]);
    sets.push(planDefinitions);
    const flagged: Record<string, number> = {};
    let figures = 0;
    // January to October as read on 1 December: every month in, late reports included
    const now = new Date("2026-12-01T00:00:00Z");
    const periods = monthsBetween("2026-01", "2026-10");
    for (const definitions of sets) {
      const docs = demoValues(definitions, {
        seed: 6,
        from: "2026-01",
        to: "2026-10",
        units,
        cityCode: city,
        now,
      });
      const store = new FigureStore({ definitions, units, cityCode: city });
      store.apply([...docs, ...demoResubmissions(docs, 6, now)]);
      for (const period of periods)
        for (const warning of store.warnings(period))
          flagged[warning.rule] = (flagged[warning.rule] ?? 0) + 1;
      figures += docs.length;
    }
    // a figure a month for every indicator and unit that reports it
    const expected = sets
      .flat()
      .reduce((sum, d) => sum + (d.level === "COMMUNE" ? units.length - 1 : 1), 0);
    expect(figures).toBe(expected * periods.length);
    for (const rule of ["OUTLIER", "STOCK_FELL", "DENOMINATOR_SHIFT", "ABOVE_CITY"]) {
      expect(flagged[rule] ?? 0, rule).toBeLessThan(figures * 0.005);
    }
  });
});
