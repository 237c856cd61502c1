// A commune's monthly score, as an agency has one: its reporting of the month (completeness and
// timeliness of its figures), its indicator results (its standing among the communes) and its tasks
// (its implementation plan issued), weighted and renormalised over the parts it has.
import type { IndicatorReporting } from "@p06/subgraph-kit";

/** Weights of a commune's monthly score: the agencies' (review.ts SCORE_WEIGHTS), part for part. */
export const COMMUNE_SCORE_WEIGHTS = { indicators: 0.4, tasks: 0.3, reporting: 0.3 };

export type CommuneScoreParts = Record<keyof typeof COMMUNE_SCORE_WEIGHTS, number | null>;

/** How one commune reported the month's commune-level indicators. */
export interface CommuneReporting {
  expected: number;
  received: number;
  onTime: number;
  /** The indicators it has not reported, and those it reported after the due date. */
  missing: string[];
  late: string[];
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Every commune's reporting of the month, from the agencies' reporting of their commune-level
 * indicators (each lists the units missing and late): one pass over the lists, whatever the units.
 */
export function communesReporting(
  reporting: IndicatorReporting[],
  communeLevel: ReadonlySet<string>,
  units: readonly string[],
): Map<string, CommuneReporting> {
  const expected = reporting.filter((r) => communeLevel.has(r.code));
  const byUnit = new Map(
    units.map((unit) => [
      unit,
      {
        expected: expected.length,
        received: expected.length,
        onTime: expected.length,
      } as CommuneReporting,
    ]),
  );
  const missing = new Map<string, string[]>();
  const late = new Map<string, string[]>();
  for (const indicator of expected) {
    for (const unit of indicator.missingUnits) {
      missing.set(unit, [...(missing.get(unit) ?? []), indicator.code]);
    }
    for (const unit of indicator.lateUnits) {
      late.set(unit, [...(late.get(unit) ?? []), indicator.code]);
    }
  }
  for (const [unit, own] of byUnit) {
    own.missing = missing.get(unit) ?? [];
    own.late = late.get(unit) ?? [];
    own.received -= own.missing.length;
    own.onTime -= own.missing.length + own.late.length;
  }
  return byUnit;
}

/** Completeness and timeliness as percentages of what was expected (null: nothing expected). */
export function reportingRates(own: CommuneReporting) {
  if (own.expected === 0) return { completeness: null, timeliness: null };
  return {
    completeness: round((own.received / own.expected) * 100),
    timeliness: round((Math.max(own.onTime, 0) / own.expected) * 100),
  };
}

/** The total of the parts a commune has, each weighted, over the weights of those parts. */
export function communeScore(parts: CommuneScoreParts) {
  const present = (
    Object.keys(COMMUNE_SCORE_WEIGHTS) as (keyof typeof COMMUNE_SCORE_WEIGHTS)[]
  ).filter((k) => parts[k] !== null);
  const weight = present.reduce((a, k) => a + COMMUNE_SCORE_WEIGHTS[k], 0);
  return {
    total: weight
      ? round(present.reduce((a, k) => a + COMMUNE_SCORE_WEIGHTS[k] * parts[k]!, 0) / weight)
      : null,
    indicators: parts.indicators === null ? null : round(parts.indicators),
    tasks: parts.tasks === null ? null : round(parts.tasks),
    reporting: parts.reporting === null ? null : round(parts.reporting),
  };
}

/** Ranks by total, best first: ties share the better rank; those with no total come last, unranked. */
export function rankByTotal<T extends { total: number | null }>(rows: T[]) {
  const scored = rows.filter((r) => r.total !== null).sort((a, b) => b.total! - a.total!);
  const rankOf = new Map<T, number>();
  scored.forEach((row, i) => {
    const previous = scored[i - 1];
    rankOf.set(row, previous && previous.total === row.total ? rankOf.get(previous)! : i + 1);
  });
  return { rankOf, outOf: scored.length };
}
