// Where an indicator stands against its target, by Open SDG's progress method: the progress observed
// since the baseline, against the progress required to reach the target by the end of the target year.
import { yearFigure, type CityMonth, type Measure, type TimeAggregation } from "@p06/subgraph-kit";

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

export interface ProgressInput {
  year: number;
  target: EffectiveTarget | null;
  series: CityMonth[];
  measure: Measure;
  aggregation: TimeAggregation;
}

export function assessProgress(input: ProgressInput): Progress {
  const { year, target, measure } = input;
  const endOfYear = `${year}-12`;
  // a target year is judged on its own months; figures after it only tell that the year is over
  const yearIsOver = input.series.some((m) => m.period > endOfYear);
  const series = input.series.filter(
    (m) => (m.value !== null || m.met !== null) && m.period <= endOfYear,
  );
  const observation = (m: CityMonth): Observation => ({
    period: m.period,
    value: m.value,
    met: m.met,
  });
  const first = series[0];
  const last = series.at(-1);
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
    const sofar = yearFigure(series, year, "FLOW", measure);
    if (!sofar || sofar.value === null) return { ...empty, note: `no figures reported in ${year}` };
    const months = series.filter((m) => m.period.startsWith(`${year}-`)).length;
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

function statusOfPace(paceRatio: number): ProgressStatus {
  if (paceRatio >= ON_TRACK_PACE) return "ON_TRACK";
  if (paceRatio >= NEEDS_ACCELERATION_PACE) return "NEEDS_ACCELERATION";
  if (paceRatio >= 0) return "LIMITED_PROGRESS";
  return "DETERIORATING";
}
