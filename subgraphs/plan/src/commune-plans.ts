// Each commune chairman's implementation plan of the city's plan (section VII.1): issued and sent to
// the City Police before 15 June 2026. What a record must hold, how it counts in a commune's monthly
// score, and the demo data's share of communes that issued theirs.
import { seededRandom, userError } from "@p06/subgraph-kit";
import type { CommunePlanDoc } from "./models.js";
import { todayInVietnam } from "./review.js";

/** The city's plan 208/KH-UBND is dated 9 June 2026: a commune's plan implements it, so follows it. */
export const CITY_PLAN_DATE = "2026-06-09";
/** Section VII.1: sent "trước ngày 15/6/2026", before 15 June 2026. */
export const COMMUNE_PLAN_DUE = "2026-06-15";
/** Points of a plan issued after the due date (on time earns 100, none by the month's end 0). */
export const LATE_PLAN_POINTS = 50;
const DOCUMENT_NUMBER = { min: 3, max: 60 };

/** The last day of a month YYYY-MM. */
function monthEnd(period: string): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/**
 * The plan's part in a commune's score for a month, as it stood at the month's end: 100 issued before
 * the due date, 50 issued later, 0 still not issued once due; null for a month ending before it was due.
 */
export function communePlanPoints(plan: { issuedOn: string } | null, period: string) {
  const end = monthEnd(period);
  const issued = plan !== null && plan.issuedOn <= end;
  if (issued) return plan.issuedOn < COMMUNE_PLAN_DUE ? 100 : LATE_PLAN_POINTS;
  return end < COMMUNE_PLAN_DUE ? null : 0;
}

/** The day a plan was issued: a real day, not before the city's plan, not after today in Hai Phong. */
export function checkIssuedOn(day: string, today = todayInVietnam()): string {
  const parsed = new Date(`${day}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(day) ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== day
  ) {
    throw userError(`issuedOn "${day}" is not a day written YYYY-MM-DD`, {
      argumentName: "issuedOn",
    });
  }
  if (day > today) {
    throw userError(`issuedOn ${day} is in the future (today in Hai Phong is ${today})`, {
      argumentName: "issuedOn",
    });
  }
  if (day < CITY_PLAN_DATE) {
    throw userError(
      `issuedOn ${day} is before the city's plan 208/KH-UBND (${CITY_PLAN_DATE}) it implements`,
      { argumentName: "issuedOn" },
    );
  }
  return day;
}

/** A document number (số văn bản) as written, e.g. 45/KH-UBND: one line of sane length. */
export function checkDocumentNumber(value: string): string {
  const text = value.trim().replace(/\s+/g, " ");
  if (text.length < DOCUMENT_NUMBER.min || text.length > DOCUMENT_NUMBER.max) {
    throw userError(
      `documentNumber must be ${DOCUMENT_NUMBER.min} to ${DOCUMENT_NUMBER.max} characters (e.g. 45/KH-UBND)`,
      { argumentName: "documentNumber" },
    );
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value.trim())) {
    throw userError("documentNumber must be one line of text", { argumentName: "documentNumber" });
  }
  return text;
}

/**
 * The demo's commune plans: about seven in ten issued before the due date, one in six later (by the
 * end of September), the rest not yet; none dated after now. The same seed gives the same plans.
 */
export function demoCommunePlans(units: string[], seed: number, now: Date): CommunePlanDoc[] {
  const today = todayInVietnam(now);
  const day = (from: string, spanDays: number, draw: number) =>
    new Date(Date.parse(`${from}T00:00:00Z`) + Math.floor(draw * spanDays) * 86_400_000)
      .toISOString()
      .slice(0, 10);
  return units.flatMap((unit) => {
    const rand = seededRandom(seed ^ Number(unit));
    const share = rand();
    const when = rand();
    if (share >= 0.84) return [];
    const issuedOn = share < 0.68 ? day(CITY_PLAN_DATE, 6, when) : day(COMMUNE_PLAN_DUE, 108, when);
    if (issuedOn > today) return [];
    return [
      {
        _id: `demo:${unit}`,
        unit,
        issuedOn,
        documentNumber: `${10 + Math.floor(rand() * 190)}/KH-UBND`,
        recordedBy: "IOC",
        person: null,
        recordedAt: new Date(`${issuedOn}T09:00:00+07:00`),
      },
    ];
  });
}
