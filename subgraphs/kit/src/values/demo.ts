// Monthly figures a person can believe, for every indicator and reporting unit, reproducible from a
// seed and read as of a given moment. Magnitudes are the merged city's (demo-magnitudes.ts): each
// commune's share follows its residents, denominators move as real ones do. Rates follow one of four
// trends (some indicators ahead of their targets, some behind, a few going backwards where that can
// happen), one in ten communes lags. Reports arrive as they would: most between the 3rd and the 10th
// of the next month, a few late, and none after the moment the data is read, so the month still owed
// is partly in.
import { ID_CARD_COVERAGE, demoPlaces, type AgeBand, type UnitPlace } from "./demo-city.js";
import { magnitudeOf, type Quantity } from "./demo-magnitudes.js";
import type { IndicatorDefinition } from "./definitions.js";
import type { DataValueDoc } from "./model.js";
import { figureOf } from "./validate.js";

/** A small, fast, seedable generator (mulberry32), uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
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

/** One draw in [0, 1) from the seed and a name: the same whatever else was drawn before. */
const draw = (seed: number, name: string) => seededRandom(seed ^ hash(name))();

/** One draw for a month of a named series (the name hashed once by the caller). */
const drawMonth = (seed: number, named: number, month: number) =>
  seededRandom(seed ^ named ^ Math.imul(month + 1, 0x9e3779b1))();

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

const monthIndex = (period: string) => {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return year * 12 + month - 1;
};

/** The month the magnitudes are given for: months count from it. */
const BASE_MONTH = monthIndex("2026-01");

/** Which of four trends an indicator follows, by its code and the seed. */
const TRENDS = ["AHEAD", "ON_TRACK", "BEHIND", "DETERIORATING"] as const;
/** Monthly change of the rate in percentage points. */
const SLOPE = { AHEAD: 3, ON_TRACK: 1.6, BEHIND: 0.6, DETERIORATING: -0.5 };

export interface DemoOptions {
  seed: number;
  from: string;
  to: string;
  units: string[];
  cityCode: string;
  /** When the data is read: nothing reported after it, the month not yet due partly reported. */
  now: Date;
}

/** Hai Phong is UTC+7: the hours below are its own. */
const VIETNAM_OFFSET_HOURS = 7;

/**
 * When an agency's report of a month for a unit arrives: a working hour of a working day between the
 * 3rd and the 10th of the next month (Hai Phong time), on time; late, from the 11th to the 25th, for
 * one report in a hundred, and for four in ten of the units that often are late (one in ten of an
 * agency's units). All of an agency's figures for a unit and month arrive together, as one report.
 */
export function demoArrival(seed: number, agency: string, unit: string, period: string): Date {
  const often = draw(seed, `slow|${agency}|${unit}`) < 0.1;
  const rand = seededRandom(seed ^ hash(`report|${agency}|${unit}|${period}`));
  const late = rand() < (often ? 0.4 : 0.01);
  let day = late ? 11 + Math.floor(rand() * 15) : 3 + Math.floor(rand() * 8);
  const hour = 8 + Math.floor(rand() * 9);
  const minute = Math.floor(rand() * 60);
  const [year, month] = period.split("-").map(Number) as [number, number];
  // month is 1-based: as a 0-based index it is already the next month. Offices close at the
  // weekend: a report on time went on the Friday before, a late one waits for Monday.
  const weekday = new Date(Date.UTC(year, month, day)).getUTCDay();
  if (weekday === 6) day += late ? 2 : -1;
  if (weekday === 0) day += late ? 1 : -2;
  return new Date(Date.UTC(year, month, day, hour - VIETNAM_OFFSET_HOURS, minute));
}

/**
 * Whole numbers that add up to `total`, shared by weight (largest remainders): 78 hospitals over
 * 114 communes are 78, most communes none.
 */
function shareOut(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const whole = exact.map(Math.floor);
  let left = total - whole.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    whole[i]! += 1;
    left -= 1;
  }
  return whole;
}

/** Wards gather hospitals, clinics and bank branches; communes have fewer for their people. */
const URBAN_WEIGHT = { CITY: 1, WARD: 1.8, COMMUNE: 0.6, SPECIAL_ZONE: 1 } as const;

/** Each unit's share in January 2026 of a city quantity. */
function unitBases(quantity: Quantity, places: UnitPlace[]): Map<string, number> {
  const weights = places.map((place) =>
    quantity.split === "each"
      ? 1
      : quantity.split === "urban"
        ? place.residents * URBAN_WEIGHT[place.kind]
        : place.residents,
  );
  const shares = shareOut(quantity.city, weights);
  return new Map(
    places.map((place, i) => [place.code, Math.max(shares[i]!, quantity.atLeast ?? 0)]),
  );
}

/**
 * How far a quantity has moved from January 2026 by month `m` (0 for January 2026; `named`: its
 * series' hashed name, for the draws).
 */
function driftFactor(quantity: Quantity, m: number, seed: number, named: number) {
  const { drift } = quantity;
  if (drift.kind === "steady") return (1 + drift.perMonth) ** m;
  if (drift.kind === "wander") {
    let factor = 1;
    for (let k = 1; k <= m; k++) {
      factor *= 1 + drift.perMonth + drift.step * (2 * drawMonth(seed, named, k) - 1);
    }
    return factor;
  }
  // m counts from a January: its calendar month is m modulo 12
  const season = drift.season?.[((m % 12) + 12) % 12] ?? 1;
  const noise = 1 + drift.noise * (2 * drawMonth(seed, named, m) - 1);
  return season * (1 + drift.perMonth) ** m * noise;
}

/** The share of a unit's residents in an age band holding an ID card in month `m`. */
export function idCardCoverage(unit: string, band: AgeBand, m: number): number {
  const { start, perMonth, most } = ID_CARD_COVERAGE[band];
  // communes differ, mostly for children's cards (voluntary): a fixed spread of their own
  const spread = band === "14-and-over" ? 0.01 : 0.12;
  const own = (draw(0, `id-card|${unit}|${band}`) - 0.5) * spread;
  return Math.min(most, Math.max(0, start + perMonth * m + own));
}

/** Holders of an ID card among `residents` of a band: III.1's numerator is III.3's denominator. */
const holders = (residents: number, unit: string, band: AgeBand, m: number) =>
  Math.round(residents * idCardCoverage(unit, band, m));

const clamp = (x: number) => Math.min(100, Math.max(0, x));

export function demoValues(
  definitions: IndicatorDefinition[],
  options: DemoOptions,
): DataValueDoc[] {
  const months = monthsBetween(options.from, options.to);
  const places = demoPlaces(options.units, options.cityCode);
  const city: UnitPlace = { code: options.cityCode, kind: "CITY", residents: 0 };
  const now = options.now.getTime();
  const values: DataValueDoc[] = [];
  // an agency's report for a unit and month brings all its indicators: worked out once
  const arrivals = new Map<string, Date>();
  const arrival = (agency: string, unit: string, period: string) => {
    const key = `${agency}|${unit}|${period}`;
    let at = arrivals.get(key);
    if (!at) arrivals.set(key, (at = demoArrival(options.seed, agency, unit, period)));
    return at;
  };
  for (const definition of definitions) {
    const magnitude = magnitudeOf(definition);
    const rand = seededRandom(options.seed ^ hash(definition.code));
    // an indicator of something that only accumulates (accounts, schools) does not go backwards
    const trends = magnitude.canFall ? TRENDS : TRENDS.filter((t) => t !== "DETERIORATING");
    const trend = trends[Math.floor(rand() * trends.length)]!;
    const slope = SLOPE[trend];
    const [low, high] = magnitude.start ?? [20, 60];
    const start = low + rand() * (high - low);
    // a milestone not behind is met from a month of its own
    const metFrom = trend === "BEHIND" ? Infinity : 4 + Math.floor(rand() * 24);

    // the denominator's parts: the agency's breakdown categories where the table has them all
    const categories = definition.breakdown?.categories ?? [];
    const table: Record<string, Quantity> =
      "city" in magnitude.of ? { total: magnitude.of as Quantity } : magnitude.of;
    const byCategory = categories.length > 0 && categories.every((c) => c in table);
    const parts = Object.entries(table).map(([category, quantity], i) => ({
      category,
      quantity,
      offset: quantity.offset ?? (i - 1) * 4,
    }));
    const units = definition.level === "COMMUNE" ? places.requested : [city];
    const bases = parts.map(({ quantity }) =>
      definition.level === "COMMUNE"
        ? unitBases(quantity, places.all)
        : new Map([[city.code, quantity.city]]),
    );

    for (const unit of units) {
      const named = hash(`${definition.code}|${unit.code}`);
      const unitRand = seededRandom(options.seed ^ named);
      const partNames = parts.map(({ category }) =>
        hash(`${definition.code}|${unit.code}|${category}`),
      );
      const lagging = unitRand() < 0.1;
      const offset = (unitRand() - 0.5) * 10 - (lagging ? 15 : 0);
      let counted = 0;
      for (const period of months) {
        const arrived = arrival(definition.writers[0]!, unit.code, period);
        if (arrived.getTime() > now) continue;
        const m = monthIndex(period) - BASE_MONTH;
        const noise = (drawMonth(options.seed, named, m) - 0.5) * 1.2;
        const rate = clamp(start + offset + (lagging ? slope / 3 : slope) * m + noise);
        const base = {
          indicator: definition.code,
          unit: unit.code,
          period,
          comment: null,
          breakdown: [],
          reportedBy: definition.writers[0]!,
          reportedAt: arrived,
          firstReportedAt: arrived,
          version: 1,
        };
        // each part's denominator this month: its share moved by its drift
        const denominators = parts.map(({ quantity }, i) => {
          const moved = Math.round(
            bases[i]!.get(unit.code)! * driftFactor(quantity, m, options.seed, partNames[i]!),
          );
          const own = Math.max(moved, quantity.atLeast ?? 0);
          return quantity.idCardHolders ? holders(own, unit.code, quantity.idCardHolders, m) : own;
        });
        const most = denominators.reduce((a, b) => a + b, 0);

        if (definition.measure === "MILESTONE") {
          values.push({
            ...base,
            numerator: null,
            denominator: null,
            value: null,
            met: m >= metFrom,
          });
        } else if (definition.measure === "COUNT") {
          // a stock of things done does not fall unless the indicator is going backwards
          const count = Math.round((most * rate) / 100);
          counted =
            trend === "DETERIORATING" || definition.aggregation === "FLOW"
              ? count
              : Math.max(count, counted);
          values.push({ ...base, numerator: null, denominator: null, value: counted, met: null });
        } else if (definition.measure === "RATIO") {
          // e.g. cashless payments over GRDP: towards the plan's target ratio
          const ratio = ((definition.planTarget ?? 1) * rate) / 100;
          const numerator = Math.round(most * ratio * 10) / 10;
          values.push({
            ...base,
            numerator,
            denominator: most,
            value: figureOf("RATIO", numerator, most),
            met: null,
          });
        } else {
          // a percentage: its parts first (a category with nothing to count left out), the total
          // as their sum
          const figures = parts.flatMap(({ category, offset: partOffset }, i) => {
            const denominator = denominators[i]!;
            if (denominator <= 0) return [];
            const numerator = magnitude.idCardCoverage
              ? holders(denominator, unit.code, category as AgeBand, m)
              : Math.min(
                  denominator,
                  Math.round((denominator * clamp(rate + (byCategory ? partOffset : 0))) / 100),
                );
            return [{ category, numerator, denominator }];
          });
          const numerator = figures.reduce((a, p) => a + p.numerator, 0);
          const denominator = Math.max(
            1,
            figures.reduce((a, p) => a + p.denominator, 0),
          );
          values.push({
            ...base,
            numerator,
            denominator,
            value: figureOf("PERCENT", numerator, denominator),
            met: null,
            breakdown: byCategory
              ? figures.map((p) => ({
                  ...p,
                  value: figureOf("PERCENT", p.numerator, p.denominator),
                }))
              : [],
          });
        }
      }
    }
  }
  return values;
}

/**
 * Re-submissions, so that history has versions: about one figure in fifty was first reported a little
 * lower and corrected one to five days later, where that day has come by `now`. Bumps those figures
 * to version 2 in place and returns their first versions. The current figures are unchanged.
 */
export function demoResubmissions(values: DataValueDoc[], seed: number, now: Date): DataValueDoc[] {
  const rand = seededRandom(seed ^ 0x5eed);
  return values.flatMap((current) => {
    const chosen = rand() < 0.02;
    // whole days later, at the same working hour
    const correctedAt = new Date(
      current.reportedAt.getTime() + (1 + Math.floor(rand() * 5)) * 86_400_000,
    );
    if (!chosen || current.met !== null || current.value === null) return [];
    if (correctedAt.getTime() > now.getTime()) return [];
    // a count, or a numerator over the same denominator, half a percent lower (one at least); a
    // ratio's numerator (money) to a tenth
    const was = current.numerator ?? current.value;
    const lower = Number.isInteger(was)
      ? Math.max(0, was - Math.max(1, Math.round(was * 0.005)))
      : Math.round(was * 0.995 * 10) / 10;
    const scale = was > 0 ? lower / was : 1;
    const first = {
      ...current,
      numerator: current.numerator === null ? null : lower,
      value:
        current.numerator === null ? lower : Math.round(current.value * scale * 10_000) / 10_000,
      breakdown: [],
      comment: null,
      version: 1,
    };
    Object.assign(current, { version: 2, reportedAt: correctedAt, comment: "corrected" });
    return [first];
  });
}
