// When reminders go out: a month's figures are due by the end of the 10th of the next month, Hai
// Phong time (UTC+7). Each month has three occasions, all in the next month, each opening at 08:00:
// DUE a few days before the 10th, LATE on the 11th, ESCALATION (to the IOC) some days after the 10th.
export type Occasion = "DUE" | "LATE" | "ESCALATION";

export const OCCASIONS: readonly Occasion[] = ["DUE", "LATE", "ESCALATION"];

export interface ReminderCalendar {
  /** Days before the 10th the DUE digest goes out (3: the 7th). */
  daysBefore: number;
  /** Days after the 10th the ESCALATION goes out (5: the 15th). */
  escalationDays: number;
}

export const DEFAULT_CALENDAR: ReminderCalendar = { daysBefore: 3, escalationDays: 5 };

const HAI_PHONG_OFFSET_HOURS = 7;
/** Occasions open at the start of the working day, not at midnight. */
export const OPENING_HOUR = 8;

/** The day of the next month an occasion of a month falls on. */
export function occasionDay(occasion: Occasion, calendar: ReminderCalendar): number {
  if (occasion === "DUE") return 10 - calendar.daysBefore;
  if (occasion === "LATE") return 11;
  return 10 + calendar.escalationDays;
}

/** When an occasion of a reporting month opens: 08:00 Hai Phong time on its day of the next month. */
export function occasionOpens(
  period: string,
  occasion: Occasion,
  calendar: ReminderCalendar,
): Date {
  const [year, month] = period.split("-").map(Number) as [number, number];
  // month is 1-based: as a 0-based index it is already the next month
  return new Date(
    Date.UTC(year, month, occasionDay(occasion, calendar), OPENING_HOUR - HAI_PHONG_OFFSET_HOURS),
  );
}

/** The reporting month whose occasions fall in the Hai Phong month of `at`: the month before it. */
export function cycleAt(at: Date): string {
  const local = new Date(at.getTime() + HAI_PHONG_OFFSET_HOURS * 3_600_000);
  const index = local.getUTCFullYear() * 12 + local.getUTCMonth() - 1;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export interface DueOccasion {
  period: string;
  occasion: Occasion;
  opensAt: Date;
}

/**
 * The occasion to send at `at`: the latest of the month's cycle that has opened. An earlier one not
 * sent by then is superseded, never sent late (after a stop over the 11th, the LATE digest goes out,
 * not a DUE digest that says "due by the 10th"). Before the cycle's first occasion, none.
 */
export function occasionDue(at: Date, calendar: ReminderCalendar): DueOccasion | null {
  const period = cycleAt(at);
  for (const occasion of [...OCCASIONS].reverse()) {
    const opensAt = occasionOpens(period, occasion, calendar);
    if (opensAt.getTime() <= at.getTime()) return { period, occasion, opensAt };
  }
  return null;
}

/** A Hai Phong date as Vietnamese write it: 10/11/2026. */
export function vietnameseDate(at: Date): string {
  const local = new Date(at.getTime() + HAI_PHONG_OFFSET_HOURS * 3_600_000);
  const day = String(local.getUTCDate()).padStart(2, "0");
  const month = String(local.getUTCMonth() + 1).padStart(2, "0");
  return `${day}/${month}/${local.getUTCFullYear()}`;
}

/** A Hai Phong time of day: 08:00. */
export function vietnameseTime(at: Date): string {
  const local = new Date(at.getTime() + HAI_PHONG_OFFSET_HOURS * 3_600_000);
  return local.toISOString().slice(11, 16);
}

/** A month as Vietnamese write it: tháng 10/2026. */
export function vietnameseMonth(period: string): string {
  return `${Number(period.slice(5))}/${period.slice(0, 4)}`;
}
