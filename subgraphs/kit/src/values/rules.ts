// The rules the values module's resolvers apply to their arguments: the largest reports and pages,
// a month's form, and one error that lists every problem of a report.
import { isMonth } from "../changes/steps.js";
import { userError } from "../errors.js";
import type { Problem } from "./validate.js";

/** The largest report accepted in one call (values, or rows of a file). */
export const MAX_REPORT_VALUES = 50_000;
/** The largest pages of the lists that grow (their defaults are in the schema). */
export const MAX_VALUES_PAGE = 5000;
export const MAX_HISTORY_PAGE = 1000;
export const MAX_AUDIT_PAGE = 1000;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The largest page of a month's obligations (114 communes × a dozen indicators fit one). */
export const MAX_OBLIGATIONS_PAGE = 5000;
/** The largest page of a month's warnings. */
export const MAX_WARNINGS_PAGE = 5000;
/** The largest page of a month's data values for DHIS2. */
export const MAX_DATA_VALUES_PAGE = 20_000;

export const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The month before a month, both YYYY-MM. */
export function previousPeriod(period: string): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
}

/** Refuses a month argument not written YYYY-MM. */
export function checkPeriodArgument(value: string | null | undefined, argumentName: string) {
  if (value != null && !isMonth(value)) {
    throw userError(`${argumentName} "${value}" is not a month written YYYY-MM`, {
      code: "INVALID_PERIOD",
      argumentName,
    });
  }
}

/**
 * One error for a refused report, naming its first problem and listing them all in
 * `extensions.problems`: each by line (a file's row) or index (a list's figure), with the column
 * that is wrong where one is.
 */
export function reportError(problems: (Problem & { index?: number; line?: number })[]) {
  const first = problems[0]!;
  const where = [
    first.line !== undefined ? `line ${first.line}` : `value ${first.index}`,
    ...(first.column ? [first.column] : []),
  ].join(", ");
  return userError(
    `the report has ${problems.length} problem(s); nothing was stored. First, ${where}: ${first.message}`,
    { code: "INVALID_REPORT", problems },
  );
}
