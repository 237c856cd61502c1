// Where a claimed digest stands, from its attempts and their outcomes (all insert-only records).
import type { PlanState } from "../plan-state.js";

export type ReminderStatus = "SENDING" | "SENT" | "FAILED" | "UNCONFIRMED";

/** Attempts to send a digest before the scheduler gives up on it. */
export const MAX_ATTEMPTS = 10;
/**
 * An attempt with no outcome after this long was cut short (the process stopped in the middle of the
 * SMTP conversation): whether the server took the message is unknown, so it is not sent again.
 */
export const UNCONFIRMED_AFTER_MS = 10 * 60_000;

export interface ReminderProgress {
  status: ReminderStatus;
  attempts: number;
  sentAt: Date | null;
  /** The SMTP server's answer to the attempt that sent it, or the last error. */
  response: string | null;
}

export function reminderProgress(state: PlanState, key: string, now: Date): ReminderProgress {
  const attempts = state.reminderAttempts.get(key) ?? [];
  const outcomes = attempts.map((attempt) => state.reminderOutcomes.get(attempt._id));
  const sent = outcomes.find((outcome) => outcome?.ok);
  if (sent) {
    return { status: "SENT", attempts: attempts.length, sentAt: sent.at, response: sent.response };
  }
  const last = attempts.at(-1);
  const lastOutcome = outcomes.at(-1);
  const response = lastOutcome?.response ?? null;
  // claimed, and the first attempt about to start: sending
  if (!last) return { status: "SENDING", attempts: 0, sentAt: null, response };
  if (!lastOutcome) {
    const stale = now.getTime() - last.at.getTime() > UNCONFIRMED_AFTER_MS;
    return {
      status: stale ? "UNCONFIRMED" : "SENDING",
      attempts: attempts.length,
      sentAt: null,
      response,
    };
  }
  return { status: "FAILED", attempts: attempts.length, sentAt: null, response };
}
