// The city's monthly report (section VII.2 of the plan: every agency reports on the 10th, the City
// Police compile it): what it says, in Vietnamese, worked out from the graph's answers. The Appendix I
// table, the Appendix II tasks (overdue first), who has not reported the month or reported late, the
// agencies ranked by their monthly score, the explanation requests not yet answered, and the communes:
// the top and bottom of their league table with their move, and those missing or late. One builder
// for the IOC's download (in the browser) and `npm run report:month` (in Node): both ask the gateway
// the same two operations and hand the answers here; docx.ts and xlsx.ts only lay the result out.
import type {
  ProgressStatus,
  TaskStatus,
  WebMonthReportQuery,
  WebMonthReportQueryVariables,
} from "../graphql/generated/graphql.js";
import { STATUS_ORDER, STATUSES } from "../status-labels.js";
import { leagueTrend, monthsOf, topAndBottom } from "./commune-league.js";

export type Cell = string | number | null;

export interface ReportTable {
  id: string;
  /** The section's heading (numbered, as an official report is). */
  heading: string;
  /** A line under the heading: what the table holds and how it is ordered. */
  note: string;
  /** The XLSX sheet's name (at most 31 characters). */
  sheet: string;
  headers: string[];
  /** Relative column widths (the DOCX table, the XLSX columns). */
  widths: number[];
  rows: Cell[][];
  /** Shown when there are no rows. */
  empty: string;
}

export interface MonthReport {
  year: number;
  period: string;
  /** The day tasks and explanation requests are counted as of, YYYY-MM-DD. */
  asOf: string;
  generatedAt: string;
  demo: boolean;
  /** The heading lines, then the summary paragraphs. */
  heading: string[];
  title: string;
  lines: string[];
  summary: string[];
  tables: ReportTable[];
}

export type AgencyLine = WebMonthReportQuery["review"]["agencyScorecards"][number];

/** How the builder asks the gateway: the caller sends the operations (browser or Node). */
export interface ReportQueries {
  month(variables: WebMonthReportQueryVariables): Promise<WebMonthReportQuery>;
}

export interface ReportOptions {
  period: string;
  /** The target year the statuses are assessed against: by default the month's own, or 2030 after 2026. */
  year?: number;
  /** By default today in Hai Phong. */
  asOf?: string;
  /** Progress lines (the command prints them). */
  log?: (line: string) => void;
}

const TASK_STATUS_VI: Record<TaskStatus, string> = {
  NOT_STARTED: "Chưa bắt đầu",
  IN_PROGRESS: "Đang thực hiện",
  DONE: "Đã hoàn thành",
};
const EXPLANATION_STATUS_VI = { OPEN: "Đang mở", OVERDUE: "Quá hạn", ANSWERED: "Đã trả lời" };
/** Units named in a row of the reporting table; the rest counted. */
const UNITS_NAMED = 8;
/** Communes at the top and at the bottom of the league table in the report. */
const LEAGUE_ENDS = 10;

export const isPeriod = (period: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(period);

/** The plan's target year a month is assessed against: 2026 through December 2026, then 2030. */
export const targetYearOf = (period: string) => (Number(period.slice(0, 4)) <= 2026 ? 2026 : 2030);

/** Today in Hai Phong (UTC+7), YYYY-MM-DD. */
export const todayInHaiPhong = (now = new Date()) =>
  new Date(now.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);

/** 10/2026. */
export const monthVi = (period: string) => `${Number(period.slice(5, 7))}/${period.slice(0, 4)}`;
/** 31/12/2026. */
export const dayVi = (day: string | null | undefined) =>
  day ? `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}` : "–";

const numberFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
/** A number as the report writes it (66,67); a dash for none. */
export const numberVi = (value: number | null | undefined) =>
  value === null || value === undefined || Number.isNaN(value) ? "–" : numberFormat.format(value);

/** The file's name without extension: bao-cao-thang-2026-10. */
export const reportFileName = (period: string) => `bao-cao-thang-${period}`;

/** Asks the graph for everything the report needs, in one request. */
export async function loadMonthReport(
  queries: ReportQueries,
  options: ReportOptions,
): Promise<MonthReport> {
  const { period } = options;
  if (!isPeriod(period)) throw new Error(`the month must be YYYY-MM, got "${period}"`);
  const year = options.year ?? targetYearOf(period);
  const asOf = options.asOf ?? todayInHaiPhong();
  const log = options.log ?? (() => {});
  const month = await queries.month({ year, period, asOf });
  log(
    `read the scorecard (${month.review.scorecard.indicators.length} indicators), ${month.tasks.length} tasks, ${month.review.lateReporting.length} late or missing units, ${month.explanationRequests.length} explanation requests`,
  );
  const lines = month.review.agencyScorecards;
  log(`read ${lines.length} agencies' scores`);
  return buildMonthReport(month, lines, { asOf, generatedAt: new Date().toISOString() });
}

/** The report's content from the graph's answers (no requests: the tests and both writers use it). */
export function buildMonthReport(
  month: WebMonthReportQuery,
  agencyLines: AgencyLine[],
  options: { asOf: string; generatedAt: string },
): MonthReport {
  const { review } = month;
  const { year, period } = review;
  const names = new Map(month.agencies.map((a) => [a.code, a.nameVi]));
  const nameOf = (code: string) => names.get(code) ?? code;
  const demo = [
    review.identity,
    review.procedures,
    review.health,
    review.education,
    review.socialSecurity,
  ].some((figures) => figures?.demo);

  // Appendix I: every indicator in the plan's order
  const indicators = review.scorecard.indicators;
  const indicatorRows: Cell[][] = indicators.map(({ indicator, progress }) => [
    indicator.code,
    indicator.titleVi,
    indicator.unit ?? "",
    indicator.target2026?.raw ?? null,
    indicator.target2030?.raw ?? null,
    progress.latest
      ? (progress.latest.value ??
        (progress.latest.met === null ? null : progress.latest.met ? "Đạt" : "Chưa đạt"))
      : null,
    progress.latest ? monthVi(progress.latest.period) : null,
    STATUSES[progress.status].vi,
    indicator.trackingAgencies.map((a) => nameOf(a.code)).join("; "),
  ]);

  // Appendix II: overdue first (the longest overdue first), then the rest in the plan's order
  const tasks = [...month.tasks].sort((a, b) =>
    a.overdue !== b.overdue
      ? a.overdue
        ? -1
        : 1
      : a.overdue
        ? (a.deadline.date ?? "").localeCompare(b.deadline.date ?? "")
        : 0,
  );
  const taskRows: Cell[][] = tasks.map((task) => [
    task.code,
    task.titleVi,
    task.leadAgencies.map((a) => nameOf(a.code)).join("; "),
    task.timingVi,
    dayVi(task.deadline.date),
    TASK_STATUS_VI[task.status],
    task.overdue ? "Quá hạn" : "",
  ]);
  const overdueTasks = month.tasks.filter((t) => t.overdue).length;
  const tasksByStatus = (status: TaskStatus) =>
    month.tasks.filter((t) => t.status === status).length;

  // who has not reported the month, or reported late
  const unitsOf = (agency: string, kind: "missing" | "late") =>
    review.lateReporting
      .filter((entry) => entry.agency.code === agency && entry[kind].length > 0)
      .map((entry) => entry.unit.name);
  const named = (units: string[]) =>
    units.length <= UNITS_NAMED
      ? units.join("; ")
      : `${units.slice(0, UNITS_NAMED).join("; ")} và ${units.length - UNITS_NAMED} đơn vị khác`;
  const reporting = agencyLines
    .filter((line) => line.reporting.expected > 0)
    .map((line) => ({
      code: line.agency.code,
      ...line.reporting,
      late: line.reporting.received - line.reporting.onTime,
      missing: line.reporting.expected - line.reporting.received,
    }))
    .sort(
      (a, b) =>
        b.missing - a.missing ||
        b.late - a.late ||
        nameOf(a.code).localeCompare(nameOf(b.code), "vi"),
    );
  const reportingRows: Cell[][] = reporting.map((r) => [
    nameOf(r.code),
    r.expected,
    r.received,
    r.onTime,
    r.late,
    r.missing,
    r.completeness,
    r.timeliness,
    named(unitsOf(r.code, "missing")),
    named(unitsOf(r.code, "late")),
  ]);
  const behind = reporting.filter((r) => r.missing > 0 || r.late > 0);

  // agencies ranked by their monthly score (ties share a rank); those with no score part left out
  const ranked = agencyLines
    .filter((line) => line.score.total !== null)
    .sort(
      (a, b) =>
        b.score.total! - a.score.total! ||
        nameOf(a.agency.code).localeCompare(nameOf(b.agency.code), "vi"),
    );
  const scoreRows: Cell[][] = ranked.map((line) => [
    ranked.findIndex((other) => other.score.total === line.score.total) + 1,
    nameOf(line.agency.code),
    line.score.total,
    line.score.indicators,
    line.score.tasks,
    line.score.reporting,
    line.tasks.overdue.length,
  ]);

  // explanation requests not answered yet: overdue first, then by due date
  const waiting = month.explanationRequests
    .filter((r) => r.status !== "ANSWERED")
    .sort(
      (a, b) =>
        Number(b.status === "OVERDUE") - Number(a.status === "OVERDUE") ||
        a.dueDate.localeCompare(b.dueDate),
    );
  const explanationRows: Cell[][] = waiting.map((r) => [
    nameOf(r.agency.code),
    `${r.subject === "INDICATOR" ? "Chỉ tiêu" : "Nhiệm vụ"} ${r.code}`,
    r.question,
    dayVi(r.askedAt.slice(0, 10)),
    dayVi(r.dueDate),
    EXPLANATION_STATUS_VI[r.status],
  ]);
  const explanationCount = (status: keyof typeof EXPLANATION_STATUS_VI) =>
    month.explanationRequests.filter((r) => r.status === status).length;

  // the communes: the top and bottom of their league table, with their move, then those missing or late
  const communes = new Map(review.communes.map((c) => [c.unit.code, c]));
  const league = leagueTrend(review);
  const { top, bottom } = topAndBottom(league, LEAGUE_ENDS);
  const leagueMonths = monthsOf(review).map((m) => monthVi(m.period));
  const leagueRows: Cell[][] = [...top, ...bottom].map((row) => {
    const commune = communes.get(row.code)!;
    return [
      row.rank,
      commune.unit.name,
      row.score,
      commune.monthlyScore.indicators,
      commune.monthlyScore.tasks,
      commune.monthlyScore.reporting,
      row.months.map((m) => m.rank ?? "–").join(" → "),
      row.change === null ? null : row.change,
    ];
  });
  const lateCommunes = review.communes
    .filter((c) => c.reporting.missing.length > 0 || c.reporting.late.length > 0)
    .sort(
      (a, b) =>
        b.reporting.missing.length - a.reporting.missing.length ||
        b.reporting.late.length - a.reporting.late.length ||
        a.unit.name.localeCompare(b.unit.name, "vi"),
    );
  const lateCommuneRows: Cell[][] = lateCommunes.map((c) => [
    c.unit.name,
    c.reporting.missing.map((i) => i.code).join(", "),
    c.reporting.late.map((i) => i.code).join(", "),
    c.monthlyScore.reporting,
    c.rank,
  ]);
  const withPlan = review.communes.filter((c) => c.implementationPlan).length;
  const rankedCommunes = league.filter((r) => r.rank !== null).length;

  const counts = new Map(review.scorecard.byStatus.map((c) => [c.status, c.count]));
  const statusSummary = STATUS_ORDER.map(
    (status: ProgressStatus) => `${STATUSES[status].vi} ${counts.get(status) ?? 0}`,
  ).join(", ");
  const month10 = monthVi(period);
  const dueDay = (() => {
    const [y, m] = period.split("-").map(Number) as [number, number];
    return m === 12 ? `10/01/${y + 1}` : `10/${String(m + 1).padStart(2, "0")}/${y}`;
  })();

  return {
    year,
    period,
    asOf: options.asOf,
    generatedAt: options.generatedAt,
    demo,
    heading: ["ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06"],
    title: `BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06 THÁNG ${month10}`,
    lines: [
      "Theo Kế hoạch số 208/KH-UBND ngày 09/6/2026 của Ủy ban nhân dân thành phố Hải Phòng",
      `Số liệu đến hết tháng ${month10} (hạn báo cáo ngày ${dueDay}); trạng thái chỉ tiêu đánh giá theo mục tiêu năm ${year}; nhiệm vụ và yêu cầu giải trình tính đến ngày ${dayVi(options.asOf)}.`,
      ...(demo ? ["DỮ LIỆU MẪU: số liệu sinh tự động, không phải số liệu báo cáo thật."] : []),
    ],
    summary: [
      `Chỉ tiêu (Phụ lục I): ${indicators.length} chỉ tiêu; ${statusSummary}.`,
      `Nhiệm vụ (Phụ lục II): ${month.tasks.length} nhiệm vụ; ${TASK_STATUS_VI.DONE.toLowerCase()} ${tasksByStatus("DONE")}, ${TASK_STATUS_VI.IN_PROGRESS.toLowerCase()} ${tasksByStatus("IN_PROGRESS")}, ${TASK_STATUS_VI.NOT_STARTED.toLowerCase()} ${tasksByStatus("NOT_STARTED")}; quá hạn ${overdueTasks}.`,
      `Báo cáo tháng ${month10}: ${reporting.length - behind.length}/${reporting.length} cơ quan nộp đủ và đúng hạn; ${reporting.filter((r) => r.missing > 0).length} cơ quan chưa nộp đủ, ${reporting.filter((r) => r.late > 0).length} cơ quan nộp chậm.`,
      `Yêu cầu giải trình: ${explanationCount("OPEN")} đang mở, ${explanationCount("OVERDUE")} quá hạn, ${explanationCount("ANSWERED")} đã trả lời.`,
      `Xã, phường, đặc khu: ${rankedCommunes}/${review.communes.length} có điểm tháng; ${withPlan} đã ban hành kế hoạch thực hiện; ${lateCommunes.filter((c) => c.reporting.missing.length > 0).length} chưa báo cáo đủ, ${lateCommunes.filter((c) => c.reporting.late.length > 0).length} báo cáo muộn.`,
    ],
    tables: [
      {
        id: "indicators",
        heading: "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU (PHỤ LỤC I)",
        note: `Theo thứ tự của Phụ lục I; kết quả là số liệu mới nhất đến hết tháng ${month10} (cột Kỳ).`,
        sheet: "Phụ lục I - Chỉ tiêu",
        headers: [
          "Mã",
          "Chỉ tiêu",
          "Đơn vị tính",
          "Mục tiêu 2026",
          "Mục tiêu 2030",
          "Kết quả",
          "Kỳ",
          `Trạng thái (mục tiêu ${year})`,
          "Đơn vị theo dõi",
        ],
        widths: [5, 30, 7, 8, 8, 8, 7, 11, 16],
        rows: indicatorRows,
        empty: "Không có chỉ tiêu.",
      },
      {
        id: "tasks",
        heading: "II. TIẾN ĐỘ CÁC NHIỆM VỤ (PHỤ LỤC II)",
        note: `Nhiệm vụ quá hạn (tính đến ngày ${dayVi(options.asOf)}) xếp trước, quá hạn lâu nhất trước; sau đó theo thứ tự của Phụ lục II.`,
        sheet: "Phụ lục II - Nhiệm vụ",
        headers: [
          "Mã",
          "Nhiệm vụ",
          "Cơ quan chủ trì",
          "Thời gian thực hiện",
          "Hạn",
          "Trạng thái",
          "Quá hạn",
        ],
        widths: [5, 40, 16, 12, 8, 10, 7],
        rows: taskRows,
        empty: "Không có nhiệm vụ.",
      },
      {
        id: "reporting",
        heading: `III. TÌNH HÌNH BÁO CÁO THÁNG ${month10}`,
        note: "Cơ quan chưa nộp đủ xếp trước, rồi cơ quan nộp chậm; đúng hạn là nộp đến hết ngày 10 tháng sau (giờ Hải Phòng).",
        sheet: "Báo cáo chậm",
        headers: [
          "Cơ quan",
          "Phải nộp",
          "Đã nhận",
          "Đúng hạn",
          "Nộp chậm",
          "Chưa nộp",
          "Đầy đủ (%)",
          "Đúng hạn (%)",
          "Đơn vị chưa báo cáo",
          "Đơn vị nộp chậm",
        ],
        widths: [16, 6, 6, 6, 6, 6, 7, 7, 20, 20],
        rows: reportingRows,
        empty: "Không có cơ quan nào phải báo cáo tháng này.",
      },
      {
        id: "scores",
        heading: "IV. XẾP HẠNG CƠ QUAN THEO ĐIỂM THÁNG",
        note: "Điểm 0-100: 40% chỉ tiêu, 30% nhiệm vụ, 30% báo cáo (phần không có được bỏ và chia lại trọng số).",
        sheet: "Xếp hạng cơ quan",
        headers: ["Hạng", "Cơ quan", "Điểm", "Chỉ tiêu", "Nhiệm vụ", "Báo cáo", "Nhiệm vụ quá hạn"],
        widths: [5, 30, 8, 8, 8, 8, 8],
        rows: scoreRows,
        empty: "Chưa có cơ quan nào có điểm.",
      },
      {
        id: "explanations",
        heading: "V. YÊU CẦU GIẢI TRÌNH CHƯA TRẢ LỜI",
        note: "Quá hạn xếp trước, rồi theo hạn trả lời.",
        sheet: "Yêu cầu giải trình",
        headers: ["Cơ quan", "Nội dung", "Yêu cầu", "Ngày yêu cầu", "Hạn trả lời", "Trạng thái"],
        widths: [16, 10, 40, 9, 9, 9],
        rows: explanationRows,
        empty: "Không có yêu cầu giải trình nào chưa trả lời.",
      },
      {
        id: "communes",
        heading: "VI. XẾP HẠNG XÃ, PHƯỜNG, ĐẶC KHU THEO ĐIỂM THÁNG",
        note: `${LEAGUE_ENDS} đơn vị đứng đầu và ${LEAGUE_ENDS} đơn vị đứng cuối. Điểm 0-100: 40% kết quả chỉ tiêu, 30% nhiệm vụ (ban hành kế hoạch thực hiện của xã: đủ điểm nếu trước 15/6/2026, nửa điểm nếu muộn hơn), 30% báo cáo. Hạng các tháng ${leagueMonths.join(", ")}; thay đổi: số bậc tăng (+) hoặc giảm (-) so với tháng trước.`,
        sheet: "Xếp hạng xã",
        headers: [
          "Hạng",
          "Xã, phường, đặc khu",
          "Điểm",
          "Chỉ tiêu",
          "Nhiệm vụ",
          "Báo cáo",
          "Hạng các tháng",
          "Thay đổi",
        ],
        widths: [5, 24, 7, 7, 7, 7, 14, 7],
        rows: leagueRows,
        empty: "Chưa có xã, phường nào có điểm tháng.",
      },
      {
        id: "lateCommunes",
        heading: `VII. XÃ, PHƯỜNG, ĐẶC KHU CHƯA BÁO CÁO HOẶC BÁO CÁO MUỘN THÁNG ${month10}`,
        note: "Các chỉ tiêu cấp xã; đơn vị thiếu nhiều chỉ tiêu nhất xếp trước, rồi đơn vị báo cáo muộn nhiều nhất.",
        sheet: "Xã báo cáo chậm",
        headers: ["Xã, phường, đặc khu", "Chưa báo cáo", "Báo cáo muộn", "Điểm báo cáo", "Hạng"],
        widths: [24, 30, 30, 8, 6],
        rows: lateCommuneRows,
        empty: "Mọi xã, phường, đặc khu đã báo cáo đủ và đúng hạn.",
      },
    ],
  };
}

/** A cell as the DOCX writes it (numbers the Vietnamese way). */
export const cellText = (cell: Cell) =>
  cell === null ? "–" : typeof cell === "number" ? numberVi(cell) : cell;
