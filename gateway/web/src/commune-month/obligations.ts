// A commune's month as the page reads it: every reporting subgraph's part of the answer
// (ReportingUnit.<subgraph>Obligations), its obligations each knowing which subgraph takes its figure
// and where the commune's month stands with the agencies that ask for it (their review), grouped by
// those agencies.
import type { SubgraphKey } from "../agency-subgraph.js";
import type { WebCommuneMonthQuery } from "../graphql/generated/graphql.js";

type Unit = NonNullable<WebCommuneMonthQuery["reportingUnit"]>;
type Part = NonNullable<Unit["identityObligations"]>;
export type RawObligation = Part["obligations"][number];
export type Review = Part["reviews"][number];

/** One figure the commune owes, with the subgraph whose mutation takes it. */
export interface Obligation extends RawObligation {
  subgraph: SubgraphKey;
  /** Unique in the month: an indicator may be asked for by two subgraphs (II.5: health, education). */
  key: string;
  /** The commune's month with each agency that asks for this figure. */
  reviews: Review[];
}

/** One subgraph's part of the month. */
export interface MonthPart {
  subgraph: SubgraphKey;
  reviews: Review[];
  obligations: Obligation[];
}

/** Each subgraph's field on ReportingUnit, in the order the page lists them. */
const PARTS = {
  identity: "identityObligations",
  procedures: "proceduresObligations",
  health: "healthObligations",
  education: "educationObligations",
  socialSecurity: "socialSecurityObligations",
  plan: "planObligations",
} as const satisfies Record<SubgraphKey, keyof Unit>;

export const obligationKey = (subgraph: SubgraphKey, indicator: string) =>
  `${subgraph}|${indicator}`;

/** Every subgraph's part of the answer (one that did not answer is left out: the page names it). */
export function partsOf(unit: Unit): MonthPart[] {
  return Object.entries(PARTS).flatMap(([name, field]) => {
    const part = unit[field] as Part | null;
    if (!part) return [];
    const subgraph = name as SubgraphKey;
    const obligations = part.obligations.map((o) => ({
      ...o,
      subgraph,
      key: obligationKey(subgraph, o.indicator),
      reviews: part.reviews.filter((r) => o.agencies.includes(r.agency)),
    }));
    return [{ subgraph, reviews: part.reviews, obligations }];
  });
}

/** Every obligation of the answer, subgraph by subgraph, each in indicator code order. */
export const obligationsOf = (unit: Unit): Obligation[] =>
  partsOf(unit).flatMap((part) => part.obligations);

export interface AgencyGroup {
  /** The asking agencies' codes, joined: one group per distinct set. */
  key: string;
  agencies: string[];
  obligations: Obligation[];
  /** The commune's month with these agencies. */
  reviews: Review[];
}

/** Obligations grouped by the agencies that ask for them, in the order each group first appears. */
export function byAgency(obligations: Obligation[]): AgencyGroup[] {
  const groups = new Map<string, AgencyGroup>();
  for (const o of obligations) {
    const key = o.agencies.join("+");
    const group = groups.get(key) ?? { key, agencies: o.agencies, obligations: [], reviews: [] };
    for (const review of o.reviews) {
      if (!group.reviews.some((r) => r.agency === review.agency)) group.reviews.push(review);
    }
    group.obligations.push(o);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const CLOSED = new Set(["SUBMITTED", "ACCEPTED"]);

/**
 * Whether the figure takes the commune's changes: not while the commune's month is with the agency
 * (or accepted by it), nor while the agency's own month is with the IOC (or accepted).
 */
export const isOpen = (o: Obligation) =>
  !CLOSED.has(o.monthState) && !o.reviews.some((r) => CLOSED.has(r.state));

/** The subgraphs the commune has a month to submit to: figures owed, and a review still open. */
export const toSubmit = (parts: MonthPart[]): SubgraphKey[] =>
  parts
    .filter(
      (part) =>
        part.obligations.length > 0 &&
        part.reviews.some((r) => r.state === "DRAFT" || r.state === "RETURNED"),
    )
    .map((part) => part.subgraph);
