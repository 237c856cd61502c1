// An indicator reached through a month's review stands as of that month: its series and progress end
// at the review's month, as the review's own progress does. So a review reads nothing of a later
// month, and its answer holds through the writes to the month the agencies are reporting now (the
// kit's read-scope.ts); the agencies' series it read are noted as read up to that month.
import type { IndicatorDoc } from "./models.js";
import { checkPeriodArgument } from "@p06/subgraph-kit";

/** An indicator as a review shows it: `asOf` its month (YYYY-MM). */
export type IndicatorAsOf = IndicatorDoc & { asOf?: string };

export const asOfMonth = (indicator: IndicatorDoc, period: string): IndicatorAsOf => ({
  ...indicator,
  asOf: period,
});

/**
 * The last month an indicator's series and progress are shown up to: the `upTo` asked, within a
 * review's month; none (every month) when neither is.
 */
export function shownUpTo(indicator: IndicatorAsOf, upTo?: string | null): string | undefined {
  checkPeriodArgument(upTo, "upTo");
  const asked = upTo ?? undefined;
  const { asOf } = indicator;
  if (asked === undefined || asOf === undefined) return asked ?? asOf;
  return asked < asOf ? asked : asOf;
}
