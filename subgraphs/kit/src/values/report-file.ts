// A month's report as a spreadsheet (CSV or XLSX), the way agencies keep their figures. One row per
// figure; rows with a category are the breakdown of the row without one for the same indicator and unit.
//
//   indicator,unit,numerator,denominator,value,met,category,comment
//   II.5,10507,12,20,,,,
//   II.5,10507,5,8,,,hospital,
import { parse } from "csv-parse/sync";
import type { CategoryInput, ValueInput } from "./validate.js";

export type ReportFileFormat = "CSV" | "XLSX";

export const REPORT_COLUMNS = [
  "indicator",
  "unit",
  "numerator",
  "denominator",
  "value",
  "met",
  "category",
  "comment",
] as const;
type Column = (typeof REPORT_COLUMNS)[number];

export interface LineProblem {
  /** The line (CSV) or row (XLSX) number, the header being 1. */
  line: number;
  /** The column whose cell is wrong, where one is. */
  column?: Column;
  message: string;
}

/** A figure of the file: its total row, and its breakdown's rows by category. */
export interface ParsedFigure {
  line: number;
  input: ValueInput;
  /** The line of each breakdown category's row. */
  categoryLines: Map<string, number>;
  /** Some of its category rows have problems of their own: the breakdown read is incomplete. */
  partialBreakdown: boolean;
}

export interface ParsedReport {
  /**
   * The figures whose total row could be read, each with the line it came from, even when other rows
   * have problems: every row is checked, so that one refusal lists every bad row.
   */
  values: ParsedFigure[];
  problems: LineProblem[];
}

/** At most this many rows: a month's report for every indicator and unit is far smaller. */
export const MAX_REPORT_ROWS = 50_000;

async function readRows(content: Buffer, format: ReportFileFormat): Promise<string[][]> {
  if (format === "CSV") {
    return parse(content.toString("utf8").replace(/^\uFEFF/, ""), {
      skip_empty_lines: false,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  }
  // loaded on the first spreadsheet, not at every start-up (it is the heaviest import)
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= REPORT_COLUMNS.length; c += 1) {
      const value = row.getCell(c).value;
      // a formula cell holds its last computed result
      const shown =
        value !== null && typeof value === "object" && "result" in value ? value.result : value;
      cells.push(shown === null || shown === undefined ? "" : String(shown).trim());
    }
    rows.push(cells);
  }
  return rows;
}

function numberCell(raw: string, column: Column, line: number, problems: LineProblem[]) {
  if (raw === "") return null;
  // "12,5" is a decimal comma; "12,345" could be thousands: refused rather than guessed
  if (/,\d{3}(\D|$)/.test(raw) || (raw.includes(",") && raw.includes("."))) {
    problems.push({
      line,
      column,
      message: `${column} "${raw}" is ambiguous: write it without thousands separators`,
    });
    return null;
  }
  const value = Number(raw.replace(",", "."));
  if (!Number.isFinite(value)) {
    problems.push({ line, column, message: `${column} "${raw}" is not a number` });
    return null;
  }
  return value;
}

export async function parseReportFile(
  content: Buffer,
  format: ReportFileFormat,
): Promise<ParsedReport> {
  let rows: string[][];
  try {
    rows = await readRows(content, format);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      values: [],
      problems: [{ line: 1, message: `not a readable ${format} file: ${reason}` }],
    };
  }
  const header = rows[0]?.map((cell) => cell.toLowerCase());
  const problems: LineProblem[] = [];
  if (!header || REPORT_COLUMNS.some((column, i) => header[i] !== column)) {
    return {
      values: [],
      problems: [{ line: 1, message: `the header must be ${REPORT_COLUMNS.join(",")}` }],
    };
  }
  if (rows.length - 1 > MAX_REPORT_ROWS) {
    return { values: [], problems: [{ line: 1, message: `more than ${MAX_REPORT_ROWS} rows` }] };
  }
  const totals = new Map<string, ParsedFigure>();
  const parts: { line: number; key: string; part: CategoryInput }[] = [];
  /** The figures (indicator|unit) with a row that has problems of its own. */
  const refused = new Set<string>();
  rows.slice(1).forEach((cells, index) => {
    const line = index + 2;
    if (cells.every((cell) => cell === "")) return;
    const cell = (column: Column) => cells[REPORT_COLUMNS.indexOf(column)] ?? "";
    const before = problems.length;
    const numerator = numberCell(cell("numerator"), "numerator", line, problems);
    const denominator = numberCell(cell("denominator"), "denominator", line, problems);
    const value = numberCell(cell("value"), "value", line, problems);
    const metCell = cell("met").toLowerCase();
    const met =
      metCell === ""
        ? null
        : ["true", "yes", "1"].includes(metCell)
          ? true
          : ["false", "no", "0"].includes(metCell)
            ? false
            : undefined;
    if (met === undefined)
      problems.push({ line, column: "met", message: `met "${cell("met")}" is not true or false` });
    for (const column of ["indicator", "unit"] as const) {
      if (!cell(column)) problems.push({ line, column, message: `${column} is required` });
    }
    const key = `${cell("indicator")}|${cell("unit")}`;
    if (problems.length > before) {
      refused.add(key);
      return;
    }
    if (cell("category")) {
      const category = cell("category");
      const earlier = parts.find((p) => p.key === key && p.part.category === category);
      if (earlier) {
        problems.push({
          line,
          column: "category",
          message: `${cell("indicator")} for unit ${cell("unit")}: category ${category} repeats line ${earlier.line}`,
        });
        refused.add(key);
        return;
      }
      parts.push({ line, key, part: { category, numerator, denominator, value } });
    } else if (totals.has(key)) {
      problems.push({
        line,
        message: `${cell("indicator")} for unit ${cell("unit")} repeats line ${totals.get(key)!.line}`,
      });
    } else {
      totals.set(key, {
        line,
        input: {
          indicator: cell("indicator"),
          unit: cell("unit"),
          period: "",
          numerator,
          denominator,
          value,
          met,
          comment: cell("comment") || null,
        },
        categoryLines: new Map(),
        partialBreakdown: false,
      });
    }
  });
  for (const { line, key, part } of parts) {
    const total = totals.get(key);
    if (total) {
      (total.input.breakdown ??= []).push(part);
      total.categoryLines.set(part.category, line);
    } else if (!refused.has(key)) {
      // (a total row with problems of its own is listed already)
      problems.push({
        line,
        message: `category row without a total row for ${key.replace("|", " unit ")}`,
      });
    }
  }
  for (const key of refused) {
    const total = totals.get(key);
    if (total) total.partialBreakdown = true;
  }
  if (totals.size === 0 && problems.length === 0)
    problems.push({ line: 2, message: "the file has no figures" });
  problems.sort((a, b) => a.line - b.line);
  return { values: [...totals.values()].sort((a, b) => a.line - b.line), problems };
}

/** Rows as CSV under a header of `columns` (quoted where a cell holds a comma, quote or line break). */
export function toCsv(columns: readonly string[], rows: Record<string, unknown>[]): string {
  const escape = (cell: unknown) => {
    const text = cell === null || cell === undefined ? "" : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return (
    [columns.join(","), ...rows.map((row) => columns.map((c) => escape(row[c])).join(","))].join(
      "\n",
    ) + "\n"
  );
}

/** Writes figures as a report file (the demo, the tests and agencies' templates use it). */
export function reportCsv(
  rows: Partial<Record<Column, string | number | boolean | null>>[],
): string {
  return toCsv(REPORT_COLUMNS, rows);
}
