// A table as a file: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese) or
// XLSX (exceljs, report/xlsx.ts, loaded only when someone downloads), with the headers as shown.
import type { MonthReport } from "./report/month-report.js";
import { toCsv, type Sheet } from "./sheet.js";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** Hands a file to the browser as a download. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(sheet: Sheet, name: string): void {
  saveFile(new Blob([toCsv(sheet)], { type: "text/csv;charset=utf-8" }), `${name}.csv`);
}

export async function downloadXlsx(sheet: Sheet, name: string): Promise<void> {
  const { sheetXlsx } = await import("./report/xlsx.js");
  const bytes = await sheetXlsx(sheet, name);
  saveFile(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: XLSX_TYPE }), `${name}.xlsx`);
}

/** A report (the month's, the year's) laid out as DOCX or XLSX and handed to the browser as `name`. */
export async function downloadReport(
  report: MonthReport,
  format: "docx" | "xlsx",
  name: string,
): Promise<void> {
  const bytes =
    format === "docx"
      ? await (await import("./report/docx.js")).monthReportDocx(report)
      : await (await import("./report/xlsx.js")).monthReportXlsx(report);
  saveFile(
    new Blob([bytes as Uint8Array<ArrayBuffer>], {
      type: format === "docx" ? DOCX_TYPE : XLSX_TYPE,
    }),
    `${name}.${format}`,
  );
}
