// Numbers, months and dates in the reader's language: Vietnamese writes 1.234,5 and 27/11/2026.
import type { I18n } from "./i18n.js";

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
    numberFormats.set(key, format);
  }
  return format;
}

/** A number with at most `digits` decimals, or a dash for none. */
export function formatNumber(i18n: I18n, value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return numberFormat(i18n.locale, digits).format(value);
}

/** A figure with its unit of measure where the unit is a percentage. */
export function formatFigure(
  i18n: I18n,
  value: number | null | undefined,
  unit: string | null | undefined,
  met?: boolean | null,
): string {
  if ((value === null || value === undefined) && met !== null && met !== undefined) {
    return met ? i18n.t("met") : i18n.t("notMet");
  }
  const text = formatNumber(i18n, value);
  return text !== "–" && unit === "%" ? `${text}%` : text;
}

/** A pace ratio as a percentage of the required pace. */
export const formatPace = (i18n: I18n, ratio: number | null | undefined) =>
  ratio === null || ratio === undefined ? "–" : `${formatNumber(i18n, ratio * 100, 0)}%`;

/** A month, YYYY-MM: "10/2026" (Vietnamese "tháng" is in the labels around it). */
export function formatPeriod(i18n: I18n, period: string | null | undefined): string {
  if (!period) return "–";
  const [year, month] = period.split("-");
  if (!month) return period;
  if (i18n.language === "vi") return `${Number(month)}/${year}`;
  return new Date(Date.UTC(Number(year), Number(month) - 1, 1)).toLocaleDateString("en-GB", {
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** A day, YYYY-MM-DD, as dd/mm/yyyy (both languages: the city's documents write it so). */
export function formatDay(day: string | null | undefined): string {
  if (!day) return "–";
  const [year, month, date] = day.slice(0, 10).split("-");
  return `${date}/${month}/${year}`;
}

/** An instant, in Hai Phong time: dd/mm/yyyy hh:mm. */
export function formatInstant(i18n: I18n, iso: string | null | undefined): string {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(i18n.locale, {
    timeZone: "Asia/Ho_Chi_Minh",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

export { latestDueMonth } from "./due-months.js";

/** Today in Hai Phong, YYYY-MM-DD. */
export const todayInHaiPhong = (now = new Date()) =>
  new Date(now.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);

/** Every month from the plan's first (January 2026) to the given one, newest first. */
export function monthsUpTo(last: string): string[] {
  const months: string[] = [];
  let [year, month] = [2026, 1];
  for (;;) {
    const period = `${year}-${String(month).padStart(2, "0")}`;
    if (period > last) return months.reverse();
    months.push(period);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}
