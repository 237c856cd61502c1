// Where an indicator stands against its target, by Open SDG's progress method: the progress observed
// since the baseline, against the progress required to reach the target by the end of the target year.
// In two steps, so that each runs where its inputs live: what the figures show for a year (observe:
// where the series is, in the reporting subgraph), then the status against the target (judgeProgress:
// where the targets are, in the plan). The one place the method is written down.
import { yearFigure, type CityMonth } from "./aggregate.js";
import type { Measure, TimeAggregation } from "./definitions.js";

export type ProgressStatus =
  | "ACHIEVED"
  | "ON_TRACK"
  | "NEEDS_ACCELERATION"
  | "LIMITED_PROGRESS"
  | "DETERIORATING"
  | "NOT_ACHIEVED"
  | "NOT_ASSESSABLE";

/** The target a status is judged against: the plan's, or the number the IOC assigned to a text target. */
export interface EffectiveTarget {
  year: number;
  raw: string;
  kind: "NUMERIC" | "MILESTONE" | "ASSIGNED";
  /** null while a text target has no assigned number */
  value: number | null;
}

/** The target for a year: the plan's, with the latest number the IOC assigned to a text target. */
export function effectiveTarget(
  targets: { year: number; raw: string; kind: EffectiveTarget["kind"]; value: number | null }[],
  year: number,
  assignments: { indicator?: string; year: number; value: number }[],
): EffectiveTarget | null {
  const target = targets.find((t) => t.year === year);
  if (!target) return null;
  const assigned =
    target.kind === "ASSIGNED" ? assignments.filter((a) => a.year === year).at(-1) : undefined;
  return { year, raw: target.raw, kind: target.kind, value: assigned?.value ?? target.value };
}

export interface Observation {
  period: string;
  value: number | null;
  met: boolean | null;
}

export interface Progress {
  year: number;
  status: ProgressStatus;
  /** Why a status is NOT_ASSESSABLE, or how a flow was judged. */
  note: string | null;
  target: EffectiveTarget | null;
  baseline: Observation | null;
  latest: Observation | null;
  /** target − latest: what is still to go (negative once passed). */
  gap: number | null;
  /** The latest figure carried forward at the observed pace to the end of the target year. */
  projection: number | null;
  observedRatePerYear: number | null;
  requiredRatePerYear: number | null;
  /** observed ÷ required pace: 1 is exactly on pace. */
  paceRatio: number | null;
  /** Month by month from the latest figure to December of the target year, at the observed pace. */
  projectionSeries: Observation[];
}

/** Thresholds of the pace ratio (observed ÷ required). */
export const ON_TRACK_PACE = 0.95;
export const NEEDS_ACCELERATION_PACE = 0.6;

const monthIndex = (period: string) => {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return year * 12 + (month - 1);
};
const periodOf = (index: number) =>
  `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * What an indicator's city series shows for a target year: the few numbers the method reads, however
 * long the series. Small enough to cross the graph for every indicator of a review.
 */
export interface Observations {
  year: number;
  /** The first month with a figure, up to December of the year. */
  baseline: Observation | null;
  /** The last month with a figure, up to December of the year. */
  latest: Observation | null;
  /** True when the series has months after the year: the year is over. */
  yearIsOver: boolean;
  /** A flow's year so far: its months with figures added up (null for a stock). */
  yearTotal: Observation | null;
  /** How many months of the year have figures (what a flow's year so far is carried from). */
  monthsInYear: number;
}

export interface ObservationInput {
  year: number;
  /** The city's months, oldest first (up to the review's month). */
  series: CityMonth[];
  measure: Measure;
  aggregation: TimeAggregation;
}

/** What the series shows for the year: the reporting subgraph's part of the method. */
export function observe({ year, series, measure, aggregation }: ObservationInput): Observations {
  const endOfYear = `${year}-12`;
  // a target year is judged on its own months; figures after it only tell that the year is over
  const yearIsOver = series.some((m) => m.period > endOfYear);
  const counted = series.filter(
    (m) => (m.value !== null || m.met !== null) && m.period <= endOfYear,
  );
  const inYear = counted.filter((m) => m.period.startsWith(`${year}-`));
  return {
    year,
    baseline: counted[0] ?? null,
    latest: counted.at(-1) ?? null,
    yearIsOver,
    yearTotal: aggregation === "FLOW" ? yearFigure(inYear, year, "FLOW", measure) : null,
    monthsInYear: inYear.length,
  };
}

export interface JudgementInput {
  target: EffectiveTarget | null;
  observations: Observations;
  measure: Measure;
  aggregation: TimeAggregation;
}

/** The status against the target: the plan's part of the method, from the observations alone. */
export function judgeProgress(input: JudgementInput): Progress {
  const { target, measure } = input;
  const { year, baseline: first, latest: last, yearIsOver } = input.observations;
  // the reporting subgraph may send more of a month than the method reads
  const observation = (m: Observation): Observation => ({
    period: m.period,
    value: m.value,
    met: m.met,
  });
  const empty: Progress = {
    year,
    status: "NOT_ASSESSABLE",
    note: null,
    target,
    baseline: first ? observation(first) : null,
    latest: last ? observation(last) : null,
    gap: null,
    projection: null,
    observedRatePerYear: null,
    requiredRatePerYear: null,
    paceRatio: null,
    projectionSeries: [],
  };
  if (!target) return { ...empty, note: `the plan sets no target for ${year}` };
  if (!first || !last) return { ...empty, note: "no figures reported yet" };

  if (target.kind === "MILESTONE" || measure === "MILESTONE") {
    return { ...empty, status: last.met ? "ACHIEVED" : "NOT_ACHIEVED" };
  }
  if (target.value === null) {
    return { ...empty, note: `the target "${target.raw}" has no number assigned yet` };
  }
  const goal = target.value;
  const endOfTarget = monthIndex(`${year}-12`);
  const cap = (x: number) =>
    measure === "PERCENT" ? Math.min(100, Math.max(0, x)) : Math.max(0, x);

  if (input.aggregation === "FLOW") {
    // a flow's year is its months added up: judge the year so far, carried to twelve months
    const sofar = input.observations.yearTotal;
    if (!sofar || sofar.value === null) return { ...empty, note: `no figures reported in ${year}` };
    const months = input.observations.monthsInYear;
    const projection = round((sofar.value * 12) / months);
    const latest = { period: String(year), value: sofar.value, met: null };
    const base = {
      ...empty,
      latest,
      gap: round(goal - sofar.value),
      projection,
      note: "a flow: the year's months added up",
    };
    if (sofar.value >= goal) return { ...base, status: "ACHIEVED" };
    const paceRatio = round(projection / goal);
    return { ...base, paceRatio, status: statusOfPace(paceRatio) };
  }

  const baseline = first.value!;
  const latestValue = last.value!;
  const gap = round(goal - latestValue);
  const achieved = latestValue >= goal;
  const elapsed = monthIndex(last.period) - monthIndex(first.period);
  const remaining = endOfTarget - monthIndex(last.period);
  const requiredPerMonth = (goal - baseline) / (endOfTarget - monthIndex(first.period));
  const base = { ...empty, gap, requiredRatePerYear: round(requiredPerMonth * 12) };
  if (elapsed <= 0 && yearIsOver && !achieved) {
    return {
      ...base,
      status: "NOT_ACHIEVED",
      note: `${year} is over and the target was not reached`,
    };
  }
  if (elapsed <= 0) {
    return achieved
      ? { ...base, status: "ACHIEVED" }
      : { ...base, note: "one month of figures: no pace yet" };
  }
  const observedPerMonth = (latestValue - baseline) / elapsed;
  const projection = round(cap(latestValue + observedPerMonth * Math.max(0, remaining)));
  const projectionSeries = Array.from({ length: Math.max(0, remaining) }, (_, i) => ({
    period: periodOf(monthIndex(last.period) + i + 1),
    value: round(cap(latestValue + observedPerMonth * (i + 1))),
    met: null,
  }));
  const observed = {
    ...base,
    projection,
    projectionSeries,
    observedRatePerYear: round(observedPerMonth * 12),
  };
  if (achieved) return { ...observed, status: "ACHIEVED" };
  if (yearIsOver)
    return {
      ...observed,
      status: "NOT_ACHIEVED",
      note: `${year} is over and the target was not reached`,
    };
  if (requiredPerMonth <= 0) {
    // the baseline already met the target and the figure has since fallen below it
    return { ...observed, status: "DETERIORATING" };
  }
  const paceRatio = round(observedPerMonth / requiredPerMonth);
  return { ...observed, paceRatio, status: statusOfPace(paceRatio) };
}

export interface ProgressInput extends ObservationInput {
  target: EffectiveTarget | null;
}

/** Both steps at once, where the series and the target are in one place. */
export function assessProgress(input: ProgressInput): Progress {
  return judgeProgress({
    target: input.target,
    observations: observe(input),
    measure: input.measure,
    aggregation: input.aggregation,
  });
}

function statusOfPace(paceRatio: number): ProgressStatus {
  if (paceRatio >= ON_TRACK_PACE) return "ON_TRACK";
  if (paceRatio >= NEEDS_ACCELERATION_PACE) return "NEEDS_ACCELERATION";
  if (paceRatio >= 0) return "LIMITED_PROGRESS";
  return "DETERIORATING";
}
