// What a subgraph hands the plan for a review of a target year and a reporting month, worked out
// where the figures live: each indicator's summary (what Open SDG's method reads of its series, a few
// numbers however long the series), its communes ranked for the month, and how completely and timely
// its units reported the month (DHIS2's completeness and timeliness of a data set). Each is computed
// for one indicator and month, so a store can keep it until a write touches that indicator's month.
import { subgraphs } from "@p06/catalogue";
import type { CityMonth } from "./aggregate.js";
import type {
  IndicatorDefinition,
  Measure,
  ReportingLevel,
  TimeAggregation,
} from "./definitions.js";
import type { DataValueDoc } from "./data-value.js";
import { observe, type Observations } from "./progress.js";

export interface UnitValue {
  unit: string;
  value: number | null;
  met: boolean | null;
}

/** A commune's figure for a month and its rank among the communes that reported it. */
export interface UnitRank extends UnitValue {
  /** 1 for the best; ties share the better rank. */
  rank: number;
}

/** An indicator's whole city series and commune figures: for a reader who wants them all. */
export interface IndicatorFigures {
  code: string;
  measure: Measure;
  timeAggregation: TimeAggregation;
  reportingLevel: ReportingLevel;
  /** The city's months up to the review's month. */
  citySeries: CityMonth[];
  /** Each commune's figure for the review's month (commune-level indicators). */
  unitValues: UnitValue[];
}

/** One indicator's part of a review: what its figures show for the year, in a few numbers. */
export interface IndicatorSummary extends Observations {
  code: string;
  /** The review's month. */
  period: string;
  measure: Measure;
  timeAggregation: TimeAggregation;
  reportingLevel: ReportingLevel;
  /** The last city month up to the review's month (the year's or a later one). */
  lastMonth: CityMonth | null;
  /**
   * The city's months up to the review's month, only for an indicator other subgraphs contribute
   * to (II.5): the plan adds the contributions up before judging. Null for every other indicator.
   */
  contribution: CityMonth[] | null;
}

export interface IndicatorReporting {
  code: string;
  /** The agencies that report it. */
  agencies: string[];
  expected: number;
  received: number;
  onTime: number;
  missingUnits: string[];
  lateUnits: string[];
}

/** Vietnam's offset from UTC: the city's clock for due dates. */
const VIETNAM_OFFSET_HOURS = 7;

/** A month's report is due by the end of the 10th of the next month, Vietnam time. */
export function dueDate(period: string): Date {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 10, 24 - VIETNAM_OFFSET_HOURS) - 1);
}

/** Indicators more than one subgraph reports figures of (the owner's and contributors'). */
const SHARED = new Set(subgraphs.flatMap((spec) => spec.contributesTo ?? []));

/** A series (oldest first) up to `upTo` and the months before it; the whole series when none given. */
export function monthsUpTo<T extends { period: string }>(series: T[], upTo?: string): T[] {
  if (upTo === undefined) return series;
  let end = series.length;
  while (end > 0 && series[end - 1]!.period > upTo) end -= 1;
  return end === series.length ? series : series.slice(0, end);
}

export function indicatorFigures(
  definition: IndicatorDefinition,
  series: CityMonth[],
  month: DataValueDoc[],
  cityCode: string,
  period: string,
): IndicatorFigures {
  return {
    code: definition.code,
    measure: definition.measure,
    timeAggregation: definition.aggregation,
    reportingLevel: definition.level,
    citySeries: monthsUpTo(series, period),
    unitValues:
      definition.level === "COMMUNE"
        ? month
            .filter((v) => v.unit !== cityCode)
            .map(({ unit, value, met }) => ({ unit, value, met }))
        : [],
  };
}

/** What the indicator's city series up to the review's month shows for the target year. */
export function indicatorSummary(
  definition: IndicatorDefinition,
  series: CityMonth[],
  year: number,
  period: string,
): IndicatorSummary {
  const upToPeriod = monthsUpTo(series, period);
  return {
    code: definition.code,
    period,
    measure: definition.measure,
    timeAggregation: definition.aggregation,
    reportingLevel: definition.level,
    ...observe({
      year,
      series: upToPeriod,
      measure: definition.measure,
      aggregation: definition.aggregation,
    }),
    lastMonth: upToPeriod.at(-1) ?? null,
    contribution: SHARED.has(definition.code) ? upToPeriod : null,
  };
}

/** A commune's figure as a number to rank by: the value, or 1 for a milestone met. */
const rankScore = (v: UnitValue) => v.value ?? (v.met ? 1 : 0);

/** The communes' figures of a month, best first, each with its rank (ties share the better). */
export function rankedUnits(month: DataValueDoc[], cityCode: string): UnitRank[] {
  const sorted = month
    .filter((v) => v.unit !== cityCode)
    .map(({ unit, value, met }) => ({ unit, value, met }))
    .sort((a, b) => rankScore(b) - rankScore(a));
  let rank = 0;
  return sorted.map((v, i) => {
    if (i === 0 || rankScore(v) !== rankScore(sorted[i - 1]!)) rank = i + 1;
    return { ...v, rank };
  });
}

/** Who reported the indicator's month, on time or late, and who has not. */
export function indicatorReporting(
  definition: IndicatorDefinition,
  month: DataValueDoc[],
  units: string[],
  cityCode: string,
  period: string,
): IndicatorReporting {
  const due = dueDate(period).getTime();
  const expected =
    definition.level === "COMMUNE" ? units.filter((unit) => unit !== cityCode) : [cityCode];
  const received = new Map(
    month.map((v) => [v.unit, new Date(v.firstReportedAt ?? v.reportedAt).getTime()]),
  );
  const lateUnits = expected.filter((u) => received.has(u) && received.get(u)! > due);
  const missingUnits = expected.filter((u) => !received.has(u));
  return {
    code: definition.code,
    agencies: definition.writers,
    expected: expected.length,
    received: expected.length - missingUnits.length,
    onTime: expected.length - missingUnits.length - lateUnits.length,
    missingUnits,
    lateUnits,
  };
}
