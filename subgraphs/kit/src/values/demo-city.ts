// The merged city the demo data describes: its people, how they are spread over the 114 communes,
// wards and special zones, and how their numbers move. Every figure is an approximate public
// magnitude (no network when this was written: nothing here was looked up), named with its source;
// where there is no public figure, the estimate says so. Replace with official figures before
// anyone reads the demo as fact.
import { bundledReportingUnits, type ReportingUnitKind } from "@p06/catalogue";

/**
 * Residents in January 2026: about 4.66 million, the "quy mô dân số" of the merged Hai Phong in
 * Resolution 202/2025/QH15 (Hải Dương merged into Hai Phong from 1 July 2025; 3,194.7 km²). That is
 * above the GSO yearbooks' 2024 average population (about 2.1M for Hai Phong + 1.95M for Hải Dương
 * ≈ 4.05M): as we understand it, the merger scheme counted permanent and temporary residents of the
 * National Population Database. Rounded: check the resolution's exact figure.
 */
export const CITY_RESIDENTS = 4_660_000;

/** Growth a month: about 0.9% a year (GSO yearbooks: natural increase plus net migration, approx.). */
export const RESIDENTS_GROWTH = 0.00075;

/**
 * Shares of residents by the identity subgraph's age bands: Vietnam's age structure (GSO 2024
 * population change survey: about 24% under 15; Red River Delta alike), approximate.
 */
export const AGE_SHARES = { "under-6": 0.084, "6-to-under-14": 0.129, "14-and-over": 0.787 };

/** Aged 15 and over: the population II.7 counts (GSO age structure: about 76%, approx.). */
export const AGED_15_PLUS = 0.761;

/** Persons a household: Red River Delta about 3.3 (GSO), so about 1.41 million households. */
export const PERSONS_PER_HOUSEHOLD = 3.3;

/** The labour force: about 68% of those aged 15+ (GSO labour force survey, region, approx.). */
export const LABOUR_FORCE = AGED_15_PLUS * 0.68;

/**
 * Citizens holding an ID card, by age band, in January 2026 and the points gained a month. From 14 the
 * card is compulsory and nearly universal; under 14 it is voluntary since the 2023 Identity Law
 * (1 July 2024) and rising with school drives. Estimates: no public figure by age band for the city.
 */
export const ID_CARD_COVERAGE = {
  "under-6": { start: 0.12, perMonth: 0.006, most: 0.6 },
  "6-to-under-14": { start: 0.36, perMonth: 0.01, most: 0.9 },
  "14-and-over": { start: 0.982, perMonth: 0.0004, most: 0.995 },
} as const;
export type AgeBand = keyof typeof ID_CARD_COVERAGE;

/**
 * Level-2 electronic identity (VNeID) accounts as a share of residents, January 2026, and points a
 * month: an estimate from the national campaign's reported progress (most adults, few children).
 */
export const LEVEL_2_ACCOUNTS = { start: 0.64, perMonth: 0.004 };

/** A unit's residents and what sort of place it is. */
export interface UnitPlace {
  code: string;
  kind: ReportingUnitKind;
  /** Residents in January 2026 (estimated: see bundledResidents). */
  residents: number;
}

/**
 * The dense old centres: the inner wards of Hai Phong's former urban districts (Hồng Bàng, Ngô Quyền,
 * Lê Chân, Hải An, Kiến An) and of the former Hải Dương city. Chosen by name and place; their sizes
 * below are estimates, not census figures.
 */
const CENTRAL_WARDS = new Set([
  "11311", // Hồng Bàng
  "11329", // Ngô Quyền
  "11359", // Gia Viên
  "11383", // Lê Chân
  "11407", // An Biên
  "11411", // Đông Hải
  "11413", // Hải An
  "11443", // Kiến An
  "10525", // Hải Dương
  "10507", // Thành Đông
  "10532", // Lê Thanh Nghị
  "10537", // Tân Hưng
  "10543", // Việt Hòa
]);

/**
 * The two special zones, estimated: Cát Hải (the former island district, about 33,000 at the 2019
 * census, growing with Cát Bà's tourism) and Bạch Long Vĩ (an island of about a thousand residents).
 */
const SPECIAL_ZONES: Record<string, number> = { "11914": 37_000, "11948": 1_100 };

/** Relative size of a unit before scaling to the city: centres about three communes, wards 1.3. */
const WEIGHT: Record<ReportingUnitKind, number> = {
  CITY: 0,
  WARD: 1.3,
  COMMUNE: 1,
  SPECIAL_ZONE: 1,
};

function hash(text: string): number {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16777619);
  return h >>> 0;
}

/**
 * Each commune-level unit's residents in January 2026. The repository has no population by commune
 * (the commune list is code, name and type), so these are shares derived plausibly: the special zones
 * as estimated above, every other unit of the bundled list by its kind (a central ward about three
 * communes, another ward 1.3) with a fixed ±20% variation of its own, scaled so that the 114 units add
 * up to CITY_RESIDENTS. Replace with the per-unit figures of the 2025 arrangement scheme (Đề án
 * 381/ĐA-CP) or GSO's when they are at hand.
 */
function bundledResidents(): Map<string, UnitPlace> {
  const places = bundledReportingUnits()
    .filter((unit) => unit.kind !== "CITY")
    .map(({ code, kind }) => {
      const variation = 0.8 + ((hash(`residents|${code}`) % 1000) / 1000) * 0.4;
      const weight = (CENTRAL_WARDS.has(code) ? 3 : WEIGHT[kind]) * variation;
      return { code, kind, weight, fixed: SPECIAL_ZONES[code] };
    });
  const fixed = places.reduce((sum, p) => sum + (p.fixed ?? 0), 0);
  const weights = places.reduce((sum, p) => sum + (p.fixed === undefined ? p.weight : 0), 0);
  const perWeight = (CITY_RESIDENTS - fixed) / weights;
  return new Map(
    places.map((p) => [
      p.code,
      { code: p.code, kind: p.kind, residents: p.fixed ?? Math.round(p.weight * perWeight) },
    ]),
  );
}

let bundled: Map<string, UnitPlace> | undefined;

/**
 * The places of the given units, and every place the city's figures are shared among: the bundled
 * list and any unit not in it (a newer official list), sized as an average commune. Sharing among all
 * keeps a commune's figures its own whichever units a caller asks for.
 */
export function demoPlaces(
  units: string[],
  cityCode: string,
): { requested: UnitPlace[]; all: UnitPlace[] } {
  bundled ??= bundledResidents();
  const average = Math.round(CITY_RESIDENTS / bundled.size);
  const requested = units
    .filter((code) => code !== cityCode)
    .map((code): UnitPlace => bundled!.get(code) ?? { code, kind: "COMMUNE", residents: average });
  const extra = requested.filter((place) => !bundled!.has(place.code));
  return { requested, all: [...bundled.values(), ...extra] };
}
