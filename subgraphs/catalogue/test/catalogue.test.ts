// The catalogue's own facts: the plan's counts, the targets that matter most, the agencies and the
// supplementary namespaces. Every cell against the plan's text: catalogue-source.test.ts.
import { describe, expect, it } from "vitest";
import { agencySubgraphs, catalogue, supplementarySubgraph } from "../src/index.js";

describe("Appendix I indicators", () => {
  it("has the appendix's 56 indicators: 9, 14, 10, 10, 9 and 4 per group", () => {
    expect(catalogue.indicators).toHaveLength(56);
    const perGroup = Object.fromEntries(
      catalogue.indicatorGroups.map((g) => [
        g.code,
        catalogue.indicators.filter((i) => i.group === g.code).length,
      ]),
    );
    expect(perGroup).toEqual({ I: 9, II: 14, III: 10, IV: 10, V: 9, VI: 4 });
  });

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
  it("has the 54 tasks, as many per group as section III.2 of the plan declares", () => {
    expect(catalogue.tasks).toHaveLength(54);
    const declared = { I: 5, II: 8, III: 2, IV: 8, V: 6, VI: 8, VII: 8, VIII: 3, IX: 1, X: 5 };
    for (const [group, count] of Object.entries(declared)) {
      expect(catalogue.tasks.filter((t) => t.group === group)).toHaveLength(count);
      expect(catalogue.taskGroups.find((g) => g.code === group)?.declaredTaskCount).toBe(count);
    }
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
