// When a month falls due (the end of the 10th of the next month, Vietnam time), what was owed and not
// received turns from DUE to MISSING (month-obligations.ts, commune-month.ts) with no write. So its
// due date passing is recorded as a change (changes/clock-changes.ts), placed at the month that fell
// due: every answer kept anywhere that read that month, or a later one, is no longer fresh.
import { clockChangeModel, type ClockChange } from "../changes/clock-changes.js";
import { dueDate } from "./figures.js";
import { previousPeriod } from "./rules.js";
import { currentPeriod } from "./validate.js";

/** The change a due date passing is recorded as: one record naming the month that fell due. */
export const DUE_CHANGE = "month.due";

export const dueDateModel = clockChangeModel(DUE_CHANGE, true);

/** The next month to fall due after `now`: the last one, until its due date has passed. */
export function nextDue(now: Date): string {
  const last = previousPeriod(currentPeriod(now));
  return dueDate(last) >= now ? last : currentPeriod(now);
}

/** The instant after the next due date, and the month it records. */
export function nextDueChange(now: Date): ClockChange {
  const period = nextDue(now);
  return { at: new Date(dueDate(period).getTime() + 1), records: [{ period }] };
}
