// The bundled commune list and the validation a newer official list goes through.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReportingUnits, ReportingUnitListError } from "../src/reporting-units.js";

const bundled = readFileSync(new URL("../src/reporting-units.csv", import.meta.url), "utf8");

function problemsOf(csv: string): string[] {
  try {
    parseReportingUnits(csv);
  } catch (error) {
    if (error instanceof ReportingUnitListError) return error.problems;
    throw error;
  }
  return [];
}

describe("reporting units", () => {
  it("bundles the 2025 list: 114 units, 45 wards, 67 communes, 2 special zones", () => {
    const units = parseReportingUnits(bundled);
    expect(units).toHaveLength(114);
    const count = (kind: string) => units.filter((u) => u.kind === kind).length;
    expect([count("WARD"), count("COMMUNE"), count("SPECIAL_ZONE")]).toEqual([45, 67, 2]);
    expect(units.every((u) => u.parent === "31")).toBe(true);
    expect(units[0]).toEqual({
      code: "10507",
      name: "Phường Thành Đông",
      kind: "WARD",
      parent: "31",
    });
  });

  it("names every bad line of a list, with its line number", () => {
    const csv = [
      "code,name,type",
      "10507,Phường Thành Đông,phường",
      "1050,Xã Sai,xã",
      "10507,Phường Lặp,phường",
      "10600,,xã",
      "10601,Thị trấn Cũ,thị trấn",
      "10602,Xã Thừa,xã,extra",
    ].join("\n");
    expect(problemsOf(csv)).toEqual([
      'line 3: code "1050" is not 5 digits',
      "line 4: code 10507 repeats line 2",
      "line 5: the name is empty",
      'line 6: type "thị trấn" is not one of phường, xã, đặc khu',
      "line 7: expected 3 columns, found 4",
    ]);
  });

  it("refuses a file of another shape or with no units", () => {
    expect(problemsOf("ma,ten,loai\n10507,X,xã")).toEqual([
      'line 1: the header must be "code,name,type"',
    ]);
    expect(problemsOf("code,name,type\n")).toEqual(["the list has no units"]);
  });
});
