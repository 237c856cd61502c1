// The one catalogue of error codes a client can act on (documented in docs/trust.md, "Errors").
import { GraphQLError } from "graphql";

export const ErrorCode = {
  /** An argument is malformed or names something that does not exist. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** A change, or a read that is not open to all, came without a calling agency: sign in. */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** The calling agency may not write this (another agency's indicator). */
  FORBIDDEN: "FORBIDDEN",
  /** The indicator is not reported through this subgraph. */
  UNKNOWN_INDICATOR: "UNKNOWN_INDICATOR",
  /** The reporting unit is not in the list of units. */
  UNKNOWN_REPORTING_UNIT: "UNKNOWN_REPORTING_UNIT",
  /** The period is not a month written YYYY-MM, or is before the first month tracked. */
  INVALID_PERIOD: "INVALID_PERIOD",
  /** The period has not begun yet (server clock). */
  FUTURE_PERIOD: "FUTURE_PERIOD",
  /** The figure breaks a rule of its measure (numerator above denominator, missing field, ...). */
  INVALID_VALUE: "INVALID_VALUE",
  /** A report or file has problems; `extensions.problems` lists each (row or line, code, message). */
  INVALID_REPORT: "INVALID_REPORT",
  /** Someone else replaced the value at the same moment; submit again. */
  CONFLICT: "CONFLICT",
  /** The month was accepted by the IOC: no figure of it changes until the IOC reopens it. */
  MONTH_LOCKED: "MONTH_LOCKED",
  /** The month is submitted and awaits the IOC's review: no figure of it changes meanwhile. */
  MONTH_UNDER_REVIEW: "MONTH_UNDER_REVIEW",
  /** The month's review cannot take that step from where it stands (`extensions.state`). */
  INVALID_MONTH_STEP: "INVALID_MONTH_STEP",
  /** The month still has warnings to confirm or correct (`extensions.warnings` counts them). */
  OPEN_WARNINGS: "OPEN_WARNINGS",
  COMMUNES_PENDING: "COMMUNES_PENDING",
  /**
   * The database is away (restarting, unreachable): a write is refused before anything of it is
   * applied; `extensions.retryAfterSeconds` says when to try again.
   */
  DATABASE_UNAVAILABLE: "DATABASE_UNAVAILABLE",
  /**
   * A write reached the subgraph after the gateway's deadline for it (queued behind reads): refused
   * before anything of it is applied; `extensions.retryAfterSeconds` says when to try again.
   */
  WRITE_DEADLINE_PASSED: "WRITE_DEADLINE_PASSED",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function userError(
  message: string,
  details: { argumentName?: string; code?: ErrorCode; [extension: string]: unknown } = {},
): GraphQLError {
  const { code = ErrorCode.BAD_USER_INPUT, ...extensions } = details;
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}
