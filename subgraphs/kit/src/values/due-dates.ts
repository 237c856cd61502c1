// When a month falls due (the 10th of the next month, Vietnam time), what was owed and not received
// turns from DUE to MISSING (month-obligations.ts, commune-month.ts) with no write at all: an answer
// kept from before would say DUE until the next write. So a due date passing is recorded as a change,
// as a write is: at that instant each instance appends it to the change log, placed at the month that
// fell due, and every answer kept anywhere that read that month, or a later one, is no longer fresh.
import type { Logger } from "../logger.js";
import type { ReadModel, Replica } from "../changes/replica.js";
import { dueDate } from "./figures.js";
import { previousPeriod } from "./rules.js";
import { currentPeriod } from "./validate.js";

/** The change a due date passing is recorded as: one record naming the month that fell due. */
export const DUE_CHANGE = "month.due";

/** Nothing to hold: the change only moves the data version, placed at its month (steps.ts). */
export const dueDateModel: ReadModel = {
  kinds: [DUE_CHANGE],
  load: async () => {},
  apply: () => {},
  byPeriod: true,
};

/** The next month to fall due after `now`: the last one, until its due date has passed. */
export function nextDue(now: Date): string {
  const last = previousPeriod(currentPeriod(now));
  return dueDate(last) >= now ? last : currentPeriod(now);
}

/** setTimeout's longest wait (about 24.8 days): a later due date is waited for in steps. */
const LONGEST_WAIT_MS = 2 ** 31 - 1;
/** How long to wait before recording again when the database was away. */
const RETRY_MS = 5_000;

/**
 * Records each due date as it passes, by `now` (the subgraph's clock). Returns the function that
 * stops it.
 */
export function recordDueDates(replica: Replica, now: () => Date, logger: Logger): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const waitFor = (period: string, atLeastMs = 0) => {
    if (stopped) return;
    const ms = dueDate(period).getTime() + 1 - now().getTime();
    timer = setTimeout(() => void fire(period), Math.min(Math.max(ms, atLeastMs), LONGEST_WAIT_MS));
    timer.unref();
  };
  const fire = async (period: string) => {
    if (stopped) return;
    // not yet by the subgraph's clock (a long wait in steps, or a clock that does not run)
    if (now() <= dueDate(period)) return waitFor(period, RETRY_MS);
    try {
      await replica.publish(DUE_CHANGE, [{ period }]);
      logger.info({ period, version: replica.version }, "a month fell due: recorded as a change");
      waitFor(nextDue(now()));
    } catch (error) {
      logger.warn({ err: error, period }, "could not record a month falling due; trying again");
      if (!stopped) timer = setTimeout(() => void fire(period), RETRY_MS).unref();
    }
  };
  waitFor(nextDue(now()));
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
