// Some answers change with the clock alone: what was due is missing once its due date has passed, a
// request not answered by its day is overdue. An answer kept from before such an instant would be
// given after it unchanged. So the instant is recorded as a change, as a write is: at that moment each
// instance appends it to the change log, and every answer kept anywhere that it reaches is no longer
// fresh. Several instances each record it: a change more costs only reuse.
import type { Logger } from "../logger.js";
import type { ReadModel, Replica } from "./replica.js";

/** The next instant answers change with no write, and what to record then. */
export interface ClockChange {
  at: Date;
  records: unknown[];
}

/** setTimeout's longest wait (about 24.8 days): a later instant is waited for in steps. */
const LONGEST_WAIT_MS = 2 ** 31 - 1;
/** How long to wait before recording again when the database was away, or the clock stood still. */
const RETRY_MS = 5_000;

/** A change kind that holds nothing: it only moves the data version (placed as `byPeriod` says). */
export const clockChangeModel = (kind: string, byPeriod: boolean): ReadModel => ({
  kinds: [kind],
  load: async () => {},
  apply: () => {},
  byPeriod,
});

/**
 * Records a change of `kind` at each instant `next` names after now (by `now`, the subgraph's
 * clock); null: none for now. A `next` that depends on the state (a new record brings an instant
 * of its own) is asked again at least every `recheckMs`. Returns the function that stops it.
 */
export function recordClockChanges(
  replica: Replica,
  kind: string,
  next: (now: Date) => ClockChange | null,
  now: () => Date,
  logger: Logger,
  { recheckMs = LONGEST_WAIT_MS }: { recheckMs?: number } = {},
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const later = (ms: number, then: () => void) => {
    if (stopped) return;
    timer = setTimeout(then, ms);
    timer.unref();
  };
  /** Waits for the next instant; woken before it (a long wait in steps, a recheck), asks again. */
  const waitForNext = () => {
    const change = next(now());
    if (!change) return later(recheckMs, waitForNext);
    const ms = change.at.getTime() - now().getTime();
    const delay = Math.min(Math.max(ms, 0), LONGEST_WAIT_MS, recheckMs);
    later(delay, () => (delay < ms ? waitForNext() : void record(change)));
  };
  const record = async (change: ClockChange) => {
    if (stopped) return;
    // not yet by the subgraph's clock, though its time has passed (a clock that does not run)
    if (now() < change.at) return later(RETRY_MS, waitForNext);
    try {
      await replica.publish(kind, change.records);
      logger.info({ kind, records: change.records, version: replica.version }, "the clock moved");
      waitForNext();
    } catch (error) {
      logger.warn({ err: error, kind }, "could not record the clock's change; trying again");
      later(RETRY_MS, () => void record(change));
    }
  };
  waitForNext();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
