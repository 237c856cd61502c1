// A digest: one message per agency per occasion listing every figure it still owes for the month,
// grouped by indicator, in Vietnamese (the agencies' language) with a line of English at the end.
import {
  occasionOpens,
  vietnameseDate,
  vietnameseMonth,
  vietnameseTime,
  type Occasion,
  type ReminderCalendar,
} from "./calendar.js";
import type { AgencyOwed, Names, OwedFigure } from "./owed.js";

/** Who receives digests: each agency's addresses, and the IOC's for escalations. */
export type Addresses = Map<string, string[]>;

export const IOC = "IOC";

export interface Digest {
  /** agency|period|occasion: one digest each, ever. */
  key: string;
  agency: string;
  period: string;
  occasion: Occasion;
  /** When its occasion opened (08:00 Hai Phong time on its day). */
  opensAt: Date;
  /** When the month's figures were due. */
  dueAt: Date;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** Figures expected of the agency for the month. */
  expected: number;
  /** The figures it still owed when the digest was made, by indicator then unit. */
  outstanding: OwedFigure[];
}

export const digestKey = (agency: string, period: string, occasion: Occasion) =>
  `${agency}|${period}|${occasion}`;

/** The figures owed, by indicator: each indicator's title and its units, code and name. */
function listOwed(outstanding: OwedFigure[], names: Names): string {
  const byIndicator = new Map<string, string[]>();
  for (const { indicator, unit } of outstanding) {
    const units = byIndicator.get(indicator) ?? [];
    units.push(unit);
    byIndicator.set(indicator, units);
  }
  return [...byIndicator]
    .map(([indicator, units]) =>
      [
        `${indicator} ${names.indicators.get(indicator) ?? ""}`.trimEnd() +
          ` (${units.length} đơn vị):`,
        ...units.map((unit) => `  - ${unit} ${names.units.get(unit) ?? ""}`.trimEnd()),
      ].join("\n"),
    )
    .join("\n\n");
}

/**
 * The digest of an occasion for an agency, as of `at`, or null when it owes nothing. Who it goes to:
 * DUE and LATE to the agency; ESCALATION to the IOC, the agency in copy. An agency (or, for an
 * escalation, the IOC) without addresses gets none: `unaddressed` says so.
 */
export function composeDigest(
  owed: AgencyOwed,
  period: string,
  occasion: Occasion,
  at: Date,
  context: { names: Names; addresses: Addresses; calendar: ReminderCalendar },
): { digest: Digest | null; unaddressed: boolean } {
  if (owed.outstanding.length === 0) return { digest: null, unaddressed: false };
  const { names, addresses, calendar } = context;
  const own = addresses.get(owed.agency) ?? [];
  const to = occasion === "ESCALATION" ? (addresses.get(IOC) ?? []) : own;
  if (to.length === 0) return { digest: null, unaddressed: true };
  const cc = occasion === "ESCALATION" ? own : [];
  const name = names.agencies.get(owed.agency) ?? owed.agency;
  const month = vietnameseMonth(period);
  const due = vietnameseDate(owed.dueAt);
  const count = owed.outstanding.length;
  const asOf = `${vietnameseTime(at)} ngày ${vietnameseDate(at)}`;
  const subject = {
    DUE: `[Đề án 06] ${name}: ${count} số liệu tháng ${month} đến hạn báo cáo ngày ${due}`,
    LATE: `[Đề án 06] ${name}: ${count} số liệu tháng ${month} quá hạn báo cáo (hạn ${due})`,
    ESCALATION: `[Đề án 06] Báo cáo IOC: ${name} còn thiếu ${count} số liệu tháng ${month}, quá hạn ${calendar.escalationDays} ngày`,
  }[occasion];
  const greeting =
    occasion === "ESCALATION"
      ? `Kính gửi Trung tâm điều hành thông minh (IOC),`
      : `Kính gửi ${name} (${owed.agency}),`;
  const lead = {
    DUE: `Số liệu tháng ${month} của Đề án 06 phải báo cáo trước hết ngày ${due} (giờ Hải Phòng). Đến ${asOf}, còn ${count}/${owed.expected} số liệu chưa nhận được:`,
    LATE: `Hạn báo cáo số liệu tháng ${month} của Đề án 06 là hết ngày ${due} (giờ Hải Phòng). Đến ${asOf}, còn ${count}/${owed.expected} số liệu chưa nhận được, đã quá hạn:`,
    ESCALATION: `${name} (${owed.agency}) chưa báo cáo đủ số liệu tháng ${month} của Đề án 06, hạn hết ngày ${due}. Đến ${asOf}, ${calendar.escalationDays} ngày sau hạn, còn thiếu ${count}/${owed.expected} số liệu:`,
  }[occasion];
  const english = {
    DUE: `${count} of ${owed.expected} figures for ${period} are due by the end of ${owed.dueAt.toISOString().slice(0, 10)} (Hai Phong time).`,
    LATE: `${count} of ${owed.expected} figures for ${period} were not received by their due date.`,
    ESCALATION: `${owed.agency} still owes ${count} of ${owed.expected} figures for ${period}, ${calendar.escalationDays} days after their due date.`,
  }[occasion];
  const text = [
    greeting,
    "",
    lead,
    "",
    listOwed(owed.outstanding, names),
    "",
    occasion === "ESCALATION"
      ? `Đề nghị IOC đôn đốc ${name} báo cáo số liệu còn thiếu.`
      : `Đề nghị đơn vị nhập số liệu trên trang của đơn vị trong hệ thống theo dõi Đề án 06.`,
    "",
    `Thư tự động của hệ thống theo dõi Đề án 06 (Kế hoạch 208/KH-UBND): mỗi đơn vị nhận một thư cho mỗi đợt nhắc.`,
    `Project 06 progress graph: ${english}`,
    "",
  ].join("\n");
  return {
    digest: {
      key: digestKey(owed.agency, period, occasion),
      agency: owed.agency,
      period,
      occasion,
      opensAt: occasionOpens(period, occasion, calendar),
      dueAt: owed.dueAt,
      to,
      cc,
      subject,
      text,
      expected: owed.expected,
      outstanding: owed.outstanding,
    },
    unaddressed: false,
  };
}
