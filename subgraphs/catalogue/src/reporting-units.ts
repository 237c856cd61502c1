// Reporting units: the city and its commune-level units, from the national administrative-unit
// catalogue (CSV columns code,name,type). A newer official list is imported with the same code.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";

export type ReportingUnitKind = "CITY" | "WARD" | "COMMUNE" | "SPECIAL_ZONE";

export interface ReportingUnitRow {
  code: string;
  name: string;
  kind: ReportingUnitKind;
  parent: string | null;
}

/** Hai Phong's province-level code in the national catalogue. */
export const CITY: ReportingUnitRow = {
  code: "31",
  name: "Thành phố Hải Phòng",
  kind: "CITY",
  parent: null,
};

const KIND_BY_TYPE: Record<string, ReportingUnitKind> = {
  phường: "WARD",
  xã: "COMMUNE",
  "đặc khu": "SPECIAL_ZONE",
};

export class ReportingUnitListError extends Error {
  constructor(readonly problems: string[]) {
    super(`the reporting-unit list has ${problems.length} problem(s):\n${problems.join("\n")}`);
  }
}

/**
 * Parses and validates a commune list; throws a ReportingUnitListError naming every bad line
 * (nothing is imported from a list with any bad line).
 */
export function parseReportingUnits(csv: string): ReportingUnitRow[] {
  const records = parse(csv.replace(/^\uFEFF/, ""), {
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  }) as string[][];
  const problems: string[] = [];
  const header = records[0]?.map((cell) => cell.toLowerCase());
  if (header?.join(",") !== "code,name,type") {
    throw new ReportingUnitListError([`line 1: the header must be "code,name,type"`]);
  }
  const seen = new Map<string, number>();
  const rows: ReportingUnitRow[] = [];
  records.slice(1).forEach((record, index) => {
    const line = index + 2;
    const [code = "", name = "", type = ""] = record;
    if (record.length !== 3)
      problems.push(`line ${line}: expected 3 columns, found ${record.length}`);
    else if (!/^\d{5}$/.test(code)) problems.push(`line ${line}: code "${code}" is not 5 digits`);
    else if (seen.has(code))
      problems.push(`line ${line}: code ${code} repeats line ${seen.get(code)}`);
    else if (!name) problems.push(`line ${line}: the name is empty`);
    else if (!KIND_BY_TYPE[type.toLowerCase()]) {
      problems.push(
        `line ${line}: type "${type}" is not one of ${Object.keys(KIND_BY_TYPE).join(", ")}`,
      );
    } else {
      seen.set(code, line);
      rows.push({ code, name, kind: KIND_BY_TYPE[type.toLowerCase()]!, parent: CITY.code });
    }
  });
  if (rows.length === 0 && problems.length === 0) problems.push("the list has no units");
  if (problems.length > 0) throw new ReportingUnitListError(problems);
  return rows;
}

/** The bundled list (the 2025 catalogue): the city first, then its 114 units. */
export function bundledReportingUnits(): ReportingUnitRow[] {
  const csv = readFileSync(new URL("./reporting-units.csv", import.meta.url), "utf8");
  return [CITY, ...parseReportingUnits(csv)];
}

/** Every bundled reporting unit's code, the city's first. */
export function reportingUnitCodes(): string[] {
  return bundledReportingUnits().map((unit) => unit.code);
}
