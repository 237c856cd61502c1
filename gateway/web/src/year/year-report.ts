// The year's report (Vietnamese): the agencies ranked by their yearly results, the proposal for
// commendation (the best, with their numbers) and for accountability (the persistently late or
// behind, with the months and indicators), as the City Police compile it under section VI of the
// plan. Laid out by the monthly report's DOCX and XLSX writers (gateway/web/src/report/); one builder
// for the page's download and `npm run report:year`.
import type { WebYearReviewQuery } from "../graphql/generated/graphql.js";
import { monthVi, numberVi, type Cell, type MonthReport } from "../report/month-report.js";
import {
  monthsOf,
  ON_TIME_SHARE,
  PERSISTENT_MONTHS,
  yearResults,
  type MonthMark,
  type YearResults,
} from "./year-results.js";

/** bao-cao-nam-2026 */
export const yearReportFileName = (year: number) => `bao-cao-nam-${year}`;

const percent = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
const marks = (months: MonthMark[]) =>
  months.map((m) => `${monthVi(m.period)}: ${m.indicators.join(", ")}`).join("; ");

/** Whether any month's figures are demo data. */
export const isDemoYear = (answer: WebYearReviewQuery) =>
  monthsOf(answer).some((month) =>
    [month.identity, month.procedures, month.health, month.education, month.socialSecurity].some(
      (figures) => figures?.demo,
    ),
  );

export function buildYearReport(
  year: number,
  answer: WebYearReviewQuery,
  options: { generatedAt: string },
): { report: MonthReport; results: YearResults } {
  const results = yearResults(year, answer);
  const demo = isDemoYear(answer);
  const { periods, agencies, commendation, accountability, communes } = results;
  const communeRow = (c: (typeof communes)[number]): Cell[] => [
    c.rank,
    c.name,
    c.score,
    c.indicators,
    c.tasks,
    c.reporting,
    c.monthsScored,
    percent(c.onTime, c.expected),
    c.lateMonths.length,
  ];
  const COMMUNE_HEADERS = [
    "Hạng",
    "Xã, phường, đặc khu",
    "Điểm năm",
    "Chỉ tiêu",
    "Nhiệm vụ (kế hoạch)",
    "Báo cáo",
    "Số tháng có điểm",
    "Đúng hạn (%)",
    "Tháng nộp chậm",
  ];
  const COMMUNE_WIDTHS = [5, 30, 8, 8, 9, 8, 8, 8, 8];
  const communeAccountabilityRows: Cell[][] = results.communeAccountability.map((c) => [
    c.name,
    c.score,
    c.lateMonths.length >= PERSISTENT_MONTHS
      ? `${c.lateMonths.length} tháng: ${c.lateMonths.map(monthVi).join(", ")}`
      : "",
    c.planMissing ? "Chưa ban hành kế hoạch thực hiện" : "",
  ]);
  const span = periods.length
    ? `từ tháng ${monthVi(periods[0]!)} đến hết tháng ${monthVi(periods.at(-1)!)}`
    : "chưa có tháng nào";

  const rankRows: Cell[][] = agencies.map((a) => [
    a.rank,
    a.nameVi,
    a.score,
    a.indicators,
    a.tasks,
    a.reporting,
    a.monthsScored,
    percent(a.received, a.expected),
    percent(a.onTime, a.expected),
    a.lateMonths.length,
    a.overdueTasks.length,
  ]);
  const commendationRows: Cell[][] = commendation.map((a) => [
    a.rank,
    a.nameVi,
    a.score,
    `Chỉ tiêu ${numberVi(a.indicators)}; nhiệm vụ ${numberVi(a.tasks)}; báo cáo ${numberVi(a.reporting)}; nộp đúng hạn ${numberVi(percent(a.onTime, a.expected))}% số liệu`,
  ]);
  const accountabilityRows: Cell[][] = accountability.map(
    ({ agency, persistentlyLate, persistentlyBehind }) => [
      agency.nameVi,
      agency.score,
      persistentlyLate ? `${agency.lateMonths.length} tháng: ${marks(agency.lateMonths)}` : "",
      persistentlyBehind
        .map((b) => `${b.indicator} (${b.periods.map(monthVi).join(", ")})`)
        .join("; "),
    ],
  );

  const report: MonthReport = {
    year,
    period: String(year),
    asOf: periods.at(-1) ?? String(year),
    generatedAt: options.generatedAt,
    demo: demo,
    heading: ["ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06"],
    title: `BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06 NĂM ${year}`,
    lines: [
      "Theo Kế hoạch số 208/KH-UBND ngày 09/6/2026 của Ủy ban nhân dân thành phố Hải Phòng (mục VI)",
      `Kết quả năm từ điểm tháng của các cơ quan, ${span}.`,
      ...(demo ? ["DỮ LIỆU MẪU: số liệu sinh tự động, không phải số liệu báo cáo thật."] : []),
    ],
    summary: [
      `${agencies.length} cơ quan có chỉ tiêu hoặc nhiệm vụ; ${agencies.filter((a) => a.score !== null).length} cơ quan có điểm.`,
      commendation.length
        ? `Đề xuất khen thưởng: ${commendation.map((a) => `${a.nameVi} (${numberVi(a.score)} điểm)`).join("; ")}.`
        : "Chưa có cơ quan đủ điều kiện đề xuất khen thưởng.",
      accountability.length
        ? `Đề xuất xem xét trách nhiệm: ${accountability.map((a) => a.agency.nameVi).join("; ")}.`
        : "Không có cơ quan chậm hoặc chưa đạt kéo dài.",
      `${communes.length} xã, phường, đặc khu; đề xuất khen thưởng: ${results.communeCommendation.map((c) => `${c.name} (${numberVi(c.score)} điểm)`).join("; ") || "chưa có"}; đề xuất xem xét trách nhiệm: ${results.communeAccountability.length} đơn vị.`,
    ],
    tables: [
      {
        id: "year-ranking",
        heading: `I. XẾP HẠNG CƠ QUAN NĂM ${year}`,
        note: "Điểm năm là trung bình điểm các tháng (0-100: 40% chỉ tiêu, 30% nhiệm vụ, 30% báo cáo); cơ quan chưa có điểm xếp cuối.",
        sheet: "Xếp hạng năm",
        headers: [
          "Hạng",
          "Cơ quan",
          "Điểm năm",
          "Chỉ tiêu",
          "Nhiệm vụ",
          "Báo cáo",
          "Số tháng có điểm",
          "Đầy đủ (%)",
          "Đúng hạn (%)",
          "Tháng nộp chậm",
          "Nhiệm vụ quá hạn",
        ],
        widths: [5, 28, 7, 7, 7, 7, 7, 7, 7, 7, 7],
        rows: rankRows,
        empty: "Chưa có cơ quan nào có điểm.",
      },
      {
        id: "commendation",
        heading: "II. ĐỀ XUẤT KHEN THƯỞNG",
        note: "Các cơ quan có điểm năm cao nhất, có điểm ít nhất một nửa số tháng, không thuộc diện xem xét trách nhiệm.",
        sheet: "Khen thưởng",
        headers: ["Hạng", "Cơ quan", "Điểm năm", "Kết quả"],
        widths: [5, 30, 8, 57],
        rows: commendationRows,
        empty: "Chưa có cơ quan đủ điều kiện.",
      },
      {
        id: "accountability",
        heading: "III. ĐỀ XUẤT XEM XÉT TRÁCH NHIỆM",
        note: `Cơ quan có từ ${PERSISTENT_MONTHS} tháng trở lên nộp đúng hạn dưới ${ON_TIME_SHARE * 100}% số liệu, hoặc có chỉ tiêu đang xấu đi hoặc chưa đạt từ ${PERSISTENT_MONTHS} tháng trở lên; kèm các tháng và chỉ tiêu.`,
        sheet: "Trách nhiệm",
        headers: [
          "Cơ quan",
          "Điểm năm",
          "Báo cáo chậm/thiếu (tháng: chỉ tiêu)",
          "Chỉ tiêu chậm tiến độ (tháng)",
        ],
        widths: [20, 7, 37, 36],
        rows: accountabilityRows,
        empty: "Không có cơ quan chậm hoặc chưa đạt kéo dài.",
      },
      {
        id: "commune-ranking",
        heading: `IV. XẾP HẠNG XÃ, PHƯỜNG, ĐẶC KHU NĂM ${year}`,
        note: "Điểm năm là trung bình điểm các tháng của xã (40% kết quả chỉ tiêu, 30% nhiệm vụ: kế hoạch thực hiện của xã, 30% báo cáo); đơn vị chưa có điểm xếp cuối.",
        sheet: "Xếp hạng xã",
        headers: COMMUNE_HEADERS,
        widths: COMMUNE_WIDTHS,
        rows: communes.map(communeRow),
        empty: "Chưa có xã, phường nào có điểm.",
      },
      {
        id: "commune-commendation",
        heading: "V. ĐỀ XUẤT KHEN THƯỞNG XÃ, PHƯỜNG, ĐẶC KHU",
        note: "Các đơn vị có điểm năm cao nhất, có điểm ít nhất một nửa số tháng, không thuộc diện xem xét trách nhiệm.",
        sheet: "Khen thưởng xã",
        headers: COMMUNE_HEADERS,
        widths: COMMUNE_WIDTHS,
        rows: results.communeCommendation.map(communeRow),
        empty: "Chưa có đơn vị đủ điều kiện.",
      },
      {
        id: "commune-accountability",
        heading: "VI. ĐỀ XUẤT XEM XÉT TRÁCH NHIỆM XÃ, PHƯỜNG, ĐẶC KHU",
        note: `Đơn vị có từ ${PERSISTENT_MONTHS} tháng trở lên nộp đúng hạn dưới ${ON_TIME_SHARE * 100}% số liệu, hoặc chưa ban hành kế hoạch thực hiện của xã (mục VII.1).`,
        sheet: "Trách nhiệm xã",
        headers: ["Xã, phường, đặc khu", "Điểm năm", "Báo cáo chậm (tháng)", "Kế hoạch thực hiện"],
        widths: [30, 8, 40, 22],
        rows: communeAccountabilityRows,
        empty: "Không có đơn vị chậm kéo dài.",
      },
    ],
  };
  return { report, results };
}
