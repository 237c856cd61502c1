// An attempt to send a digest that never reported back turns UNCONFIRMED ten minutes on (status.ts),
// with no write. So that instant is recorded as a change (the kit's clock-changes.ts), placed at the
// month the digest reminds of: nothing kept from before it says SENDING after, and the reminders of
// other months stay kept.
import { clockChangeModel, type ClockChange } from "@p06/subgraph-kit";
import type { PlanState } from "../plan-state.js";
import { UNCONFIRMED_AFTER_MS } from "./status.js";

export const UNCONFIRMED_CHANGE = "reminder.unconfirmed";

export const unconfirmedChangeModel = clockChangeModel(UNCONFIRMED_CHANGE, true);

/**
 * How often the attempts are looked at again for a new instant: an attempt's turns ten minutes after
 * it, so one looked at within a minute is recorded on time.
 */
export const UNCONFIRMED_RECHECK_MS = 60_000;

/**
 * The next instant after `now` at which an attempt with no outcome turns UNCONFIRMED, with every
 * digest it turns at that instant (each with its month); null when none is waiting.
 */
export function nextUnconfirmed(state: PlanState, now: Date): ClockChange | null {
  let next: ClockChange | null = null;
  for (const [digest, attempts] of state.reminderAttempts) {
    const last = attempts.at(-1);
    if (!last || state.reminderOutcomes.has(last._id)) continue;
    // status.ts: UNCONFIRMED once more than UNCONFIRMED_AFTER_MS have passed
    const at = new Date(last.at.getTime() + UNCONFIRMED_AFTER_MS + 1);
    if (at <= now || (next && at > next.at)) continue;
    // a digest not loaded (it should be) has no month: its change reaches every month
    const record = { digest, period: state.reminders.get(digest)?.period ?? null };
    next =
      next && at.getTime() === next.at.getTime()
        ? { at, records: [...next.records, record] }
        : { at, records: [record] };
  }
  return next;
}
