// Workbooks (exceljs), in the browser and in Node: a table as one sheet (every download of a page's
// table, the monthly template), and the monthly report: a first sheet with the heading and the summary,
// then a sheet for each section's table, its header row bold and frozen, the figures as numbers.
import ExcelJS from "exceljs";
import type { Sheet } from "../sheet.js";
import type { MonthReport } from "./month-report.js";

/** Characters of the widest column (exceljs widths are in characters). */
const WIDEST = 60;

/** A table as an XLSX file's bytes: one sheet named `name`, its header row bold and frozen. */
export async function sheetXlsx(sheet: Sheet, name: string): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Đề án 06 Hải Phòng";
  const worksheet = workbook.addWorksheet(name.slice(0, 31), {
    views: [{ state: "frozen", ySplit: 1 }],
  });
  worksheet.addRow(sheet.headers).font = { bold: true };
  for (const row of sheet.rows) worksheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The report as an XLSX file's bytes. */
export async function monthReportXlsx(report: MonthReport): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Đề án 06 Hải Phòng";
  workbook.title = report.title;
  workbook.created = new Date(report.generatedAt);

  const summary = workbook.addWorksheet("Tóm tắt");
  summary.getColumn(1).width = 120;
  for (const line of report.heading) summary.addRow([line]).font = { bold: true };
  summary.addRow([]);
  summary.addRow([report.title]).font = { bold: true, size: 14 };
  for (const line of report.lines) summary.addRow([line]);
  summary.addRow([]);
  summary.addRow(["TÓM TẮT"]).font = { bold: true };
  for (const line of report.summary) summary.addRow([line]);

  for (const section of report.tables) {
    const sheet = workbook.addWorksheet(section.sheet.slice(0, 31), {
      views: [{ state: "frozen", ySplit: 1 }],
    });
    const widest = Math.max(...section.widths);
    section.widths.forEach((width, i) => {
      sheet.getColumn(i + 1).width = Math.max(8, Math.round((width / widest) * WIDEST));
    });
    const header = sheet.addRow(section.headers);
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: "top" };
    for (const row of section.rows) {
      sheet.addRow(row).alignment = { wrapText: true, vertical: "top" };
    }
    if (section.rows.length === 0) sheet.addRow([section.empty]);
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
