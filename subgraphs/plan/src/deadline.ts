// Parses Appendix II's timing cells ("Thời gian thực hiện") into a deadline kind and a last day.
export type DeadlineKind =
  "DATE" | "MONTH" | "QUARTER" | "ONGOING" | "CONDITIONAL" | "ROADMAP" | "MILESTONES";

export interface Deadline {
  kind: DeadlineKind;
  /** The last day the timing covers, as an ISO date; null where it has none. */
  date: string | null;
  /** For MILESTONES, the last day of each milestone year. */
  milestones: string[];
}

const ROMAN_QUARTER: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function lastDayOfMonth(year: number, month: number): string {
  return isoDate(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate());
}

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** Throws on a timing the plan's vocabulary does not cover, so a new phrasing is never misread. */
export function parseDeadline(timingVi: string): Deadline {
  const text = timingVi.trim();
  const lower = text.toLowerCase();
  const none = (kind: DeadlineKind): Deadline => ({ kind, date: null, milestones: [] });

  // "Hoàn thành trước (ngày) 31/12/2026": a day
  const day = /^hoàn thành trước(?: ngày)? (\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(lower);
  if (day) {
    const [d, m, y] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (!validDate(y, m, d)) throw new Error(`invalid date in timing "${text}"`);
    return { kind: "DATE", date: isoDate(y, m, d), milestones: [] };
  }
  // "Tháng 12/2026", possibly followed by "và theo lộ trình/hướng dẫn ...": the month is the deadline
  const month = /^tháng (\d{1,2})\/(\d{4})(?:$| và theo )/.exec(lower);
  if (month) {
    const [m, y] = [Number(month[1]), Number(month[2])];
    if (m < 1 || m > 12) throw new Error(`invalid month in timing "${text}"`);
    return { kind: "MONTH", date: lastDayOfMonth(y, m), milestones: [] };
  }
  // "Hoàn thành trong Quý I/2027"
  const quarter = /quý (i{1,3}|iv)\/(\d{4})$/.exec(lower);
  if (quarter) {
    const q = ROMAN_QUARTER[quarter[1]!.toUpperCase()]!;
    return { kind: "QUARTER", date: lastDayOfMonth(Number(quarter[2]), q * 3), milestones: [] };
  }
  // "Đánh giá theo các mốc năm 2027, 2030"
  if (lower.startsWith("đánh giá theo các mốc năm")) {
    const years = [...lower.matchAll(/\d{4}/g)].map((m) => Number(m[0])).sort();
    if (years.length === 0) throw new Error(`no milestone years in timing "${text}"`);
    const milestones = years.map((y) => isoDate(y, 12, 31));
    return { kind: "MILESTONES", date: milestones.at(-1)!, milestones };
  }
  // "Thực hiện thường xuyên", optionally "(hoàn thành việc kết nối trong năm 2026)"
  if (lower.startsWith("thực hiện thường xuyên")) {
    const within = /trong năm (\d{4})/.exec(lower);
    return {
      kind: "ONGOING",
      date: within ? isoDate(Number(within[1]), 12, 31) : null,
      milestones: [],
    };
  }
  if (lower.startsWith("sau khi") || lower.startsWith("khi có yêu cầu")) return none("CONDITIONAL");
  if (lower.startsWith("theo lộ trình") || lower.startsWith("theo tiến độ")) return none("ROADMAP");
  throw new Error(`unrecognised timing "${text}"`);
}
