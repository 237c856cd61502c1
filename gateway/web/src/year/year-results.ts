// The year's results (section VI of the plan): each agency's year from its monthly scores, reporting
// and indicators, ranked; whom the City Police would propose for commendation (the best, with their
// numbers) and for accountability (the persistently late or behind, with the months and indicators).
// Worked out from the graph's answers to WebYearReview, with no requests: the page, the yearly report
// and the tests use it alike.
import type {
  ProgressStatus,
  WebYearMonthFragment,
  WebYearReviewQuery,
  WebYearReviewQueryVariables,
} from "../graphql/generated/graphql.js";
import { latestDueMonth } from "../due-months.js";

/** Statuses that count an indicator as behind its target: going the wrong way, or missed. */
export const BEHIND: readonly ProgressStatus[] = ["DETERIORATING", "NOT_ACHIEVED"];
/** A month counts as late when less of the agency's figures than this came in on time. */
export const ON_TIME_SHARE = 0.9;
/** In this many months of the year or more, lateness or an indicator behind is persistent. */
export const PERSISTENT_MONTHS = 3;
/** How many of the best the commendation proposes. */
export const COMMENDED = 3;

/** A month and the indicators that made it count (late or missing, or behind). */
export interface MonthMark {
  period: string;
  indicators: string[];
}

/** A year's score from the monthly scores: an agency's or a commune's. */
export interface YearScore {
  /** Months with a monthly score. */
  monthsScored: number;
  /** The mean of its monthly scores (0-100), and of each part; null with none. */
  score: number | null;
  indicators: number | null;
  tasks: number | null;
  reporting: number | null;
}

export interface AgencyYear extends YearScore {
  code: string;
  name: string;
  nameVi: string;
  /** 1 for the best yearly score; agencies with none share the last place. */
  rank: number;
  /** Figures expected and received over the year, and received on time. */
  expected: number;
  received: number;
  onTime: number;
  /** Months less than ON_TIME_SHARE of its figures came in on time, with the indicators late or missing. */
  lateMonths: MonthMark[];
  /** Months with indicators behind their target, with those indicators. */
  behindMonths: MonthMark[];
  /** Its tasks overdue in the last month read. */
  overdueTasks: string[];
}

export interface Accountable {
  agency: AgencyYear;
  /** Late (under ON_TIME_SHARE on time) in PERSISTENT_MONTHS months or more. */
  persistentlyLate: boolean;
  /** The indicators behind in PERSISTENT_MONTHS months or more, each with its months. */
  persistentlyBehind: { indicator: string; periods: string[] }[];
}

/** A commune's (ward's, special zone's) year, from its monthly scores (its plan is their tasks part). */
export interface CommuneYear extends YearScore {
  code: string;
  name: string;
  rank: number;
  expected: number;
  onTime: number;
  /** Months less than ON_TIME_SHARE of its figures came in on time. */
  lateMonths: string[];
  /** Its implementation plan not issued by the last month read (its tasks part 0). */
  planMissing: boolean;
}

export interface YearResults {
  year: number;
  /** The months read, oldest first. */
  periods: string[];
  agencies: AgencyYear[];
  commendation: AgencyYear[];
  accountability: Accountable[];
  /** The communes' league table of the year, and the two proposals for them. */
  communes: CommuneYear[];
  communeCommendation: CommuneYear[];
  /** Late in PERSISTENT_MONTHS months or more, or its plan still not issued. */
  communeAccountability: CommuneYear[];
}

const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, "0"));
type MonthKey = Exclude<keyof WebYearReviewQuery, "agencies" | "__typename">;
type AgencyLine = WebYearMonthFragment["agencyScorecards"][number];

/**
 * The last month of `year` whose reports were due by now (the 10th of the next month has passed, as
 * the pages count it), or null before the year's first was.
 */
export function lastReportedPeriod(year: number, now = new Date()): string | null {
  const last = latestDueMonth(now);
  if (last < `${year}-01`) return null;
  return last > `${year}-12` ? `${year}-12` : last;
}

/** Months one request reads at most: a whole year costs more than the gateway lets one request. */
export const MONTHS_A_REQUEST = 6;

/**
 * The requests' variables that read a year's months up to `lastPeriod` (the month reported now), for
 * the target year (2026, or 2030 after 2026): at most MONTHS_A_REQUEST months each.
 */
export function yearRequests(
  year: number,
  lastPeriod: string,
  targetYear = year <= 2026 ? 2026 : 2030,
): WebYearReviewQueryVariables[] {
  const read = MONTHS.filter((month) => `${year}-${month}` <= lastPeriod);
  const requests: WebYearReviewQueryVariables[] = [];
  for (let start = 0; start < read.length; start += MONTHS_A_REQUEST) {
    const these = new Set(read.slice(start, start + MONTHS_A_REQUEST));
    const variables: Record<string, unknown> = { year: targetYear };
    for (const month of MONTHS) {
      variables[`p${month}`] = `${year}-${month}`;
      variables[`with${month}`] = these.has(month);
    }
    requests.push(variables as unknown as WebYearReviewQueryVariables);
  }
  return requests;
}

/** Every request's answer as one: each holds its own months. */
export async function loadYearReview(
  ask: (variables: WebYearReviewQueryVariables) => Promise<WebYearReviewQuery>,
  year: number,
  lastPeriod: string,
): Promise<WebYearReviewQuery> {
  const answers = await Promise.all(yearRequests(year, lastPeriod).map(ask));
  return Object.assign(
    {},
    ...answers.map((answer) =>
      Object.fromEntries(Object.entries(answer).filter(([, v]) => v != null)),
    ),
  ) as WebYearReviewQuery;
}

/** The months an answer holds, oldest first. */
export function monthsOf(answer: WebYearReviewQuery): WebYearMonthFragment[] {
  return MONTHS.flatMap((month) => {
    const review = answer[`m${month}` as MonthKey];
    return review ? [review] : [];
  });
}

const mean = (values: number[]) =>
  values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
const round1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
const numbers = (values: (number | null | undefined)[]) =>
  values.filter((value): value is number => typeof value === "number");

/** A monthly score's parts, as the graph gives an agency's or a commune's. */
type MonthlyScore = Record<
  "total" | "indicators" | "tasks" | "reporting",
  number | null | undefined
>;

/** The year's score from the monthly ones: the mean of each part over the months that have it. */
function yearScore(scores: MonthlyScore[]): YearScore {
  const part = (pick: (score: MonthlyScore) => number | null | undefined) =>
    round1(mean(numbers(scores.map(pick))));
  return {
    monthsScored: numbers(scores.map((score) => score.total)).length,
    score: part((score) => score.total),
    indicators: part((score) => score.indicators),
    tasks: part((score) => score.tasks),
    reporting: part((score) => score.reporting),
  };
}

export function yearResults(year: number, answer: WebYearReviewQuery): YearResults {
  const months = monthsOf(answer);
  const lines = new Map<string, { period: string; line: AgencyLine }[]>();
  for (const month of months) {
    for (const line of month.agencyScorecards) {
      const list = lines.get(line.agency.code) ?? [];
      list.push({ period: month.period, line });
      lines.set(line.agency.code, list);
    }
  }

  const agencies = answer.agencies.flatMap((agency): Omit<AgencyYear, "rank">[] => {
    const own = lines.get(agency.code);
    if (!own) return [];
    // a month with too few figures in by the 10th of the next month, with the indicators late or
    // still missing
    const lateMonths = own
      .filter(({ line }) => line.reporting.onTime < ON_TIME_SHARE * line.reporting.expected)
      .map(({ period, line }) => ({
        period,
        indicators: line.reporting.indicators
          .filter((i) => i.onTime < i.expected)
          .map((i) => i.code)
          .sort(),
      }));
    const behindMonths = own
      .map(({ period, line }) => ({
        period,
        indicators: line.indicators
          .filter((i) => BEHIND.includes(i.progress.status))
          .map((i) => i.indicator.code)
          .sort(),
      }))
      .filter((mark) => mark.indicators.length > 0);
    const sum = (pick: (line: AgencyLine) => number) =>
      own.reduce((total, { line }) => total + pick(line), 0);
    return [
      {
        code: agency.code,
        name: agency.name,
        nameVi: agency.nameVi,
        ...yearScore(own.map(({ line }) => line.score)),
        expected: sum((line) => line.reporting.expected),
        received: sum((line) => line.reporting.received),
        onTime: sum((line) => line.reporting.onTime),
        lateMonths,
        behindMonths,
        overdueTasks: own.at(-1)!.line.tasks.overdue.map((t) => t.task.code),
      },
    ];
  });

  const withRank = ranked(agencies);

  const accountability = withRank.flatMap((agency): Accountable[] => {
    const periodsBehind = new Map<string, string[]>();
    for (const mark of agency.behindMonths) {
      for (const indicator of mark.indicators) {
        periodsBehind.set(indicator, [...(periodsBehind.get(indicator) ?? []), mark.period]);
      }
    }
    const persistentlyBehind = [...periodsBehind]
      .filter(([, periods]) => periods.length >= PERSISTENT_MONTHS)
      .map(([indicator, periods]) => ({ indicator, periods }))
      .sort(
        (a, b) => b.periods.length - a.periods.length || a.indicator.localeCompare(b.indicator),
      );
    const persistentlyLate = agency.lateMonths.length >= PERSISTENT_MONTHS;
    return persistentlyLate || persistentlyBehind.length
      ? [{ agency, persistentlyLate, persistentlyBehind }]
      : [];
  });
  const commendation = bestOf(
    withRank,
    months.length,
    accountability.map((a) => a.agency),
  );

  const communes = communesYear(months);
  const communeAccountability = communes.filter(
    (commune) => commune.lateMonths.length >= PERSISTENT_MONTHS || commune.planMissing,
  );
  return {
    year,
    periods: months.map((month) => month.period),
    agencies: withRank,
    commendation,
    accountability,
    communes,
    communeCommendation: bestOf(communes, months.length, communeAccountability),
    communeAccountability,
  };
}

/** Best first (ties share a rank); those with no score last, in the order given. */
function ranked<T extends { score: number | null }>(rows: T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
  const scored = sorted.filter((row) => row.score !== null).length;
  return sorted.map((row) => ({
    ...row,
    rank: row.score === null ? scored + 1 : sorted.findIndex((r) => r.score === row.score) + 1,
  }));
}

/** The best with a score in at least half the months read, none of those proposed for accountability. */
function bestOf<T extends { code: string; score: number | null; monthsScored: number }>(
  rows: T[],
  months: number,
  accountable: { code: string }[],
): T[] {
  const excluded = new Set(accountable.map((row) => row.code));
  return rows
    .filter(
      (row) => row.score !== null && row.monthsScored * 2 >= months && !excluded.has(row.code),
    )
    .slice(0, COMMENDED);
}

function communesYear(months: WebYearMonthFragment[]): CommuneYear[] {
  type CommuneLine = WebYearMonthFragment["communes"][number];
  const byUnit = new Map<
    string,
    { name: string; lines: { period: string; line: CommuneLine }[] }
  >();
  for (const month of months) {
    for (const line of month.communes) {
      const entry = byUnit.get(line.unit.code) ?? { name: line.unit.name, lines: [] };
      entry.lines.push({ period: month.period, line });
      byUnit.set(line.unit.code, entry);
    }
  }
  const communes = [...byUnit].map(([code, { name, lines }]): Omit<CommuneYear, "rank"> => ({
    code,
    name,
    ...yearScore(lines.map(({ line }) => line.monthlyScore)),
    expected: lines.reduce((sum, { line }) => sum + line.reporting.expected, 0),
    onTime: lines.reduce((sum, { line }) => sum + line.reporting.onTime, 0),
    lateMonths: lines
      .filter(({ line }) => line.reporting.onTime < ON_TIME_SHARE * line.reporting.expected)
      .map(({ period }) => period),
    planMissing: lines.at(-1)!.line.monthlyScore.tasks === 0,
  }));
  return ranked(communes);
}
