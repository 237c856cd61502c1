// The communes' league table and its trend: each month's ranks and scores, as the graph gives them
// (a review and the reviews of the months before it, through previousMonth), made into one row a
// commune with its months side by side and its move since the month before. One module for the
// league page and the monthly report.

/** One month's standings as the graph gives them. */
export interface LeagueMonth {
  period: string;
  communes: { unit: { code: string }; rank?: number | null; score?: number | null }[];
  previousMonth?: LeagueMonth | null;
}

export interface LeagueRow {
  code: string;
  rank: number | null;
  score: number | null;
  /** Its rank and score in every month of the trend, oldest first (null: not ranked that month). */
  months: { period: string; rank: number | null; score: number | null }[];
  /** Places gained since the month before (negative: lost); null when either month has no rank. */
  change: number | null;
}

/** A review's month and the months before it the answer holds, oldest first. */
export function monthsOf(review: LeagueMonth): LeagueMonth[] {
  const months: LeagueMonth[] = [];
  for (let month: LeagueMonth | null | undefined = review; month; month = month.previousMonth) {
    months.unshift(month);
  }
  return months;
}

/** One row a commune of the latest month, in its order, with the months of the trend. */
export function leagueTrend(review: LeagueMonth): LeagueRow[] {
  const months = monthsOf(review);
  const byMonth = months.map(
    (month) => new Map(month.communes.map((c) => [c.unit.code, c] as const)),
  );
  return review.communes.map((commune) => {
    const trend = months.map((month, i) => {
      const own = byMonth[i]!.get(commune.unit.code);
      return { period: month.period, rank: own?.rank ?? null, score: own?.score ?? null };
    });
    const [before, now] = trend.slice(-2);
    return {
      code: commune.unit.code,
      rank: commune.rank ?? null,
      score: commune.score ?? null,
      months: trend,
      change:
        trend.length > 1 && before!.rank !== null && now!.rank !== null
          ? before!.rank - now!.rank
          : null,
    };
  });
}

/** The best and the last `count` ranked rows, the best first in each. */
export function topAndBottom(rows: LeagueRow[], count: number) {
  const ranked = rows
    .filter((r) => r.rank !== null)
    .sort((a, b) => a.rank! - b.rank! || a.code.localeCompare(b.code));
  return {
    top: ranked.slice(0, count),
    bottom: ranked.length > count ? ranked.slice(Math.max(count, ranked.length - count)) : [],
  };
}
