// The catalogue against its source: every cell of Appendix I and II as the plan writes it. The plan's
// text is not part of the repository: P06_PLAN_TEXT names it, and this file runs only where it is
// given (CI gives it; see vitest.config.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogue } from "../src/index.js";

const planText = process.env.P06_PLAN_TEXT!;
const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
const lines = readFileSync(planText, "utf8").split("\n");
const appendixII = lines.findIndex((line) => line.trim() === "PHỤ LỤC II");
const appendixI = lines.findIndex((line) => line.trim() === "PHỤ LỤC I");

/** Cell text without the document's HTML markup and with spaces folded. */
const cell = (raw = "") =>
  raw
    .replace(/<[^>]+>/g, "")
    .replace(/“ /g, "“")
    .replace(/ ”/g, "”")
    .replace(/\s+/g, " ")
    .trim();

/** Appendix rows as [code, cells], numbering restarting in each roman group. */
function appendixRows(from: number, to: number, minCells: number): [string, string[]][] {
  const rows: [string, string[]][] = [];
  let group = "";
  for (const line of lines.slice(from, to)) {
    const cells = line.split("\t");
    if (cells.length < minCells) continue;
    if (ROMAN.includes(cells[0]!)) group = cells[0]!;
    else if (/^\d+$/.test(cells[0]!)) rows.push([`${group}.${Number(cells[0])}`, cells]);
  }
  return rows;
}

const indicatorRows = appendixRows(appendixI, appendixII, 6);
const taskRows = appendixRows(appendixII, lines.length, 5);

describe("Appendix I indicators, as the plan writes them", () => {
  it("has every row of the appendix, in order", () => {
    expect(catalogue.indicators.map((i) => i.code)).toEqual(indicatorRows.map(([code]) => code));
  });

  it.each(indicatorRows)(
    "%s keeps its text, unit, targets and tracking agencies as written",
    (code, cells) => {
      const indicator = catalogue.indicators.find((i) => i.code === code)!;
      expect(indicator.titleVi).toBe(cell(cells[1]));
      expect(indicator.unitVi).toBe(cell(cells[2]) || null);
      const written = [
        [2026, cell(cells[3])],
        [2030, cell(cells[4])],
      ].filter(([, raw]) => raw !== "");
      expect(indicator.targets.map((t) => [t.year, t.raw])).toEqual(written);
      expect(indicator.trackingAgenciesVi).toBe(cell(cells[5]) || null);
      expect(indicator.title.length).toBeGreaterThan(10);
    },
  );
});

describe("Appendix II tasks, as the plan writes them", () => {
  it("has the 54 tasks of the appendix, in order", () => {
    expect(taskRows).toHaveLength(54);
    expect(catalogue.tasks.map((t) => t.code)).toEqual(taskRows.map(([code]) => code));
  });

  it("agrees with the per-group counts the plan body declares in section III.2", () => {
    const declared = lines
      .map((line) => /^- \((\d+)\) .*: (\d+) nhiệm vụ/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [ROMAN[Number(match[1]) - 1], Number(match[2])]);
    expect(declared).toEqual([
      ["I", 5],
      ["II", 8],
      ["III", 2],
      ["IV", 8],
      ["V", 6],
      ["VI", 8],
      ["VII", 8],
      ["VIII", 3],
      ["IX", 1],
      ["X", 5],
    ]);
    for (const [group, count] of declared) {
      expect(catalogue.tasks.filter((t) => t.group === group)).toHaveLength(count as number);
      expect(catalogue.taskGroups.find((g) => g.code === group)?.declaredTaskCount).toBe(count);
    }
  });

  it.each(taskRows)("%s keeps its text, agencies, timing and output as written", (code, cells) => {
    const task = catalogue.tasks.find((t) => t.code === code)!;
    expect(task.titleVi).toBe(cell(cells[1]).replace(" ¹ ", " "));
    expect(task.leadAgenciesVi).toBe(cell(cells[2]));
    expect(task.coordinatingAgenciesVi).toBe(cell(cells[3]) || null);
    expect(task.timingVi).toBe(cell(cells[4]));
    expect(task.outputVi).toBe(cell(cells[5]) || null);
    expect(task.leadAgencies.length).toBeGreaterThan(0);
  });
});
