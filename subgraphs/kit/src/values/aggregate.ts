// From reported figures to the city's: a city value reported directly wins; otherwise the communes
// are aggregated (sum of numerators over sum of denominators, never an average of percentages).
import type { IndicatorDefinition, Measure, TimeAggregation } from "./definitions.js";
import type { CategoryFigure, DataValueDoc } from "./model.js";
import { figureOf } from "./validate.js";

export type AggregationSource = "DIRECT" | "AGGREGATED";

/** The city's figure for one month. */
export interface CityMonth {
  period: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  met: boolean | null;
  /** How many reporting units the figure stands on (1 when the city reported directly). */
  reportingUnits: number;
  source: AggregationSource;
}

type Figure = Pick<CategoryFigure, "numerator" | "denominator" | "value"> & {
  met?: boolean | null;
};

/** Adds figures of one measure up: numerators and denominators, counts, or milestones (all met). */
export function sumFigures(measure: Measure, figures: Figure[]) {
  if (measure === "MILESTONE") {
    return {
      numerator: null,
      denominator: null,
      value: null,
      met: figures.every((f) => f.met === true),
    };
  }
  if (measure === "COUNT") {
    return {
      numerator: null,
      denominator: null,
      value: figures.reduce((a, f) => a + (f.value ?? 0), 0),
      met: null,
    };
  }
  const numerator = figures.reduce((a, f) => a + (f.numerator ?? 0), 0);
  const denominator = figures.reduce((a, f) => a + (f.denominator ?? 0), 0);
  return {
    numerator,
    denominator,
    value: denominator > 0 ? figureOf(measure, numerator, denominator) : null,
    met: null,
  };
}

/** One indicator's values (any units and months) to the city's monthly series, oldest first. */
export function cityMonths(
  values: DataValueDoc[],
  definition: Pick<IndicatorDefinition, "measure">,
  cityCode: string,
): CityMonth[] {
  const byPeriod = new Map<string, DataValueDoc[]>();
  for (const value of values)
    byPeriod.set(value.period, [...(byPeriod.get(value.period) ?? []), value]);
  return [...byPeriod.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, docs]) => {
      const direct = docs.find((doc) => doc.unit === cityCode);
      if (direct) {
        const { numerator, denominator, value, met } = direct;
        return {
          period,
          numerator,
          denominator,
          value,
          met,
          reportingUnits: 1,
          source: "DIRECT" as const,
        };
      }
      return {
        period,
        ...sumFigures(definition.measure, docs),
        reportingUnits: docs.length,
        source: "AGGREGATED" as const,
      };
    });
}

/**
 * Several agencies' contributions to one shared indicator, month by month: only the months every
 * contributor has reported, so that a month one of them has not filed yet does not stand for the whole.
 */
export function combineCityMonths(measure: Measure, ...series: CityMonth[][]): CityMonth[] {
  const contributing = series.filter((s) => s.length > 0);
  const byPeriod = new Map<string, CityMonth[]>();
  for (const month of contributing.flat()) {
    byPeriod.set(month.period, [...(byPeriod.get(month.period) ?? []), month]);
  }
  return [...byPeriod.entries()]
    .filter(([, months]) => months.length === contributing.length)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, months]) => ({
      period,
      ...sumFigures(measure, months),
      reportingUnits: months.reduce((a, m) => a + m.reportingUnits, 0),
      source: months.every((m) => m.source === "DIRECT") ? "DIRECT" : "AGGREGATED",
    }));
}

/** A breakdown for one unit and month: the unit's own, or for the city the communes' summed by category. */
export function categoryFigures(
  values: DataValueDoc[],
  definition: Pick<IndicatorDefinition, "measure" | "breakdown">,
  unit: string,
  period: string,
  cityCode: string,
): CategoryFigure[] {
  const inPeriod = values.filter((v) => v.period === period);
  const own = inPeriod.find((v) => v.unit === unit);
  if (own || unit !== cityCode) return own?.breakdown ?? [];
  return (definition.breakdown?.categories ?? []).flatMap((category) => {
    const parts = inPeriod.flatMap((v) =>
      (v.breakdown ?? []).filter((b) => b.category === category),
    );
    if (parts.length === 0) return [];
    const { numerator, denominator, value } = sumFigures(definition.measure, parts);
    return [{ category, numerator, denominator, value }];
  });
}

/** A year's figure from its months: a stock's latest month, a flow's months added up. */
export function yearFigure(
  months: CityMonth[],
  year: number,
  aggregation: TimeAggregation,
  measure: Measure,
): CityMonth | null {
  const inYear = months.filter((m) => m.period.startsWith(`${year}-`));
  if (inYear.length === 0) return null;
  const latest = inYear[inYear.length - 1]!;
  if (aggregation === "STOCK" || measure === "MILESTONE") return latest;
  return {
    period: String(year),
    ...sumFigures(measure, inYear),
    reportingUnits: Math.max(...inYear.map((m) => m.reportingUnits)),
    source: inYear.every((m) => m.source === "DIRECT") ? "DIRECT" : "AGGREGATED",
  };
}
