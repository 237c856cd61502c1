// A review of the plan for a target year and a reporting month, from every subgraph's figures: each
// indicator's progress, the city and agency scorecards, communes, late reports and tasks coming due.
import {
  assessProgress,
  combineCityMonths,
  dueDate,
  judgeProgress,
  observe,
  type CityMonth,
  type EffectiveTarget,
  type IndicatorReporting,
  type IndicatorSummary,
  type MonthState,
  type Progress,
  type ProgressStatus,
  type UnitRank,
} from "@p06/subgraph-kit";
import { catalogue, owningSubgraph } from "@p06/catalogue";
import { communePlanPoints } from "./commune-plans.js";
import {
  communeScore,
  communesReporting,
  rankByTotal,
  reportingRates,
  type CommuneReporting,
} from "./commune-score.js";
import type {
  CommunePlanDoc,
  IndicatorDoc,
  TargetAssignmentDoc,
  TaskDoc,
  TaskStatus,
  TaskUpdateDoc,
} from "./models.js";

export const STATUSES: ProgressStatus[] = [
  "ACHIEVED",
  "ON_TRACK",
  "NEEDS_ACCELERATION",
  "LIMITED_PROGRESS",
  "DETERIORATING",
  "NOT_ACHIEVED",
  "NOT_ASSESSABLE",
];

/** Points of a status in an agency's indicator score; NOT_ASSESSABLE counts for nothing either way. */
export const STATUS_POINTS: Partial<Record<ProgressStatus, number>> = {
  ACHIEVED: 100,
  ON_TRACK: 100,
  NEEDS_ACCELERATION: 60,
  LIMITED_PROGRESS: 30,
  DETERIORATING: 0,
  NOT_ACHIEVED: 0,
};

/** Weights of an agency's monthly score (renormalised over the parts it has). */
export const SCORE_WEIGHTS = { indicators: 0.4, tasks: 0.3, reporting: 0.3 };

/** How far ahead "due soon" looks by default. */
export const DUE_SOON_DAYS = 30;

/** An indicator's summary as a review field asked for it (the agency's subgraph worked it out). */
export type ReviewSummary = Omit<
  IndicatorSummary,
  "period" | "year" | "reportingLevel" | "lastMonth"
> &
  Partial<Pick<IndicatorSummary, "reportingLevel">> & {
    latestMonthState?: MonthState;
    /** The communes' figures of the month, best first (commune-level indicators). */
    rankedUnits?: UnitRank[];
  };

/**
 * An agency's figures as a review field asked for them: each field of the review requires only the
 * parts it reads (the scorecard the summaries, late reporting the reporting), so the gateway
 * carries no more than the answer needs.
 */
export type ReviewFigures = {
  summaries?: ReviewSummary[];
  reporting?: IndicatorReporting[];
  /** The agency's indicators beyond the plan: read by its scorecard and late reporting only. */
  supplementarySummaries?: { code: string; lastMonth: CityMonth | null }[];
  supplementaryReporting?: IndicatorReporting[];
};

export interface ReviewInput {
  year: number;
  period: string;
  indicators: IndicatorDoc[];
  figures: ReviewFigures[];
  assignments: TargetAssignmentDoc[];
  tasks: TaskDoc[];
  taskUpdates: Map<string, TaskUpdateDoc>;
  /** Agency subgraphs whose figures did not arrive (down, slow or failing). */
  unavailable?: ReadonlySet<string>;
  /** The active communes, wards and special zones: the units a commune's score ranks among. */
  communeUnits?: readonly string[];
  /** Each commune's implementation plan (its latest record), by the unit's code. */
  communePlans?: ReadonlyMap<string, CommunePlanDoc>;
}

/** Subgraphs that contribute to a shared indicator besides its owner's. */
const CONTRIBUTORS: Record<string, string[]> = { "II.5": ["education"] };

/** The lists of a late report: the plan's indicators, and the agencies' supplementary ones apart. */
type LateKind = "missing" | "late" | "missingSupplementary" | "lateSupplementary";

export interface StatusCount {
  status: ProgressStatus;
  count: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

function countStatuses(progresses: Progress[]): StatusCount[] {
  return STATUSES.map((status) => ({
    status,
    count: progresses.filter((p) => p.status === status).length,
  }));
}

/** Days from one ISO date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Today in Hai Phong (UTC+7), as an ISO date. */
export function todayInVietnam(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

interface CommuneStandings {
  indicators: {
    indicator: IndicatorDoc;
    /** The units' figures, best first, with their ranks. */
    ranked: UnitRank[];
    byUnit: Map<string, UnitRank>;
    cityValue: number | null;
  }[];
  /** Each unit's mean percentile over the indicators it reported, 0-1. */
  percentiles: Map<string, number>;
  /** Each active unit's reporting of the month's commune-level indicators. */
  reporting: Map<string, CommuneReporting>;
  /** The plan's commune-level indicators in the month's reporting. */
  communeLevel: Set<string>;
  /** Each active unit's monthly score, and its rank by the total. */
  scores: Map<string, ReturnType<typeof communeScore>>;
  ranks: Map<string, number>;
  outOf: number;
}

export class Review {
  readonly year: number;
  readonly period: string;
  private readonly input: ReviewInput;
  private readonly summariesByCode = new Map<string, ReviewSummary[]>();
  private readonly progressByCode = new Map<string, Progress>();

  constructor(input: ReviewInput) {
    this.input = input;
    this.year = input.year;
    this.period = input.period;
    for (const agencyFigures of input.figures) {
      for (const summary of agencyFigures.summaries ?? []) {
        this.summariesByCode.set(summary.code, [
          ...(this.summariesByCode.get(summary.code) ?? []),
          summary,
        ]);
      }
    }
  }

  /** The target for the review's year, with a number the IOC assigned to a text target. */
  target(indicator: IndicatorDoc): EffectiveTarget | null {
    const target = indicator.targets.find((t) => t.year === this.year);
    if (!target) return null;
    const assigned = this.input.assignments
      .filter((a) => a.indicator === indicator.code && a.year === this.year)
      .at(-1);
    return {
      year: target.year,
      raw: target.raw,
      kind: target.kind,
      value: assigned?.value ?? target.value,
    };
  }

  progress(indicator: IndicatorDoc): Progress {
    const cached = this.progressByCode.get(indicator.code);
    if (cached) return cached;
    const missing = [owningSubgraph(indicator), ...(CONTRIBUTORS[indicator.code] ?? [])].filter(
      (subgraph) => subgraph !== null && this.input.unavailable?.has(subgraph),
    );
    if (missing.length > 0) {
      const progress = {
        ...assessProgress({
          year: this.year,
          target: this.target(indicator),
          series: [],
          measure: "PERCENT",
          aggregation: "STOCK",
        }),
        note: `the ${missing.join(" and ")} subgraph did not answer: its figures are missing`,
      };
      this.progressByCode.set(indicator.code, progress);
      return progress;
    }
    const contributions = this.summariesByCode.get(indicator.code) ?? [];
    const owner = contributions[0];
    const progress = owner
      ? judgeProgress({
          target: this.target(indicator),
          observations: this.observations(owner, contributions),
          measure: owner.measure,
          aggregation: owner.timeAggregation,
        })
      : assessProgress({
          year: this.year,
          target: this.target(indicator),
          series: [],
          measure: "PERCENT",
          aggregation: "STOCK",
        });
    this.progressByCode.set(indicator.code, progress);
    return progress;
  }

  /**
   * What an indicator's figures show for the year: its subgraph's summary, or, for an indicator
   * several subgraphs add figures to, their months combined (numerators over denominators) first.
   */
  private observations(owner: ReviewSummary, contributions: ReviewSummary[]) {
    if (contributions.length === 1) return { ...owner, year: this.year };
    return observe({
      year: this.year,
      series: combineCityMonths(owner.measure, ...contributions.map((c) => c.contribution ?? [])),
      measure: owner.measure,
      aggregation: owner.timeAggregation,
    });
  }

  /** ACCEPTED once every subgraph's figures of the indicator's latest month are; provisional otherwise. */
  latestMonthState(indicator: IndicatorDoc): MonthState {
    const states = (this.summariesByCode.get(indicator.code) ?? []).map(
      (summary) => summary.latestMonthState ?? "DRAFT",
    );
    if (states.length === 0) return "DRAFT";
    return states.find((state) => state !== "ACCEPTED") ?? "ACCEPTED";
  }

  private tracked(agency: string) {
    return this.input.indicators.filter((i) => i.trackingAgencies.includes(agency));
  }

  scorecard() {
    const indicators = this.input.indicators.map((indicator) => ({
      indicator,
      progress: this.progress(indicator),
      latestMonthState: this.latestMonthState(indicator),
    }));
    const counts = (subset: IndicatorDoc[]) => countStatuses(subset.map((i) => this.progress(i)));
    return {
      year: this.year,
      period: this.period,
      indicators,
      byStatus: countStatuses(indicators.map((i) => i.progress)),
      byGroup: catalogue.indicatorGroups.map((group) => {
        const subset = this.input.indicators.filter((i) => i.group === group.code);
        return { group, total: subset.length, counts: counts(subset) };
      }),
      byAgency: catalogue.agencies
        .map((agency) => ({ agencyCode: agency.code, subset: this.tracked(agency.code) }))
        .filter(({ subset }) => subset.length > 0)
        .map(({ agencyCode, subset }) => ({
          agencyCode,
          total: subset.length,
          counts: counts(subset),
        })),
    };
  }

  /** A task's status: its lead agency's latest update, NOT_STARTED before the first. */
  taskStatus(code: string): TaskStatus {
    return this.input.taskUpdates.get(code)?.status ?? "NOT_STARTED";
  }

  taskView(task: TaskDoc, asOf: string) {
    const status = this.taskStatus(task.code);
    const date = task.deadline.date;
    const daysLeft = date ? daysBetween(asOf, date) : null;
    return {
      task,
      status,
      dueDate: date,
      daysLeft,
      overdue: daysLeft !== null && daysLeft < 0 && status !== "DONE",
    };
  }

  private reportingOf(
    agency: string,
    list: "reporting" | "supplementaryReporting" = "reporting",
  ): IndicatorReporting[] {
    return this.input.figures.flatMap((f) =>
      (f[list] ?? []).filter((r) => r.agencies.includes(agency)),
    );
  }

  /** Completeness and timeliness over some of an agency's indicators' reporting of the month. */
  private reportingSummary(indicators: IndicatorReporting[]) {
    const expected = indicators.reduce((a, r) => a + r.expected, 0);
    const received = indicators.reduce((a, r) => a + r.received, 0);
    const onTime = indicators.reduce((a, r) => a + r.onTime, 0);
    return {
      period: this.period,
      dueDate: dueDate(this.period).toISOString(),
      expected,
      received,
      onTime,
      completeness: expected ? round((received / expected) * 100) : null,
      timeliness: expected ? round((onTime / expected) * 100) : null,
      indicators,
    };
  }

  agency(code: string, asOf: string, dueSoonDays = DUE_SOON_DAYS) {
    const indicators = this.tracked(code).map((indicator) => ({
      indicator,
      progress: this.progress(indicator),
    }));
    const tasks = this.input.tasks
      .filter((task) => task.leadAgencies.includes(code))
      .map((task) => this.taskView(task, asOf));
    const reporting = this.reportingSummary(this.reportingOf(code));
    const assessed = indicators
      .map((i) => STATUS_POINTS[i.progress.status])
      .filter((points): points is number => points !== undefined);
    const dated = tasks.filter(
      (t) => t.status === "DONE" || (t.daysLeft !== null && t.daysLeft < 0),
    );
    const parts = {
      indicators: assessed.length ? assessed.reduce((a, b) => a + b, 0) / assessed.length : null,
      tasks: dated.length ? 100 * (1 - tasks.filter((t) => t.overdue).length / dated.length) : null,
      reporting:
        reporting.completeness === null
          ? null
          : (reporting.completeness + reporting.timeliness!) / 2,
    };
    const weighted = (Object.keys(SCORE_WEIGHTS) as (keyof typeof SCORE_WEIGHTS)[]).filter(
      (k) => parts[k] !== null,
    );
    const weight = weighted.reduce((a, k) => a + SCORE_WEIGHTS[k], 0);
    return {
      agencyCode: code,
      indicators,
      statusCounts: countStatuses(indicators.map((i) => i.progress)),
      tasks: {
        asOf,
        overdue: tasks.filter((t) => t.overdue),
        dueSoon: tasks.filter(
          (t) =>
            t.status !== "DONE" &&
            t.daysLeft !== null &&
            t.daysLeft >= 0 &&
            t.daysLeft <= dueSoonDays,
        ),
        done: tasks.filter((t) => t.status === "DONE"),
        total: tasks.length,
      },
      reporting,
      score: {
        total: weight
          ? round(weighted.reduce((a, k) => a + SCORE_WEIGHTS[k] * parts[k]!, 0) / weight)
          : null,
        indicators: parts.indicators === null ? null : round(parts.indicators),
        tasks: parts.tasks === null ? null : round(parts.tasks),
        reporting: parts.reporting === null ? null : round(parts.reporting),
      },
      ...this.supplementary(code),
    };
  }

  /**
   * An agency's indicators beyond the plan, apart from everything above: no target, so no status and
   * no part in its score; their latest figures and how they were reported.
   */
  private supplementary(agency: string) {
    const reporting = this.reportingOf(agency, "supplementaryReporting");
    const lastMonths = new Map(
      this.input.figures.flatMap((f) =>
        (f.supplementarySummaries ?? []).map((i) => [i.code, i.lastMonth] as const),
      ),
    );
    return {
      supplementary: reporting.map((r) => ({
        indicatorCode: r.code,
        latest: lastMonths.get(r.code) ?? null,
        reporting: r,
      })),
      supplementaryReporting: this.reportingSummary(reporting),
    };
  }

  private communeStandingsMemo?: CommuneStandings;

  /**
   * Every commune-level indicator's figures ranked (best first), and each active unit's monthly
   * score: its indicator results (the mean percentile over the indicators it reported), its
   * reporting and its implementation plan. Worked out once per review.
   */
  private communeStandings(): CommuneStandings {
    if (this.communeStandingsMemo) return this.communeStandingsMemo;
    const percentilesOf = new Map<string, number[]>();
    const indicators = this.input.indicators.flatMap((indicator) => {
      const summary = this.summariesByCode.get(indicator.code)?.[0];
      if (!summary || summary.reportingLevel !== "COMMUNE") return [];
      // the agency's subgraph ranked them, best first
      const ranked = summary.rankedUnits ?? [];
      ranked.forEach((v, i) => {
        const percentile = ranked.length > 1 ? 1 - i / (ranked.length - 1) : 1;
        percentilesOf.set(v.unit, [...(percentilesOf.get(v.unit) ?? []), percentile]);
      });
      const city = this.progress(indicator).latest;
      return [
        {
          indicator,
          ranked,
          byUnit: new Map(ranked.map((v) => [v.unit, v])),
          cityValue: city?.period === this.period ? city.value : null,
        },
      ];
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const percentiles = new Map([...percentilesOf].map(([code, xs]) => [code, mean(xs)]));
    const communeLevel = new Set(indicators.map((i) => i.indicator.code));
    const units = this.input.communeUnits ?? [...percentiles.keys()];
    const reporting = communesReporting(
      this.input.figures.flatMap((f) => f.reporting ?? []),
      communeLevel,
      units,
    );
    const scores = new Map(
      units.map((unit) => [unit, this.communeScoreOf(unit, percentiles, reporting)]),
    );
    const { rankOf, outOf } = rankByTotal([...scores.values()]);
    const ranks = new Map(
      [...scores].flatMap(([unit, score]) =>
        rankOf.has(score) ? [[unit, rankOf.get(score)!]] : [],
      ),
    );
    this.communeStandingsMemo = {
      indicators,
      percentiles,
      reporting,
      communeLevel,
      scores,
      ranks,
      outOf,
    };
    return this.communeStandingsMemo;
  }

  private communeScoreOf(
    unit: string,
    percentiles: Map<string, number>,
    reporting: Map<string, CommuneReporting>,
  ) {
    const percentile = percentiles.get(unit);
    const own = reporting.get(unit);
    const rates = own ? reportingRates(own) : { completeness: null, timeliness: null };
    return communeScore({
      indicators: percentile === undefined ? null : percentile * 100,
      reporting: rates.completeness === null ? null : (rates.completeness + rates.timeliness!) / 2,
      tasks: communePlanPoints(this.input.communePlans?.get(unit) ?? null, this.period),
    });
  }

  /**
   * Every commune-level indicator for one commune, its rank on each, its monthly score with its
   * parts, and its rank by that score among the active units.
   */
  commune(unit: string) {
    const standings = this.communeStandings();
    const rows = standings.indicators.map(({ indicator, ranked, byUnit, cityValue }) => {
      const own = byUnit.get(unit);
      return {
        indicator,
        value: own?.value ?? null,
        met: own?.met ?? null,
        reported: own !== undefined,
        cityValue,
        // ties share the better rank
        rank: own?.rank ?? null,
        outOf: ranked.length,
      };
    });
    // a unit no longer active is scored on its own, unranked
    const reporting =
      standings.reporting.get(unit) ??
      communesReporting(
        this.input.figures.flatMap((f) => f.reporting ?? []),
        standings.communeLevel,
        [unit],
      ).get(unit)!;
    const score =
      standings.scores.get(unit) ??
      this.communeScoreOf(unit, standings.percentiles, new Map([[unit, reporting]]));
    const plan = this.input.communePlans?.get(unit) ?? null;
    return {
      unitCode: unit,
      period: this.period,
      indicators: rows,
      score: score.total,
      monthlyScore: score,
      reporting: { period: this.period, ...reporting, ...reportingRates(reporting) },
      implementationPlan: plan,
      rank: standings.ranks.get(unit) ?? null,
      outOf: standings.outOf,
    };
  }

  /** Every given commune's drill-down, best ranked first, those with no figures last. */
  communes(units: string[]) {
    return units
      .map((unit) => this.commune(unit))
      .sort(
        (a, b) =>
          (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
          a.unitCode.localeCompare(b.unitCode, "en", { numeric: true }),
      );
  }

  /**
   * Which agency and unit has not reported the month, or reported it late: the plan's indicators and,
   * in lists of their own, the agencies' supplementary ones.
   */
  lateReporting() {
    type Entry = { agencyCode: string; unitCode: string } & Record<LateKind, string[]>;
    const byKey = new Map<string, Entry>();
    const collect = (reporting: IndicatorReporting, missing: LateKind, late: LateKind) => {
      const agencyCode = reporting.agencies[0]!;
      const add = (unitCode: string, kind: LateKind) => {
        const key = `${agencyCode}|${unitCode}`;
        const entry = byKey.get(key) ?? {
          agencyCode,
          unitCode,
          missing: [],
          late: [],
          missingSupplementary: [],
          lateSupplementary: [],
        };
        entry[kind].push(reporting.code);
        byKey.set(key, entry);
      };
      reporting.missingUnits.forEach((u) => add(u, missing));
      reporting.lateUnits.forEach((u) => add(u, late));
    };
    for (const figures of this.input.figures) {
      for (const reporting of figures.reporting ?? []) collect(reporting, "missing", "late");
      for (const reporting of figures.supplementaryReporting ?? []) {
        collect(reporting, "missingSupplementary", "lateSupplementary");
      }
    }
    return [...byKey.values()].sort(
      (a, b) => a.agencyCode.localeCompare(b.agencyCode) || a.unitCode.localeCompare(b.unitCode),
    );
  }

  /** Tasks overdue or due within the given days, soonest first, with their lead agencies' statuses. */
  tasksDue(withinDays: number, asOf: string) {
    return this.input.tasks
      .map((task) => this.taskView(task, asOf))
      .filter((t) => t.status !== "DONE" && t.daysLeft !== null && t.daysLeft <= withinDays)
      .sort(
        (a, b) =>
          a.daysLeft! - b.daysLeft! ||
          a.task.code.localeCompare(b.task.code, "en", { numeric: true }),
      )
      .map((view) => ({
        ...view,
        leadAgencies: view.task.leadAgencies.map((agencyCode) => ({
          agencyCode,
          statusCounts: countStatuses(this.tracked(agencyCode).map((i) => this.progress(i))),
        })),
      }));
  }
}
