// The catalogue against its source: every cell of Appendix I and II as the plan writes it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { agencySubgraphs, catalogue, supplementarySubgraph } from "../src/index.js";

const SEED = new URL("../../../../shared/seeds/000_4eafdbd0e288dd99.txt", import.meta.url);
const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
const lines = readFileSync(SEED, "utf8").split("\n");
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

describe("Appendix I indicators", () => {
  it("has every row of the appendix, in order: 9, 14, 10, 10, 9 and 4 per group", () => {
    expect(catalogue.indicators.map((i) => i.code)).toEqual(indicatorRows.map(([code]) => code));
    const perGroup = Object.fromEntries(
      catalogue.indicatorGroups.map((g) => [
        g.code,
        catalogue.indicators.filter((i) => i.group === g.code).length,
      ]),
    );
    expect(perGroup).toEqual({ I: 9, II: 14, III: 10, IV: 10, V: 9, VI: 4 });
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

  it("reads ≥N as at least N and a plain number as the value to reach", () => {
    for (const target of catalogue.indicators.flatMap((i) => i.targets)) {
      const numeric = /^(≥)?(\d+)$/.exec(target.raw);
      if (numeric) {
        expect(target).toMatchObject({
          kind: "NUMERIC",
          value: Number(numeric[2]),
          comparator: numeric[1] ? "AT_LEAST" : "EQUAL",
        });
      } else {
        expect(target.value).toBeNull();
        expect(target.comparator).toBeNull();
        expect(["MILESTONE", "ASSIGNED"]).toContain(target.kind);
      }
    }
  });

  it("transcribes the targets that matter most exactly", () => {
    const targets = (code: string) =>
      catalogue.indicators.find((i) => i.code === code)!.targets.map((t) => [t.year, t.raw]);
    expect(targets("III.3")).toEqual([
      [2026, "≥80"],
      [2030, "100"],
    ]);
    expect(targets("II.9")).toEqual([
      [2026, "27"],
      [2030, "30"],
    ]);
    expect(targets("IV.2")).toEqual([
      [2026, "≥50"],
      [2030, "≥80"],
    ]);
    expect(targets("III.4")).toEqual([
      [2026, "Theo chỉ tiêu được giao"],
      [2030, "Theo chỉ tiêu được giao"],
    ]);
    expect(targets("IV.8")).toEqual([[2030, "đảm bảo"]]);
    expect(targets("II.13")).toEqual([]);
  });

  it("records text targets by kind: milestones versus numbers still to be assigned", () => {
    const kinds = new Map(
      catalogue.indicators.flatMap((i) => i.targets.map((t) => [t.raw, t.kind] as const)),
    );
    expect(kinds.get("đảm bảo")).toBe("MILESTONE");
    expect(kinds.get("Triển khai")).toBe("MILESTONE");
    expect(kinds.get("Theo chỉ tiêu được giao")).toBe("ASSIGNED");
    expect(kinds.get("Theo hướng dẫn của Bộ Công an")).toBe("ASSIGNED");
  });
});

describe("Appendix II tasks", () => {
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

describe("agencies", () => {
  const codes = new Set(catalogue.agencies.map((a) => a.code));

  it("gives every agency a unique code and both names", () => {
    expect(codes.size).toBe(catalogue.agencies.length);
    for (const agency of catalogue.agencies) {
      expect(agency.code).toMatch(/^[A-Z0-9_]+$/);
      expect(agency.name).not.toBe("");
      expect(agency.nameVi).not.toBe("");
    }
  });

  it("names only known agencies, each found in the cell it was read from", () => {
    const aliases = (code: string) => catalogue.agencies.find((a) => a.code === code)!.aliasesVi;
    const check = (codes: string[], text: string | null) => {
      for (const code of codes) {
        expect(aliases(code).some((alias) => text?.toLowerCase().includes(alias))).toBe(true);
      }
    };
    for (const indicator of catalogue.indicators) {
      expect(indicator.trackingAgencies.length).toBeGreaterThan(0);
      check(indicator.trackingAgencies, indicator.trackingAgenciesVi);
    }
    for (const task of catalogue.tasks) {
      check(task.leadAgencies, task.leadAgenciesVi);
      check(task.coordinatingAgencies, task.coordinatingAgenciesVi);
    }
  });

  it("gives the five agency subgraphs their agencies", () => {
    const bySubgraph: Record<string, string[]> = {};
    for (const agency of catalogue.agencies) {
      if (agency.subgraph) (bySubgraph[agency.subgraph] ??= []).push(agency.code);
    }
    expect(bySubgraph).toEqual({
      identity: ["POLICE"],
      procedures: ["PASC"],
      health: ["DOH"],
      education: ["DOET"],
      "social-security": ["DOHA", "VSS"],
    });
  });
});

describe("supplementary indicators' namespaces", () => {
  const prefixes = agencySubgraphs.flatMap((spec) =>
    spec.supplementaryPrefix ? [spec.supplementaryPrefix] : [],
  );

  it("keep every agency's codes apart from Appendix I's and from each other's", () => {
    expect(prefixes).toEqual(["EDU-S"]);
    for (const prefix of prefixes) {
      expect(catalogue.indicators.filter((i) => i.code.startsWith(prefix))).toEqual([]);
      expect(prefixes.filter((other) => other !== prefix && other.startsWith(prefix))).toEqual([]);
    }
  });

  it("say which subgraph holds a code, and which type it is there", () => {
    expect(supplementarySubgraph("EDU-S1")).toMatchObject({
      name: "education",
      supplementaryType: "EducationSupplementaryIndicator",
    });
    expect(supplementarySubgraph("III.9")).toBeNull();
    expect(supplementarySubgraph("EDU-1")).toBeNull();
  });
});
