// Checks that catch mistakes a valid figure can still hold (DHIS2's validation rules and outlier
// detection). A check never refuses a figure: it stores it with a warning that names the rule, the
// figure and the range expected, until the reporter confirms the figure with a comment or corrects it.
import type { IndicatorDefinition } from "./definitions.js";
import type { DataValueDoc, WarningRule } from "./data-value.js";

export type { WarningRule } from "./data-value.js";

export interface Warning {
  rule: WarningRule;
  indicator: string;
  unit: string;
  period: string;
  /** The figure the rule looked at: the value, or the denominator. */
  value: number;
  /** The range the rule expected (either end open when null). */
  low: number | null;
  high: number | null;
  message: string;
}

/** Earlier months an outlier is judged against, and the fewest monthly changes that make a judgement. */
export const OUTLIER_WINDOW = 13;
export const OUTLIER_MIN_CHANGES = 6;
/** How many (scaled) median absolute deviations away a figure is an outlier. */
const OUTLIER_DEVIATIONS = 3;
/** The least spread an outlier is judged with, as a share of the month before's figure. */
const MIN_RELATIVE_SPREAD = 0.02;
/** Makes the median absolute deviation estimate a standard deviation for normal data. */
const MAD_SCALE = 1.4826;
/** A denominator may move by this share of the month before without a warning. */
const DENOMINATOR_SHIFT = 0.5;

export interface CheckContext {
  definition: IndicatorDefinition;
  cityCode: string;
  /** The unit's earlier figures, newest first (at most OUTLIER_WINDOW). */
  earlier: DataValueDoc[];
  /** The city's figure of the month, where the city reported it itself. */
  city: DataValueDoc | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** The warnings one figure raises. */
export function checkFigure(doc: DataValueDoc, context: CheckContext): Warning[] {
  const { definition, earlier, city } = context;
  const at = { indicator: doc.indicator, unit: doc.unit, period: doc.period };
  const warnings: Warning[] = [];
  const ratio = definition.measure === "PERCENT" || definition.measure === "RATIO";

  // judged by its change from the month before, against the unit's earlier monthly changes: a series
  // that grows every month is on its own trend, not an outlier
  const series = earlier.flatMap((e) => (e.value === null ? [] : [e.value]));
  const changes = series.slice(0, -1).map((x, i) => x - series[i + 1]!);
  if (doc.value !== null && changes.length >= OUTLIER_MIN_CHANGES) {
    const usual = median(changes);
    // a surprise smaller than 2% of the figure is not worth a reviewer's time (on the demo data,
    // 3 deviations alone flag 2% of all figures; with the floor, 0.06%); nor is one thing counted
    // more or less: a commune of four schools moves by 25 points when one more school starts
    const oneCount =
      definition.measure === "PERCENT" && doc.denominator ? 100 / doc.denominator : 0;
    const spread = Math.max(
      MAD_SCALE * median(changes.map((x) => Math.abs(x - usual))),
      MIN_RELATIVE_SPREAD * Math.abs(series[0]!),
      oneCount,
    );
    const expected = series[0]! + usual;
    if (spread > 0 && Math.abs(doc.value - expected) > OUTLIER_DEVIATIONS * spread) {
      const low = round(expected - OUTLIER_DEVIATIONS * spread);
      const high = round(expected + OUTLIER_DEVIATIONS * spread);
      warnings.push({
        rule: "OUTLIER",
        ...at,
        value: doc.value,
        low,
        high,
        message: `${doc.value} is far from this unit's own trend over its last ${series.length} months (expected ${low} to ${high})`,
      });
    }
  }

  const before = earlier[0];
  if (
    before?.value != null &&
    doc.value !== null &&
    definition.aggregation === "STOCK" &&
    definition.measure === "COUNT" &&
    doc.value < before.value
  ) {
    warnings.push({
      rule: "STOCK_FELL",
      ...at,
      value: doc.value,
      low: before.value,
      high: null,
      message: `${doc.value} is below ${before.value} of ${before.period}: a stock does not fall`,
    });
  }

  if (ratio && before?.denominator && doc.denominator !== null) {
    const low = round(before.denominator * (1 - DENOMINATOR_SHIFT));
    const high = round(before.denominator * (1 + DENOMINATOR_SHIFT));
    if (doc.denominator < low || doc.denominator > high) {
      warnings.push({
        rule: "DENOMINATOR_SHIFT",
        ...at,
        value: doc.denominator,
        low,
        high,
        message: `the denominator ${doc.denominator} moved by more than half from ${before.denominator} of ${before.period}`,
      });
    }
  }

  if (city && doc.unit !== context.cityCode) {
    const [mine, total] = ratio ? [doc.denominator, city.denominator] : [doc.value, city.value];
    if (mine !== null && total !== null && mine > total) {
      warnings.push({
        rule: "ABOVE_CITY",
        ...at,
        value: mine,
        low: null,
        high: total,
        message: `the unit's ${ratio ? "denominator" : "figure"} ${mine} is larger than the city's own ${total}`,
      });
    }
  }
  return warnings;
}
