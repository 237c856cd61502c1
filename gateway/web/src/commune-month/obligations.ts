// A commune's month as the page reads it: the obligations of every reporting subgraph's part of the
// answer (ReportingUnit.<subgraph>Obligations) in one list, each knowing which subgraph takes its
// figure, and grouped by the agencies that ask for them.
import type { SubgraphKey } from "../agency-subgraph.js";
import type { WebCommuneMonthQuery } from "../graphql/generated/graphql.js";

type Unit = NonNullable<WebCommuneMonthQuery["reportingUnit"]>;
type Part = Unit["identityObligations"];
export type RawObligation = Part["obligations"][number];

/** One figure the commune owes, with the subgraph whose mutation takes it. */
export interface Obligation extends RawObligation {
  subgraph: SubgraphKey;
  /** Unique in the month: an indicator may be asked for by two subgraphs (II.5: health, education). */
  key: string;
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

/** Every obligation of the answer, subgraph by subgraph, each in indicator code order. */
export function obligationsOf(unit: Unit): Obligation[] {
  return Object.entries(PARTS).flatMap(([subgraph, field]) =>
    // a subgraph that did not answer leaves its part out (the page names it)
    ((unit[field] as Part | null)?.obligations ?? []).map((o) => ({
      ...o,
      subgraph: subgraph as SubgraphKey,
      key: obligationKey(subgraph as SubgraphKey, o.indicator),
    })),
  );
}

export interface AgencyGroup {
  /** The asking agencies' codes, joined: one group per distinct set. */
  key: string;
  agencies: string[];
  obligations: Obligation[];
}

/** Obligations grouped by the agencies that ask for them, in the order each group first appears. */
export function byAgency(obligations: Obligation[]): AgencyGroup[] {
  const groups = new Map<string, AgencyGroup>();
  for (const o of obligations) {
    const key = o.agencies.join("+");
    const group = groups.get(key) ?? { key, agencies: o.agencies, obligations: [] };
    group.obligations.push(o);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Whether the month takes figures: not while it is with the departments for review, nor accepted. */
export const isOpen = (o: Obligation) =>
  o.monthState !== "SUBMITTED" && o.monthState !== "ACCEPTED";
