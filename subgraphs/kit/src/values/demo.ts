// Plausible monthly figures for every indicator and reporting unit, reproducible from a seed: some
// indicators ahead of their targets, some behind, one in ten communes lagging, a few going backwards.
import type { IndicatorDefinition } from "./definitions.js";
import type { DataValueDoc } from "./model.js";
import { figureOf } from "./validate.js";

/** A small, fast, seedable generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16777619);
  return h >>> 0;
}

export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split("-").map(Number) as [number, number];
  for (;;) {
    const period = `${year}-${String(month).padStart(2, "0")}`;
    if (period > to) return months;
    months.push(period);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}

/** Which of four trends an indicator follows, by its code and the seed. */
const TRENDS = ["AHEAD", "ON_TRACK", "BEHIND", "DETERIORATING"] as const;

export interface DemoOptions {
  seed: number;
  from: string;
  to: string;
  units: string[];
  cityCode: string;
}

/** When a month's report arrived: mostly by the 10th of the next month, lagging units later. */
function reportedAt(period: string, lateDays: number): Date {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1 + lateDays, 9));
}

export function demoValues(
  definitions: IndicatorDefinition[],
  options: DemoOptions,
): DataValueDoc[] {
  const months = monthsBetween(options.from, options.to);
  const communes = options.units.filter((u) => u !== options.cityCode);
  const values: DataValueDoc[] = [];
  for (const definition of definitions) {
    const rand = random(options.seed ^ hash(definition.code));
    const trend = TRENDS[Math.floor(rand() * TRENDS.length)]!;
    // monthly change of the rate in percentage points
    const slope = { AHEAD: 3, ON_TRACK: 1.6, BEHIND: 0.6, DETERIORATING: -0.5 }[trend];
    const start = 20 + rand() * 40;
    const units = definition.level === "COMMUNE" ? communes : [options.cityCode];
    for (const unit of units) {
      const unitRand = random(options.seed ^ hash(`${definition.code}|${unit}`));
      const lagging = unitRand() < 0.1;
      const offset = (unitRand() - 0.5) * 10 - (lagging ? 15 : 0);
      const size = 200 + Math.floor(unitRand() * 4800);
      months.forEach((period, m) => {
        const noise = (unitRand() - 0.5) * 2;
        const rate = Math.min(
          100,
          Math.max(0, start + offset + (lagging ? slope / 3 : slope) * m + noise),
        );
        const late = lagging ? 8 + Math.floor(unitRand() * 10) : Math.floor(unitRand() * 9);
        const base = {
          indicator: definition.code,
          unit,
          period,
          comment: null,
          breakdown: [],
          reportedBy: definition.writers[0]!,
          reportedAt: reportedAt(period, late),
          firstReportedAt: reportedAt(period, late),
          version: 1,
        };
        if (definition.measure === "MILESTONE") {
          values.push({
            ...base,
            numerator: null,
            denominator: null,
            value: null,
            met: trend !== "BEHIND" && m >= months.length - 3,
          });
        } else if (definition.measure === "COUNT") {
          // sized to the plan's target where it has one (12 databases, 1 system), else to the unit
          const full =
            definition.planTarget ?? (definition.aggregation === "FLOW" ? size / 20 : size);
          const count = Math.round((full * rate) / 100);
          values.push({ ...base, numerator: null, denominator: null, value: count, met: null });
        } else if (definition.measure === "RATIO") {
          // e.g. cashless payments over GRDP: towards the plan's target ratio
          const numerator = Math.round((definition.planTarget ?? 1) * rate) / 100;
          values.push({
            ...base,
            numerator,
            denominator: 1,
            value: figureOf("RATIO", numerator, 1),
            met: null,
          });
        } else {
          // a percentage: the breakdown's categories first, the total as their sum
          const categories = definition.breakdown?.categories ?? [];
          const parts = (categories.length ? categories : ["total"]).map((category, i) => {
            const denominator = Math.max(
              1,
              Math.floor((size / Math.max(categories.length, 1)) * (0.6 + ((i * 7) % 5) / 5)),
            );
            const partRate = Math.min(100, Math.max(0, rate + (i - 1) * 4));
            const numerator = Math.round((denominator * partRate) / 100);
            return {
              category,
              numerator,
              denominator,
              value: figureOf("PERCENT", numerator, denominator),
            };
          });
          const numerator = parts.reduce((a, p) => a + p.numerator, 0);
          const denominator = parts.reduce((a, p) => a + p.denominator, 0);
          values.push({
            ...base,
            numerator,
            denominator,
            value: figureOf("PERCENT", numerator, denominator),
            met: null,
            breakdown: categories.length ? parts : [],
          });
        }
      });
    }
  }
  return values;
}

/**
 * Re-submissions, so that history has versions: about one figure in fifty was first reported a little
 * lower and corrected a few days later. Bumps those figures to version 2 in place and returns their
 * first versions. The current figures are unchanged.
 */
export function demoResubmissions(values: DataValueDoc[], seed: number): DataValueDoc[] {
  const rand = random(seed ^ 0x5eed);
  return values.flatMap((current) => {
    if (rand() >= 0.02 || current.met !== null || current.value === null) return [];
    // a count one lower, or a numerator one lower over the same denominator
    const lower = Math.max(0, (current.numerator ?? current.value) - 1);
    const scale =
      (current.numerator ?? current.value) > 0 ? lower / (current.numerator ?? current.value) : 1;
    const first = {
      ...current,
      numerator: current.numerator === null ? null : lower,
      value: Math.round(current.value * scale * 100) / 100,
      breakdown: [],
      comment: null,
      version: 1,
    };
    const correctedAt = new Date(current.reportedAt.getTime() + 3 * 86_400_000);
    Object.assign(current, { version: 2, reportedAt: correctedAt, comment: "corrected" });
    return [first];
  });
}
