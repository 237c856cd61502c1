// Reading agencies' spreadsheets: numbers as written, formulas by their results, ambiguity refused.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parseReportFile, REPORT_COLUMNS, reportCsv } from "../src/values/report-file.js";

describe("parseReportFile", () => {
  it("reads a decimal comma, and refuses a number that could carry thousands separators", async () => {
    const csv = reportCsv([
      { indicator: "II.9", unit: "31", numerator: "27,5", denominator: 1 },
      { indicator: "III.4", unit: "31", value: "12,345" },
      { indicator: "III.4", unit: "10507", value: "1.234,5" },
    ]);
    const parsed = await parseReportFile(Buffer.from(csv), "CSV");
    expect(parsed.values.map((v) => v.input.numerator)).toEqual([27.5]);
    expect(parsed.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(parsed.problems[0]?.message).toMatch(/ambiguous/);
  });

  it("takes a formula cell's result", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("report");
    sheet.addRow([...REPORT_COLUMNS]);
    sheet.addRow(["II.12", "10507", { formula: "500+312", result: 812 }, 1000]);
    const parsed = await parseReportFile(Buffer.from(await workbook.xlsx.writeBuffer()), "XLSX");
    expect(parsed.problems).toEqual([]);
    expect(parsed.values[0]?.input).toMatchObject({ numerator: 812, denominator: 1000 });
  });
});
