// Months as the dashboard sees them, in Hai Phong time: the latest due, today, the plan's months.
// Copies of the web application's format.ts, which brings its i18n.tsx (not compiled by scripts/).
import { monthBefore } from "../../../gateway/web/src/agency-subgraph.js";

/** As the web application's format.ts: the latest month whose reports were due, today in Hai Phong. */
export function latestDueMonth(now = new Date()): string {
  const local = new Date(now.getTime() + 7 * 3600 * 1000);
  const back = local.getUTCDate() > 10 ? 1 : 2;
  const month = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - back, 1));
  return `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
}
export const todayInHaiPhong = (now = new Date()) =>
  new Date(now.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
/** The months from the plan's first to `last`, oldest first. */
export function monthsUpTo(last: string): string[] {
  const months: string[] = [];
  for (let period = last; period >= "2026-01"; period = monthBefore(period)) months.unshift(period);
  return months;
}
