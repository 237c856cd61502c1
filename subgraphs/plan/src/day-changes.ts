// The plan's answers as of today change when the day does, with no write: an explanation request
// not answered by its day turns OVERDUE, a task's standing is judged as of today. So each midnight in
// Hai Phong is recorded as a change (the kit's clock-changes.ts), reaching every month: nothing the
// plan kept from yesterday is given today.
import { clockChangeModel, type ClockChange } from "@p06/subgraph-kit";
import { todayInVietnam } from "./review.js";

export const DAY_CHANGE = "day.begun";

export const dayChangeModel = clockChangeModel(DAY_CHANGE, false);

/** The next midnight in Hai Phong (UTC+7) after `now`, and the day it begins. */
export function nextDayChange(now: Date): ClockChange {
  const today = todayInVietnam(now);
  const at = new Date(Date.parse(`${today}T00:00:00+07:00`) + 24 * 3_600_000);
  return { at, records: [{ day: todayInVietnam(at) }] };
}
