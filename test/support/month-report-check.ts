// Reads the city's monthly report back (the DOCX with mammoth, the XLSX with exceljs) and checks its
// Appendix I table against what the graph says of the same month, asked apart from the report's own
// operations: the scorecard's results and statuses, and both targets of every indicator.
import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { expect } from "vitest";
import { numberVi } from "../../gateway/web/src/report/month-report.js";
import { STATUSES } from "../../gateway/web/src/status-labels.js";
import type { RunningSystem } from "./system.js";

type Status = keyof typeof STATUSES;

/** What the graph says of the month. */
export interface Truth {
  review: {
    scorecard: {
      byStatus: { status: Status; count: number }[];
      indicators: {
        indicator: { code: string; unit: string | null };
        progress: { status: Status; latest: { value: number | null; period: string } | null };
      }[];
    };
  };
  indicators: { code: string; t2026: { raw: string } | null; t2030: { raw: string } | null }[];
}

export async function monthTruth(system: RunningSystem, period: string): Promise<Truth> {
  const { data, errors } = await system.query<Truth>(
    `query($period: String!) {
      review(year: 2026, period: $period) {
        scorecard {
          byStatus { status count }
          indicators { indicator { code unit } progress { status latest { value period } } }
        }
      }
      indicators { code t2026: target(year: 2026) { raw } t2030: target(year: 2030) { raw } }
    }`,
    { period },
  );
  expect(errors).toBeUndefined();
  return data!;
}

/** A DOCX's tables (each a list of rows of cell texts) and its text, as mammoth reads them. */
export async function readDocx(bytes: Buffer): Promise<{ tables: string[][][]; text: string }> {
  const html = (await mammoth.convertToHtml({ buffer: bytes })).value;
  const text = (await mammoth.extractRawText({ buffer: bytes })).value;
  const decode = (s: string) =>
    s
      .replace(/<[^>]+>/g, "")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&amp;", "&")
      .trim();
  const tables = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((table) =>
    [...table[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => decode(cell[1]!)),
    ),
  );
  return { tables, text };
}

/** The DOCX's summary and Appendix I table say what the graph says; returns the table's rows. */
export function expectDocxMatches(docx: { tables: string[][][]; text: string }, truth: Truth) {
  const { scorecard } = truth.review;
  const counts = scorecard.byStatus.map((c) => `${STATUSES[c.status].vi} ${c.count}`).join(", ");
  expect(docx.text).toContain(`${scorecard.indicators.length} chỉ tiêu; ${counts}.`);
  const [header, ...rows] = docx.tables[0]!;
  expect(header).toEqual([
    "Mã",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Mục tiêu 2026",
    "Mục tiêu 2030",
    "Kết quả",
    "Kỳ",
    "Trạng thái (mục tiêu 2026)",
    "Đơn vị theo dõi",
  ]);
  expect(rows.map((r) => r[0])).toEqual(scorecard.indicators.map((i) => i.indicator.code));
  const targets = new Map(truth.indicators.map((i) => [i.code, i]));
  for (const [i, row] of rows.entries()) {
    const { indicator, progress } = scorecard.indicators[i]!;
    const target = targets.get(indicator.code)!;
    expect(row.slice(2, 6), indicator.code).toEqual([
      indicator.unit ?? "",
      target.t2026?.raw ?? "–",
      target.t2030?.raw ?? "–",
      numberVi(progress.latest?.value),
    ]);
    expect(row[7], indicator.code).toBe(STATUSES[progress.status].vi);
  }
  return rows;
}

/** The XLSX's Appendix I sheet holds the graph's figures as numbers; returns the workbook. */
export async function expectXlsxMatches(bytes: Buffer, truth: Truth): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  const rows = workbook
    .getWorksheet("Phụ lục I - Chỉ tiêu")!
    .getSheetValues()
    .slice(2) as unknown[][];
  const { indicators } = truth.review.scorecard;
  expect(rows.map((r) => r[1])).toEqual(indicators.map((i) => i.indicator.code));
  for (const [i, row] of rows.entries()) {
    const { indicator, progress } = indicators[i]!;
    expect(row[6] ?? null, indicator.code).toBe(progress.latest?.value ?? null);
    expect(row[8], indicator.code).toBe(STATUSES[progress.status].vi);
  }
  return workbook;
}
