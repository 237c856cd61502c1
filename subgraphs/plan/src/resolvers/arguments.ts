// Checks of the plan subgraph's arguments, each refused with a code a client can act on.
import { currentPeriod, isMonth, userError } from "@p06/subgraph-kit";
import { todayInVietnam } from "../review.js";

export function checkYear(year: number, argumentName = "year"): number {
  if (!Number.isInteger(year) || year < 2025 || year > 2035) {
    throw userError(`${argumentName} ${year} is outside the plan's 2025-2035`, { argumentName });
  }
  return year;
}

/** A month YYYY-MM, by default the latest month whose reports are due (the 10th of the next month). */
export function checkPeriod(period: string | null | undefined, now = new Date()): string {
  if (period == null) {
    const [year, month, day] = todayInVietnam(now).split("-").map(Number) as [
      number,
      number,
      number,
    ];
    // before the 10th, last month's reports are still coming in: the month before is the latest complete
    const back = day > 10 ? 1 : 2;
    const index = year * 12 + (month - 1) - back;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  }
  if (!isMonth(period)) {
    throw userError(`period "${period}" is not a month written YYYY-MM`, {
      code: "INVALID_PERIOD",
      argumentName: "period",
    });
  }
  if (period > currentPeriod(now)) {
    throw userError(`period ${period} is in the future`, {
      code: "FUTURE_PERIOD",
      argumentName: "period",
    });
  }
  return period;
}

/** A day YYYY-MM-DD, by default today in Hai Phong. */
export function checkDay(day: string | null | undefined, argumentName = "asOf"): string {
  if (day == null) return todayInVietnam();
  const parsed = new Date(`${day}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(day) ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== day
  ) {
    throw userError(`${argumentName} "${day}" is not a day written YYYY-MM-DD`, { argumentName });
  }
  return day;
}

/** A catalogue code (III.3, POLICE, 10507): a code that names nothing answers null, a malformed one an error. */
export function checkCode(code: string, argumentName = "code"): string {
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(code)) {
    throw userError(
      `${argumentName} must be 1 to 32 letters, digits, dots, dashes or underscores`,
      {
        argumentName,
      },
    );
  }
  return code;
}
