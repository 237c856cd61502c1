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

  it("lists every unreadable cell of every row by line and column, and reads the rows around them", async () => {
    const csv = reportCsv([
      { indicator: "II.12", unit: "10507", numerator: 8, denominator: 10 },
      { indicator: "II.12", unit: "10525", numerator: "eight", denominator: "ten" },
      { indicator: "II.12", unit: "10525", numerator: 5, denominator: 6, category: "clinic" },
      { indicator: "II.5", unit: "", met: "maybe" },
      { indicator: "II.5", unit: "10507", numerator: 1, denominator: 2 },
      { indicator: "II.5", unit: "10507", numerator: 1, denominator: 1, category: "clinic" },
      { indicator: "II.5", unit: "10507", numerator: 0, denominator: 1, category: "clinic" },
    ]);
    const parsed = await parseReportFile(Buffer.from(csv), "CSV");
    expect(parsed.problems.map((p) => [p.line, p.column])).toEqual([
      [3, "numerator"],
      [3, "denominator"],
      [5, "met"],
      [5, "unit"],
      [8, "category"],
    ]);
    expect(parsed.problems.map((p) => p.message)).toEqual([
      'numerator "eight" is not a number',
      'denominator "ten" is not a number',
      'met "maybe" is not true or false',
      "unit is required",
      "II.5 for unit 10507: category clinic repeats line 7",
    ]);
    // line 4's category belongs to line 3's total, listed already: no "category row without a total"
    expect(parsed.values.map((v) => [v.line, v.partialBreakdown])).toEqual([
      [2, false],
      [6, true],
    ]);
    expect(parsed.values[1]!.categoryLines).toEqual(new Map([["clinic", 7]]));
  });
});
