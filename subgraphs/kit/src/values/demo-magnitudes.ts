// What each indicator's demo figures count, and how many of it the merged city has: the denominator
// of a percentage (by breakdown category where the agency breaks it down), the base of a ratio, the
// most a count can reach. Keyed by the plan's code, so an indicator keeps its magnitudes whichever
// subgraph reports it. Every number is an approximate public magnitude for January 2026 or an estimate
// that says so (nothing was looked up while writing this: check before quoting).
import {
  AGED_15_PLUS,
  CITY_RESIDENTS,
  LABOUR_FORCE,
  LEVEL_2_ACCOUNTS,
  PERSONS_PER_HOUSEHOLD,
  RESIDENTS_GROWTH,
  AGE_SHARES,
  type AgeBand,
} from "./demo-city.js";
import type { IndicatorDefinition } from "./definitions.js";

/** How a city total is shared among the communes. */
export type Split =
  /** by residents */
  | "residents"
  /** by residents, weighted towards wards (hospitals, clinics, bank branches gather in towns) */
  | "urban"
  /** the same in every unit (a commune health station each) */
  | "each";

/** How a quantity moves from month to month. */
export type Drift =
  /** grows (or shrinks) steadily by a share a month: people, schools, card holders */
  | { kind: "steady"; perMonth: number }
  /** wanders by up to ±step a month around a slow growth: subscriptions come and go */
  | { kind: "wander"; perMonth: number; step: number }
  /** a month's flow: seasonal factors by calendar month (January first), noise ±noise, growth */
  | { kind: "flow"; perMonth: number; noise: number; season?: readonly number[] };

/** One counted quantity: a denominator, or one breakdown category's part of it. */
export interface Quantity {
  /** The city's total in January 2026. */
  city: number;
  split: Split;
  drift: Drift;
  /** The fewest any commune has (a school, a health station), whatever its share. */
  atLeast?: number;
  /** Only the ID-card holders of the residents counted (III.3's denominators are III.1's numerators). */
  idCardHolders?: AgeBand;
  /** Points this category's rate stands above or below the indicator's. */
  offset?: number;
}

export interface Magnitude {
  /** What the numerator and the denominator count (the count's value, for a count). */
  counts: string;
  /** The denominator, or for a count the most it can reach; by breakdown category where it has one. */
  of: Quantity | Record<string, Quantity>;
  /** Where the rate stood in January 2026, % (of the plan's target, for a ratio). Default 20-60. */
  start?: readonly [number, number];
  /** Whether it can plausibly go backwards: a month's share, satisfaction, crime. Else it only grows. */
  canFall?: boolean;
  /** III.1: the rate is the ID-card coverage of each age band, not a trend. */
  idCardCoverage?: boolean;
}

const steady = (perMonth = 0): Drift => ({ kind: "steady", perMonth });
const fixed = (city: number, atLeast?: number): Quantity => ({
  city,
  split: "residents",
  drift: steady(),
  ...(atLeast !== undefined && { atLeast }),
});
const residents = (share: number, perMonth = RESIDENTS_GROWTH): Quantity => ({
  city: Math.round(CITY_RESIDENTS * share),
  split: "residents",
  drift: steady(perMonth),
});

/** Dossiers: fewer around Tết (February), more before it and at the year's end. */
const DOSSIER_SEASON = [1.06, 0.78, 1.02, 0.98, 1, 0.98, 0.97, 1, 1, 1.01, 1.02, 1.08] as const;
/** Online orders: fewer at Tết, more for the November and December sales. */
const ORDER_SEASON = [0.98, 0.82, 0.95, 0.96, 0.98, 1, 0.98, 1, 1.01, 1.03, 1.15, 1.12] as const;
/** Diplomas: lower-secondary certificates in June, upper-secondary diplomas in July and August. */
const DIPLOMA_SEASON = [0.6, 0.4, 0.6, 0.6, 0.8, 3, 4, 2.5, 0.8, 0.6, 0.6, 0.6] as const;

/**
 * Administrative procedures in the city's published lists (city and commune level): about 1,950, an
 * estimate from the City People's Committee's announced procedure lists (they change by decision).
 */
const PROCEDURES = fixed(1_950);

/** Enterprises in operation: Hai Phong about 23,000 + Hải Dương about 14,000 (yearbooks, approx.). */
const ENTERPRISES = 37_000;

/** Level-2 VNeID accounts of residents (demo-city.ts), growing with the campaign. */
const LEVEL_2 = residents(
  LEVEL_2_ACCOUNTS.start,
  LEVEL_2_ACCOUNTS.perMonth / LEVEL_2_ACCOUNTS.start,
);

/** Residents by the identity subgraph's age bands. */
const BY_AGE: Record<AgeBand, Quantity> = {
  "under-6": residents(AGE_SHARES["under-6"]),
  "6-to-under-14": residents(AGE_SHARES["6-to-under-14"]),
  "14-and-over": residents(AGE_SHARES["14-and-over"]),
};

/**
 * General schools by level, public and private, of the two former provinces' yearbooks added up
 * (approx.): about 470 primary, 430 lower-secondary and 115 upper-secondary. Every commune has its
 * primary and lower-secondary school (Bạch Long Vĩ a combined one).
 */
const SCHOOLS: Record<string, Quantity> = {
  primary: { ...fixed(470, 1), offset: 4 },
  "lower-secondary": { ...fixed(430, 1), offset: 0 },
  "upper-secondary": { ...fixed(115), offset: -4 },
};

export const MAGNITUDES: Record<string, Magnitude> = {
  "I.1": { counts: "procedures with their data fields listed / procedures", of: PROCEDURES },
  "I.2": { counts: "procedures with dossier papers cut / procedures", of: PROCEDURES },
  "I.3": { counts: "procedures whose status and results reach VNeID / procedures", of: PROCEDURES },
  "I.4": {
    counts: "e-identity account holders who get notices on VNeID / account holders",
    // level-2 accounts of people and the organisations' accounts
    of: { ...LEVEL_2, city: LEVEL_2.city + ENTERPRISES },
  },
  "I.5": {
    counts: "dossiers filed online in the month / dossiers received in the month",
    // about 2.2 million dossiers a year (estimate): a third are the city's procedures
    of: {
      "city-level": {
        city: 55_000,
        split: "residents",
        drift: { kind: "flow", perMonth: 0.002, noise: 0.05, season: DOSSIER_SEASON },
        offset: 5,
      },
      "commune-level": {
        city: 125_000,
        split: "residents",
        drift: { kind: "flow", perMonth: 0.002, noise: 0.05, season: DOSSIER_SEASON },
        offset: -3,
      },
    },
    start: [45, 75],
    canFall: true,
  },
  "I.6": {
    counts: "satisfied respondents / respondents surveyed in the month",
    // about one dossier in twenty is surveyed (estimate), twenty people at least in a commune
    of: {
      city: 9_000,
      split: "residents",
      drift: { kind: "flow", perMonth: 0, noise: 0.05, season: DOSSIER_SEASON },
      atLeast: 20,
    },
    start: [80, 92],
    canFall: true,
  },
  "I.7": {
    // estimate: the data sets and services the two centres exchange, per the integration plan
    counts: "IOC-population data centre integrations done / integrations planned",
    of: fixed(24),
  },
  "I.8": {
    counts: "dwellings and premises with a digital address / dwellings and premises",
    // households (residents / 3.3, about 1.41 million) and about 60,000 premises of enterprises,
    // agencies and organisations (estimate); new homes add about 1.5% a year
    of: {
      city: Math.round(CITY_RESIDENTS / PERSONS_PER_HOUSEHOLD) + 60_000,
      split: "residents",
      drift: steady(0.0012),
    },
  },
  "I.9": { counts: "procedures filed anywhere in the city / procedures", of: PROCEDURES },
  "II.1": {
    counts: "dossiers paid online / dossiers with a fee, in the month",
    // about a third of dossiers carry a fee or charge (estimate)
    of: {
      "city-level": {
        city: 20_000,
        split: "residents",
        drift: { kind: "flow", perMonth: 0.002, noise: 0.05, season: DOSSIER_SEASON },
        offset: 4,
      },
      "commune-level": {
        city: 38_000,
        split: "residents",
        drift: { kind: "flow", perMonth: 0.002, noise: 0.05, season: DOSSIER_SEASON },
        offset: -2,
      },
    },
    canFall: true,
  },
  "II.2": {
    counts:
      "online sellers identified and linked to the tax office / sellers on e-commerce platforms",
    // about 37,000 enterprises and 140,000 household businesses, about one in seven selling on a
    // platform (estimate), their number growing about 1% a month
    of: { city: 26_000, split: "urban", drift: steady(0.01) },
  },
  "II.3": {
    counts:
      "customers who can identify with the ID card or VNeID / customers of financial services",
    // about 86% of those aged 15+ (SBV: about 87% of adults hold an account nationally, 2024)
    of: {
      city: Math.round(CITY_RESIDENTS * AGED_15_PLUS * 0.86),
      split: "residents",
      drift: steady(0.002),
    },
  },
  "II.4": {
    counts: "mobile subscriptions verified against the population data / mobile subscriptions",
    // about 1.2 subscriptions a resident (Vietnam: about 125 million for 101 million people, MIC
    // 2024, after the unregistered-SIM clean-up; approx.): they come and go by a few tenths a month
    of: {
      city: Math.round(CITY_RESIDENTS * 1.2),
      split: "residents",
      drift: { kind: "wander", perMonth: 0.0005, step: 0.003 },
    },
    start: [88, 96],
  },
  "II.5": {
    counts: "health facilities with cashless payment and the ID card for insurance / facilities",
    of: {
      // hospitals, public and private: Hai Phong about 45, Hải Dương about 33 (yearbooks, approx.)
      hospital: { city: 78, split: "urban", drift: steady(), offset: 6 },
      // one commune health station a commune-level unit since the July 2025 reorganisation
      "health-centre": { city: 114, split: "each", drift: steady(), atLeast: 1, offset: 0 },
      // private clinics: an estimate (about one for 3,000 residents), a few opening every month
      clinic: { city: 1_500, split: "urban", drift: steady(0.002), offset: -6 },
    },
  },
  "II.5/bySchoolLevel": {
    counts: "schools with cashless payment and the ID card as student card / schools",
    of: SCHOOLS,
  },
  "II.6": {
    counts: "e-commerce and delivery orders using location data / such orders in the month",
    // national e-commerce about 2.5 billion orders a year (MOIT/VECOM reports, approx.) at the city's
    // ~4.6% of the population, plus other deliveries: an estimate, growing ~15% a year
    of: {
      city: 11_000_000,
      split: "residents",
      drift: { kind: "flow", perMonth: 0.012, noise: 0.04, season: ORDER_SEASON },
    },
    canFall: true,
  },
  "II.7": {
    counts: "residents aged 15+ with a bank account / residents aged 15+",
    of: residents(AGED_15_PLUS),
    // SBV: about 87% of adults had an account nationally in 2024 (approx.)
    start: [78, 88],
  },
  "II.8": {
    counts: "e-commerce orders paid electronically / e-commerce orders in the month",
    of: {
      city: 8_500_000,
      split: "residents",
      drift: { kind: "flow", perMonth: 0.012, noise: 0.04, season: ORDER_SEASON },
    },
    canFall: true,
  },
  "II.9": {
    counts: "cashless payments over the last 12 months / GRDP, VND trillion",
    // GRDP at current prices: Hai Phong about 390 + Hải Dương about 190 trillion VND in 2025
    // (yearbooks and 2025 estimates, approx.), growing about 11% a year in money terms
    of: { city: 580, split: "residents", drift: steady(0.009) },
    // % of the plan's 30 times GRDP: about 23-27 times today
    start: [78, 90],
  },
  "II.10": {
    counts: "economic sectors applying population and identity data / sectors",
    // VSIC 2018's 21 sections (A-U)
    of: fixed(21),
  },
  "II.11": {
    counts: "bank branches and offices taking the ID card for a bank card / branches and offices",
    // estimate: about 700 bank branches and transaction offices in the merged city
    of: { city: 700, split: "urban", drift: steady(0.0005) },
  },
  "II.12": {
    counts: "residents with a linked electronic health record / residents",
    // residents by the facility of their health insurance first registration (estimate)
    of: {
      hospital: { ...residents(0.4), offset: 5 },
      "health-centre": { ...residents(0.48), offset: -3 },
      clinic: { ...residents(0.12), offset: 0 },
    },
  },
  "III.1": {
    counts: "residents holding an ID card / residents",
    of: BY_AGE,
    idCardCoverage: true,
  },
  "III.2": {
    counts: "level-2 account holders managing their data on VNeID / level-2 account holders",
    of: LEVEL_2,
  },
  "III.3": {
    counts: "ID-card holders with a level-2 account / ID-card holders",
    of: {
      "under-6": { ...BY_AGE["under-6"], idCardHolders: "under-6", offset: -30 },
      "6-to-under-14": { ...BY_AGE["6-to-under-14"], idCardHolders: "6-to-under-14", offset: -15 },
      "14-and-over": { ...BY_AGE["14-and-over"], idCardHolders: "14-and-over", offset: 4 },
    },
    start: [62, 74],
  },
  "III.4": {
    counts: "e-identity accounts issued to foreigners in the month",
    // estimate: about 20,000 foreigners live and work in the city's industrial zones; up to ~700
    // could be issued a month
    of: { city: 700, split: "residents", drift: { kind: "flow", perMonth: 0.005, noise: 0.1 } },
  },
  "III.5": {
    counts: "level-2 accounts active in the month / level-2 accounts",
    of: LEVEL_2,
    start: [25, 40],
    canFall: true,
  },
  "III.6": {
    counts: "state staff trained in basic digital skills / state staff",
    // civil servants and public employees, teachers and health staff included: about 72,000 after
    // the 2025 streamlining (estimate), still shrinking a little
    of: { city: 72_000, split: "residents", drift: steady(-0.0008) },
  },
  "III.7": {
    counts: "departments and communes running digital-literacy courses / departments and communes",
    // about 20 departments and sector agencies and the 114 commune-level units
    of: fixed(134),
  },
  "III.8": {
    counts: "workers with basic digital skills / labour force",
    of: residents(LABOUR_FORCE),
  },
  "III.9": {
    counts: "schools teaching digital skills and online safety / schools",
    of: SCHOOLS,
  },
  "III.10": {
    counts: "level-2 accounts with a social security account integrated / level-2 accounts",
    of: LEVEL_2,
  },
  "IV.1": {
    counts: "data catalogues listed in the shared dictionary / catalogues due",
    of: fixed(60), // estimate
  },
  "IV.2": {
    counts: "databases built by the shared digitisation system / databases",
    of: fixed(30), // estimate
  },
  "IV.3": {
    counts: "account holders able to supply their data on VNeID / account holders",
    of: { ...LEVEL_2, city: LEVEL_2.city + ENTERPRISES },
  },
  "IV.5": {
    counts: "electronic transactions certified on VNeID / electronic transactions in the month",
    // estimate: about half a transaction a resident a month between people and organisations
    of: {
      city: 2_400_000,
      split: "residents",
      drift: { kind: "flow", perMonth: 0.01, noise: 0.05 },
    },
    start: [5, 20],
    canFall: true,
  },
  "IV.6": { counts: "procedures whose results reach VNeID / procedures", of: PROCEDURES },
  "IV.7": {
    counts: "document types verifiable on VNeID / document types planned",
    of: fixed(30), // estimate
  },
  "IV.10": {
    counts: "residents covered by 5G / residents",
    // 5G commercial since October 2024; coverage an estimate
    of: residents(1),
    start: [55, 78],
  },
  "V.1": {
    counts: "residents with a social security benefit account / residents",
    of: residents(1),
  },
  "V.2": {
    counts: "beneficiaries paid through a social security account / beneficiaries",
    of: {
      // pensioners and monthly social insurance beneficiaries, about 4.5% of residents (estimate)
      pension: { city: 210_000, split: "residents", drift: steady(0.0015), offset: 6 },
      // monthly social assistance: the elderly, people with disabilities, orphans (estimate)
      "social-allowance": { city: 160_000, split: "residents", drift: steady(0.001), offset: -4 },
      // unemployment benefit recipients in a month (estimate), coming and going
      unemployment: {
        city: 5_000,
        split: "urban",
        drift: { kind: "flow", perMonth: 0, noise: 0.08 },
        offset: 0,
      },
    },
  },
  "V.5": {
    counts: "fewer forged-document crimes than 2025 / forged-document crimes of 2025",
    of: fixed(150), // estimate of the 2025 baseline (cases)
    canFall: true,
  },
  "V.6": {
    counts: "law violators searchable in the population data / law violators on record",
    of: { city: 48_000, split: "residents", drift: steady(0.002) }, // estimate
  },
  "V.8": {
    counts: "databases connected for social security payments / databases to connect",
    of: fixed(8), // estimate
  },
  "V.9": {
    counts: "fewer fraud crimes than 2025 / fraud crimes of 2025",
    of: fixed(700), // estimate of the 2025 baseline (cases)
    start: [5, 20],
    canFall: true,
  },
  "VI.1": { counts: "anonymised data sets completed", of: fixed(4) },
  "VI.2": { counts: "research applications on population and identity data", of: fixed(8) },
  "VI.4": { counts: "State-School-Business model products", of: fixed(5) },
  "EDU-S1": {
    counts: "students with a digital school record / students",
    // cohorts of about 70,000 births a year: about 350,000 primary, 285,000 lower-secondary and
    // 165,000 upper-secondary students (both yearbooks added up, approx.)
    of: {
      primary: { ...fixed(350_000), drift: steady(0.0008), offset: 3 },
      "lower-secondary": { ...fixed(285_000), drift: steady(0.0008), offset: 0 },
      "upper-secondary": { ...fixed(165_000), drift: steady(0.0008), offset: -3 },
    },
  },
  "EDU-S2": {
    counts: "digital diplomas and certificates issued in the month",
    of: {
      city: 6_000,
      split: "residents",
      drift: { kind: "flow", perMonth: 0.004, noise: 0.1, season: DIPLOMA_SEASON },
    },
  },
};

/** For an indicator the table does not know (a new agency's own): modest, and said to be a guess. */
function fallback(definition: IndicatorDefinition): Magnitude {
  if (definition.measure === "COUNT") {
    return definition.aggregation === "FLOW"
      ? {
          counts: "things done in the month (no magnitude known: a guess)",
          of: { city: 1_000, split: "residents", drift: { kind: "flow", perMonth: 0, noise: 0.1 } },
        }
      : { counts: "things in place (no magnitude known: a guess)", of: fixed(10) };
  }
  return {
    counts: "records (no magnitude known: a guess of one for 40 residents)",
    of: { city: Math.round(CITY_RESIDENTS / 40), split: "residents", drift: steady(0.001) },
  };
}

/** The indicator's magnitudes: by its code and breakdown (II.5's schools), else by its code. */
export function magnitudeOf(definition: IndicatorDefinition): Magnitude {
  const field = definition.breakdown?.field;
  const known = (field && MAGNITUDES[`${definition.code}/${field}`]) || MAGNITUDES[definition.code];
  if (known) return known;
  // a count the plan sizes (12 databases, 1 system) reaches its target
  if (definition.measure === "COUNT" && definition.planTarget !== undefined) {
    return { counts: "the plan's target count", of: fixed(definition.planTarget) };
  }
  return fallback(definition);
}
