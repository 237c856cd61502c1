// The reporting calendar the pages and the commands share (no React: a command imports it too).

/** The month whose reports are the latest due: last month from the 11th (Hai Phong time), else the one before. */
export function latestDueMonth(now = new Date()): string {
  const local = new Date(now.getTime() + 7 * 3600 * 1000);
  const back = local.getUTCDate() > 10 ? 1 : 2;
  const month = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - back, 1));
  return `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
}
