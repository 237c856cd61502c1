// Demo data a person can believe on the day it is read: the merged city's magnitudes for what each
// indicator counts, denominators that move as real ones do, nothing dated after the moment it is read,
// and the month whose reports are not due yet partly in, the months before complete with a few late.
// The bounds below are this test's own, from what each indicator counts (the catalogue's titles):
// they are not read from the generator, so a generator that drifts from the city fails here.
import { describe, expect, it } from "vitest";
import { CITY, reportingUnitCodes } from "@p06/catalogue";
import { planDefinitions } from "@p06/plan";
import { definitions as education } from "@p06/education";
import { definitions as health } from "@p06/health";
import { definitions as identity } from "@p06/identity";
import { definitions as procedures } from "@p06/procedures";
import { definitions as socialSecurity } from "@p06/social-security";
import {
  demoResubmissions,
  demoSpan,
  demoValues,
  dueDate,
  monthsBetween,
  type DataValueDoc,
  type IndicatorDefinition,
} from "@p06/subgraph-kit";

const bySubgraph: Record<string, IndicatorDefinition[]> = {
  plan: planDefinitions,
  identity,
  procedures,
  health,
  education,
  "social-security": socialSecurity,
};
const units = reportingUnitCodes();
const communes = units.filter((unit) => unit !== CITY.code);

/** 13:00 on Monday 7 December 2026 in Hai Phong: November is owed by the 10th. */
const DECEMBER_7 = new Date("2026-12-07T06:00:00Z");

interface Generated {
  subgraph: string;
  definition: IndicatorDefinition;
  values: DataValueDoc[];
}

/** Every subgraph's demo data as it stands at `now` (current versions; first versions apart). */
function generate(now: Date, env: NodeJS.ProcessEnv = {}) {
  const span = demoSpan(now, env);
  const indicators: Generated[] = [];
  const history: DataValueDoc[] = [];
  for (const [subgraph, definitions] of Object.entries(bySubgraph)) {
    const values = demoValues(definitions, {
      seed: 6,
      ...span,
      units,
      cityCode: CITY.code,
    });
    history.push(...demoResubmissions(values, 6, span.now));
    for (const definition of definitions) {
      indicators.push({
        subgraph,
        definition,
        values: values.filter((v) => v.indicator === definition.code),
      });
    }
  }
  return { span, indicators, history, all: indicators.flatMap((i) => i.values) };
}

const M = 1_000_000;
const RESIDENTS: Bounds = [4.4 * M, 5 * M];
const LEVEL_2_ACCOUNTS: Bounds = [2 * M, 4.7 * M];
const PROCEDURES: Bounds = [1_000, 3_000];
const SCHOOLS: Bounds = [800, 1_500];
type Bounds = readonly [number, number];

/**
 * The city's denominator (a count's value) for a month, by what the indicator counts, for the merged
 * Hai Phong of about 4.66 million residents on 3,194 km² in 114 communes. Wide on purpose: these catch
 * a magnitude no one in the city would believe (283,885 ID-card holders, 2,854 adults, 652 mobile
 * subscribers), not a guess a few percent off. Keyed subgraph:code where two subgraphs share a code.
 */
const BOUNDS: Record<string, Bounds> = {
  "I.1": PROCEDURES,
  "I.2": PROCEDURES,
  "I.3": PROCEDURES,
  "I.4": LEVEL_2_ACCOUNTS, // people's and organisations' e-identity accounts
  "I.5": [50_000, 600_000], // dossiers received in a month
  "I.6": [2_000, 40_000], // people surveyed in a month
  "I.7": [5, 200], // integrations between two centres
  "I.8": [1.2 * M, 1.9 * M], // dwellings (about 1.4 million households) and premises
  "I.9": PROCEDURES,
  "II.1": [15_000, 300_000], // dossiers with a fee in a month
  "II.2": [5_000, 120_000], // sellers on e-commerce platforms
  "II.3": [2 * M, 4.2 * M], // customers of financial services
  "II.4": [4.4 * M, 9.5 * M], // mobile subscriptions: one or two a resident
  "health:II.5": [400, 5_000], // hospitals, commune health stations, clinics
  "education:II.5": SCHOOLS,
  "II.6": [1 * M, 60 * M], // online orders and deliveries in a month
  "II.7": [3.2 * M, 3.9 * M], // residents aged 15+: about three in four
  "II.8": [1 * M, 60 * M], // online orders in a month
  "II.9": [400, 900], // GRDP, VND trillion a year
  "II.10": [10, 30], // economic sectors
  "II.11": [200, 2_000], // bank branches and offices
  "II.12": RESIDENTS,
  "III.1": RESIDENTS,
  "III.2": LEVEL_2_ACCOUNTS,
  "III.3": [3.5 * M, 4.9 * M], // ID-card holders: nearly everyone from 14, some children
  "III.4": [0, 3_000], // accounts issued to foreigners in a month
  "III.5": LEVEL_2_ACCOUNTS,
  "III.6": [30_000, 150_000], // civil servants and public employees
  "III.7": [114, 200], // departments and the 114 communes
  "III.8": [2 * M, 3.1 * M], // the labour force
  "III.9": SCHOOLS,
  "III.10": LEVEL_2_ACCOUNTS,
  "IV.1": [10, 500], // data catalogues
  "IV.2": [5, 200], // databases
  "IV.3": LEVEL_2_ACCOUNTS,
  "IV.4": [0, 12], // of the 12 national databases
  "IV.5": [0.3 * M, 20 * M], // electronic transactions in a month
  "IV.6": PROCEDURES,
  "IV.7": [5, 100], // document types
  "IV.10": RESIDENTS,
  "V.1": RESIDENTS,
  "V.2": [150_000, 800_000], // pensioners, social allowance and unemployment beneficiaries
  "V.3": [0, 1], // the one system
  "V.4": [0, 1],
  "V.5": [20, 2_000], // forged-document crimes of 2025
  "V.6": [5_000, 500_000], // law violators on record
  "V.8": [2, 50], // databases to connect
  "V.9": [100, 5_000], // fraud crimes of 2025
  "VI.1": [0, 20], // data sets
  "VI.2": [0, 50], // research applications
  "VI.4": [0, 50], // model products
  "EDU-S1": [600_000, 1.1 * M], // school students
  "EDU-S2": [0, 150_000], // diplomas and certificates in a month
};

/** Denominators that are a month's flow (dossiers, orders, people surveyed): they swing. */
const FLOWS = new Set(["I.5", "I.6", "II.1", "II.6", "II.8", "IV.5"]);
/**
 * Denominators that only grow, by at most this share a month: residents or a share of them (about
 * 0.9% a year), and ID-card holders (children's cards, voluntary, are still being taken up).
 */
const GROWING: Record<string, number> = {
  "II.7": 0.003,
  "II.12": 0.003,
  "III.1": 0.003,
  "III.8": 0.003,
  "IV.10": 0.003,
  "V.1": 0.003,
  "III.3": 0.01,
};

const sum = (values: DataValueDoc[], pick: (v: DataValueDoc) => number | null) =>
  values.reduce((total, v) => total + (pick(v) ?? 0), 0);
const ofMonth = (values: DataValueDoc[], period: string) =>
  values.filter((v) => v.period === period);

describe("demo data, as it stands on 7 December 2026", () => {
  const today = generate(DECEMBER_7);

  it("runs from January 2026 to November, the month before this one", () => {
    expect(today.span).toEqual({ from: "2026-01", to: "2026-11", now: DECEMBER_7 });
    const periods = new Set(today.all.map((v) => v.period));
    expect([...periods].sort()).toEqual(monthsBetween("2026-01", "2026-11"));
  });

  it("sizes every indicator by what it counts, for a city of 4.66 million", () => {
    const unbounded: string[] = [];
    const outside: string[] = [];
    for (const { subgraph, definition, values } of today.indicators) {
      if (definition.measure === "MILESTONE") continue;
      const bounds = BOUNDS[`${subgraph}:${definition.code}`] ?? BOUNDS[definition.code];
      if (!bounds) {
        unbounded.push(`${subgraph}:${definition.code}`);
        continue;
      }
      for (const period of ["2026-01", "2026-10"]) {
        const month = ofMonth(values, period);
        const total =
          definition.measure === "COUNT"
            ? sum(month, (v) => v.value)
            : sum(month, (v) => v.denominator);
        if (total < bounds[0] || total > bounds[1]) {
          outside.push(
            `${subgraph}:${definition.code} ${period}: ${total} not in ${bounds.join("-")}`,
          );
        }
      }
    }
    expect(unbounded, "indicators this test has no bounds for").toEqual([]);
    expect(outside).toEqual([]);
  });

  it("gives ratios and percentages values their measures allow: II.9 near the plan's 27-30 times GRDP", () => {
    const ratio = today.indicators.find((i) => i.definition.code === "II.9")!;
    for (const v of ratio.values) {
      expect(v.value).toBeGreaterThan(15);
      expect(v.value).toBeLessThan(40);
    }
    for (const v of today.all) {
      if (v.denominator === null || v.indicator === "II.9") continue;
      expect(v.value).toBeGreaterThanOrEqual(0);
      expect(v.value).toBeLessThanOrEqual(100);
    }
  });

  it("shares the city among its communes by their residents, each commune the same in every indicator", () => {
    const residentsOf = (code: string, period: string) =>
      new Map(
        ofMonth(today.indicators.find((i) => i.definition.code === code)!.values, period).map(
          (v) => [v.unit, v.denominator!],
        ),
      );
    const january = residentsOf("III.1", "2026-01");
    expect(january.size).toBe(114);
    const total = [...january.values()].reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 4.66 * M) / (4.66 * M)).toBeLessThan(0.01);
    // the smallest, Bạch Long Vĩ island, has about a thousand people; no commune is a city
    expect(Math.min(...january.values())).toBeGreaterThan(500);
    expect(Math.max(...january.values())).toBeLessThan(250_000);
    for (const code of ["V.1", "II.12"]) {
      for (const [unit, residents] of residentsOf(code, "2026-01")) {
        expect(Math.abs(residents - january.get(unit)!), `${code} ${unit}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it("counts ID-card holders once: III.3's denominators are III.1's numerators, by age band", () => {
    const [iii1, iii3] = ["III.1", "III.3"].map(
      (code) => today.indicators.find((i) => i.definition.code === code)!.values,
    );
    const key = (v: DataValueDoc) => `${v.unit}|${v.period}`;
    const holders = new Map(iii1!.map((v) => [key(v), v]));
    expect(iii3!.length).toBeGreaterThan(1000);
    for (const v of iii3!) {
      const cards = holders.get(key(v))!;
      expect(v.denominator).toBe(cards.numerator);
      expect(v.breakdown.map((b) => [b.category, b.denominator])).toEqual(
        cards.breakdown.map((b) => [b.category, b.numerator]),
      );
    }
  });

  it("gives every commune a health station and a primary school, and hospitals to few of them", () => {
    const healthII5 = today.indicators.find(
      (i) => i.subgraph === "health" && i.definition.code === "II.5",
    )!;
    const schools = today.indicators.find((i) => i.definition.code === "III.9")!;
    const october = (values: DataValueDoc[]) => ofMonth(values, "2026-10");
    const part = (v: DataValueDoc, category: string) =>
      v.breakdown.find((b) => b.category === category)?.denominator ?? 0;
    expect(october(healthII5.values).every((v) => part(v, "health-centre") >= 1)).toBe(true);
    expect(october(schools.values).every((v) => part(v, "primary") >= 1)).toBe(true);
    const withHospital = october(healthII5.values).filter((v) => part(v, "hospital") > 0).length;
    expect(withHospital).toBeGreaterThan(10);
    expect(withHospital).toBeLessThan(100);
  });

  it("moves denominators as real ones move: people slowly up, stocks by a little, flows by season", () => {
    const problems: string[] = [];
    for (const { subgraph, definition, values } of today.indicators) {
      if (definition.measure !== "PERCENT" && definition.measure !== "RATIO") continue;
      const series = new Map<string, DataValueDoc[]>();
      for (const v of values) series.set(v.unit, [...(series.get(v.unit) ?? []), v]);
      for (const [unit, months] of series) {
        months.sort((a, b) => a.period.localeCompare(b.period));
        months.slice(1).forEach((v, i) => {
          const before = months[i]!.denominator!;
          const now = v.denominator!;
          const where = `${subgraph}:${definition.code} ${unit} ${v.period}: ${before} to ${now}`;
          if (FLOWS.has(definition.code)) {
            // a month's flow swings with the season, within what the checks let pass unflagged
            if (now < before * 0.5 || now > before * 1.5) problems.push(where);
          } else if (Math.abs(now - before) > Math.max(1, before * 0.02)) {
            // a stock moves by 2% a month at most, or by one thing (a school opens)
            problems.push(where);
          }
          const growth = GROWING[definition.code];
          if (growth !== undefined && (now < before || now > before * (1 + growth))) {
            problems.push(`${where} (grows by up to ${growth * 100}% a month)`);
          }
        });
      }
    }
    expect(problems).toEqual([]);
  });

  it("never holds a denominator still for a year: residents, card holders and subscriptions change", () => {
    for (const code of ["III.1", "III.3", "II.4", "II.7", "IV.10", "V.2"]) {
      const values = today.indicators.find((i) => i.definition.code === code)!.values;
      const cityTotals = monthsBetween("2026-01", "2026-10").map((period) =>
        sum(ofMonth(values, period), (v) => v.denominator),
      );
      expect(new Set(cityTotals).size, code).toBeGreaterThan(5);
      if (code in GROWING) expect(cityTotals.at(-1)!, code).toBeGreaterThan(cityTotals[0]!);
    }
  });

  it("has November, due by the 10th, partly in, none of it late; October complete with a few late", () => {
    const expectedOf = (definition: IndicatorDefinition) =>
      definition.level === "COMMUNE" ? communes.length : 1;
    const expected = today.indicators.reduce((a, i) => a + expectedOf(i.definition), 0);
    const november = today.all.filter((v) => v.period === "2026-11");
    expect(november.length / expected).toBeGreaterThan(0.2);
    expect(november.length / expected).toBeLessThan(0.9);
    expect(november.every((v) => v.firstReportedAt <= dueDate("2026-11"))).toBe(true);
    // agencies still owe: what the 7 December reminders list
    const owing = new Set(
      today.indicators
        .filter((i) => ofMonth(i.values, "2026-11").length < expectedOf(i.definition))
        .map((i) => i.definition.writers[0]),
    );
    expect(owing.size).toBeGreaterThanOrEqual(5);

    const october = today.all.filter((v) => v.period === "2026-10");
    expect(october.length).toBe(expected);
    const late = october.filter((v) => v.firstReportedAt > dueDate("2026-10")).length;
    expect(late).toBeGreaterThan(0);
    expect(late / expected).toBeLessThan(0.1);
  });

  it("arrives on working days, in office hours, Hai Phong time", () => {
    const local = (at: Date) => new Date(at.getTime() + 7 * 3_600_000);
    const outside = today.all.filter((v) => {
      const at = local(v.firstReportedAt);
      return [0, 6].includes(at.getUTCDay()) || at.getUTCHours() < 8 || at.getUTCHours() > 17;
    });
    expect(outside.length).toBe(0);
  });

  it("corrects a few figures later, none of the corrections after now", () => {
    expect(today.history.length).toBeGreaterThan(100);
    const corrected = today.all.filter((v) => v.version === 2);
    expect(corrected.length).toBe(today.history.length);
    for (const v of corrected) expect(v.reportedAt > v.firstReportedAt).toBe(true);
  });
});

describe("demo data on any day", () => {
  // the day before the first reports, the deadline's last hour, the day after, the escalation,
  // the year's end, January
  const days = [
    "2026-11-30T17:30:00Z",
    "2026-12-10T16:30:00Z",
    "2026-12-11T02:00:00Z",
    "2026-12-15T03:00:00Z",
    "2026-12-31T13:00:00Z",
    "2027-01-05T03:00:00Z",
  ].map((day) => new Date(day));

  it("stamps nothing after the moment it is read: figures, first reports, corrections", () => {
    for (const now of days) {
      const { all, history } = generate(now);
      const after = [...all, ...history].filter(
        (v) => v.reportedAt > now || v.firstReportedAt > now || v.firstReportedAt > v.reportedAt,
      );
      expect(after.length, now.toISOString()).toBe(0);
    }
  });

  it("after the 10th, calls late only what came after it, and a few communes still owe", () => {
    const { all } = generate(new Date("2026-12-15T03:00:00Z"));
    const november = all.filter((v) => v.period === "2026-11");
    const due = dueDate("2026-11");
    const late = november.filter((v) => v.firstReportedAt > due);
    expect(late.length).toBeGreaterThan(0);
    expect(late.length / november.length).toBeLessThan(0.1);
    const expected = Object.values(bySubgraph)
      .flat()
      .reduce((a, d) => a + (d.level === "COMMUNE" ? communes.length : 1), 0);
    expect(november.length).toBeLessThan(expected);
    expect(november.length / expected).toBeGreaterThan(0.9);
  });

  it("keeps the five-year size for measuring: the plan's 60 months in full, read in February 2031", () => {
    const { span, all } = generate(DECEMBER_7, { P06_DEMO_YEARS: "5" });
    expect(span.to).toBe("2030-12");
    const perMonth = Object.values(bySubgraph)
      .flat()
      .reduce((a, d) => a + (d.level === "COMMUNE" ? communes.length : 1), 0);
    expect(all.length).toBe(60 * perMonth);
    expect(all.every((v) => v.reportedAt <= span.now)).toBe(true);
    // five years on, people still number about 4.9 million, not more
    const residents = sum(
      all.filter((v) => v.indicator === "III.1" && v.period === "2030-12"),
      (v) => v.denominator,
    );
    expect(residents).toBeGreaterThan(RESIDENTS[0]);
    expect(residents).toBeLessThan(RESIDENTS[1]);
  });
});
