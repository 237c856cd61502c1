// What a subgraph knows about each indicator it reports: how a value is measured, how months add up
// to a year, where it is reported, who may write it, and the breakdown its domain uses.

/** How one figure is expressed. */
export type Measure =
  /** numerator / denominator × 100, in 0-100 */
  | "PERCENT"
  /** numerator / denominator, any non-negative size (e.g. cashless payments / GRDP) */
  | "RATIO"
  /** a plain non-negative number */
  | "COUNT"
  /** met or not met */
  | "MILESTONE";

/** How months make a year: a stock takes its latest month, a flow adds its months up. */
export type TimeAggregation = "STOCK" | "FLOW";

/** Where figures are reported: by every commune (the city aggregated) or by the city alone. */
export type ReportingLevel = "COMMUNE" | "CITY";

export interface Breakdown {
  /** The GraphQL field that serves it, e.g. byFacilityType. */
  field: string;
  /** Allowed category codes, e.g. hospital, health-centre. */
  categories: string[];
}

export interface SupplementaryInfo {
  title: string;
  titleVi: string;
  unit: string;
}

export interface IndicatorDefinition {
  /** The plan's code (III.3) or, for a supplementary indicator, the agency's own (EDU-S1). */
  code: string;
  measure: Measure;
  aggregation: TimeAggregation;
  level: ReportingLevel;
  /** Agency codes that may submit values of it in this subgraph. */
  writers: string[];
  breakdown?: Breakdown;
  /** Set for an indicator the agency tracks beyond the plan. */
  supplementary?: SupplementaryInfo;
  /** The plan's largest numeric target, where it has one (sizes demo figures). */
  planTarget?: number;
}

/** The plan facts a definition is derived from (a catalogue entry). */
export interface PlanIndicatorFacts {
  code: string;
  unitVi: string | null;
  targets: { kind: string; value: number | null }[];
}

/** The measure the plan's unit and targets imply: %, a ratio of GRDP, a count, or a milestone. */
export function measureOf(facts: PlanIndicatorFacts): Measure {
  if (facts.targets.some((t) => t.kind === "MILESTONE")) return "MILESTONE";
  if (facts.unitVi === "%") return "PERCENT";
  if (facts.unitVi === "lần GRDP") return "RATIO";
  if (facts.unitVi === null && facts.targets.length === 0) return "MILESTONE";
  return "COUNT";
}

export type DefinitionOptions = Partial<Omit<IndicatorDefinition, "code" | "writers">>;

/** A definition for a plan indicator: measure from the plan, the rest from the agency's options. */
export function planIndicator(
  facts: PlanIndicatorFacts,
  writers: string[],
  options: DefinitionOptions = {},
): IndicatorDefinition {
  const numeric = facts.targets.flatMap((t) => (t.value === null ? [] : [t.value]));
  return {
    code: facts.code,
    ...(numeric.length > 0 && { planTarget: Math.max(...numeric) }),
    measure: options.measure ?? measureOf(facts),
    aggregation: options.aggregation ?? "STOCK",
    level: options.level ?? "CITY",
    writers,
    ...(options.breakdown && { breakdown: options.breakdown }),
  };
}
