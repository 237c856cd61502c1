// Who reports what: every Appendix I indicator through exactly one subgraph, by its first-named
// tracking agency; demo data that each subgraph's own rules accept.
import { describe, expect, it } from "vitest";
import { catalogue, CITY, reportingUnitCodes } from "@p06/catalogue";
import { planDefinitions } from "@p06/plan";
import { definitions as education } from "@p06/education";
import { definitions as health } from "@p06/health";
import { definitions as identity } from "@p06/identity";
import { definitions as procedures } from "@p06/procedures";
import { definitions as socialSecurity } from "@p06/social-security";
import { demoValues, validateValue, type IndicatorDefinition } from "@p06/subgraph-kit";

const bySubgraph: Record<string, IndicatorDefinition[]> = {
  plan: planDefinitions,
  identity,
  procedures,
  health,
  education,
  "social-security": socialSecurity,
};

describe("indicator ownership", () => {
  it("reports every Appendix I indicator through the subgraph of its first-named agency, once", () => {
    const owners = new Map<string, string[]>();
    for (const [subgraph, definitions] of Object.entries(bySubgraph)) {
      for (const definition of definitions) {
        const planned = catalogue.indicators.find((i) => i.code === definition.code);
        if (!planned || !definition.writers.includes(planned.trackingAgencies[0]!)) continue;
        owners.set(definition.code, [...(owners.get(definition.code) ?? []), subgraph]);
      }
    }
    expect([...owners.keys()].sort()).toEqual(catalogue.indicators.map((i) => i.code).sort());
    expect([...owners.values()].every((subgraphs) => subgraphs.length === 1)).toBe(true);
    expect(owners.get("II.5")).toEqual(["health"]);
  });

  it("lets a second agency contribute only where the plan names it: II.5 for schools", () => {
    const contributions = Object.entries(bySubgraph).flatMap(([subgraph, definitions]) =>
      definitions
        .filter((d) => {
          const planned = catalogue.indicators.find((i) => i.code === d.code);
          return planned && !d.writers.includes(planned.trackingAgencies[0]!);
        })
        .map((d) => [subgraph, d.code, d.writers]),
    );
    expect(contributions).toEqual([["education", "II.5", ["DOET"]]]);
    const ii5 = catalogue.indicators.find((i) => i.code === "II.5")!;
    expect(ii5.trackingAgencies).toContain("DOET");
  });

  it("marks every indicator beyond the plan as supplementary", () => {
    const beyond = Object.values(bySubgraph)
      .flat()
      .filter((d) => !catalogue.indicators.some((i) => i.code === d.code));
    expect(beyond.map((d) => d.code)).toEqual(["EDU-S1", "EDU-S2"]);
    expect(beyond.every((d) => d.supplementary?.title && d.supplementary.titleVi)).toBe(true);
  });
});

describe("demo data", () => {
  // read on 1 December: January to October all in, late reports included
  const now = new Date("2026-12-01T00:00:00Z");
  const options = {
    seed: 6,
    from: "2026-01",
    to: "2026-10",
    units: reportingUnitCodes(),
    cityCode: CITY.code,
    now,
  };

  it("is reproducible from its seed, and another seed gives other figures", () => {
    const first = demoValues(health, options);
    expect(demoValues(health, options)).toEqual(first);
    expect(demoValues(health, { ...options, seed: 7 })).not.toEqual(first);
  });

  it("passes every subgraph's own validation, breakdowns included", () => {
    for (const definitions of Object.values(bySubgraph)) {
      const scope = {
        definitions: new Map(definitions.map((d) => [d.code, d])),
        units: new Set(options.units),
        cityCode: CITY.code,
        commune: null,
        now,
      };
      for (const value of demoValues(definitions, options)) {
        // what a reporter submits: the value of a ratio or percentage is computed, not given
        const counted = scope.definitions.get(value.indicator)!.measure === "COUNT";
        const input = {
          ...value,
          value: counted ? value.value : null,
          breakdown: value.breakdown.map((b) => ({ ...b, value: counted ? b.value : null })),
        };
        const result = validateValue(input, { ...scope, agency: value.reportedBy });
        expect("problem" in result ? result.problem : null).toBeNull();
      }
    }
  });

  it("puts some indicators ahead and some behind, and some communes lagging", () => {
    const values = demoValues(identity, options).filter((v) => v.indicator === "III.3");
    const october = values.filter((v) => v.period === "2026-10").map((v) => v.value!);
    const january = values.filter((v) => v.period === "2026-01").map((v) => v.value!);
    expect(Math.max(...october) - Math.min(...october)).toBeGreaterThan(15);
    const changes = Object.values(bySubgraph)
      .flat()
      .filter((d) => d.measure === "PERCENT" && d.level === "COMMUNE")
      .map((d) => {
        const series = demoValues([d], options).filter((v) => v.unit === "10507");
        return series.at(-1)!.value! - series[0]!.value!;
      });
    expect(changes.some((change) => change > 20)).toBe(true);
    expect(changes.some((change) => change < 10)).toBe(true);
    expect(january.length).toBe(114);
  });
});
