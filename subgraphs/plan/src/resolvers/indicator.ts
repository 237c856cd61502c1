import {
  combineCityMonths,
  measureOf,
  type CityMonth,
  type Measure,
  type TimeAggregation,
} from "@p06/subgraph-kit";
import { catalogue, owningSubgraph } from "../catalogue/index.js";
import type { PlanContext } from "../context.js";
import type { IndicatorDoc } from "../models.js";
import { assessProgress, effectiveTarget } from "../progress.js";
import { checkYear } from "./arguments.js";

/** The concrete Indicator type of each agency subgraph; indicators of other agencies are the plan's. */
export const TYPE_BY_SUBGRAPH: Record<string, string> = {
  identity: "IdentityIndicator",
  procedures: "ProceduresIndicator",
  health: "HealthIndicator",
  education: "EducationIndicator",
  "social-security": "SocialSecurityIndicator",
};

export function indicatorTypeOf(indicator: IndicatorDoc): string {
  return TYPE_BY_SUBGRAPH[owningSubgraph(indicator) ?? ""] ?? "PlanIndicator";
}

/**
 * A reference to an indicator: of any type through the interface, of its own type otherwise. Fields
 * another subgraph provides for @requires (citySeries, ...) arrive in the reference and are kept
 * beside the catalogue document.
 */
const referenceResolver =
  (typeName?: string) => async (reference: { code: string }, ctx: PlanContext) => {
    const doc = await ctx.loaders.indicator.load(reference.code);
    if (!doc || (typeName && indicatorTypeOf(doc) !== typeName)) return null;
    return { ...doc, ...reference };
  };

/** The catalogue fields every indicator type has. */
const catalogueFields = {
  group: (indicator: IndicatorDoc) =>
    catalogue.indicatorGroups.find((group) => group.code === indicator.group),
  unit: (indicator: IndicatorDoc) => indicator.unitVi,
  targets: (indicator: IndicatorDoc) =>
    indicator.targets.map((target) => ({ ...target, indicator: indicator.code })),
  target: (indicator: IndicatorDoc, { year }: { year: number }) => {
    const target = indicator.targets.find((t) => t.year === year);
    return target ? { ...target, indicator: indicator.code } : null;
  },
  trackingAgencies: (indicator: IndicatorDoc, _: unknown, ctx: PlanContext) =>
    ctx.loaders.agency.loadMany(indicator.trackingAgencies),
  owner: (indicator: IndicatorDoc, _: unknown, ctx: PlanContext) =>
    ctx.loaders.agency.load(indicator.trackingAgencies[0]!),
};

type WithSeries = IndicatorDoc & {
  citySeries?: CityMonth[];
  educationContribution?: CityMonth[];
  measure?: Measure;
  timeAggregation?: TimeAggregation;
};

/** Progress from a series: the target with any assigned number, by Open SDG's method. */
export async function progressOf(
  indicator: IndicatorDoc,
  year: number,
  series: CityMonth[],
  measure: Measure,
  aggregation: TimeAggregation,
  ctx: PlanContext,
) {
  const assignments = await ctx.loaders.assignments.load(indicator.code);
  return assessProgress({
    year: checkYear(year),
    target: effectiveTarget(indicator.targets, year, assignments),
    series,
    measure,
    aggregation,
  });
}

/** Target.assigned: the latest number the IOC set for a text target. */
export const Target = {
  assigned: async (
    target: { indicator: string; year: number; kind: string },
    _: unknown,
    ctx: PlanContext,
  ) => {
    if (target.kind !== "ASSIGNED") return null;
    const latest = (await ctx.loaders.assignments.load(target.indicator))
      .filter((a) => a.year === target.year)
      .at(-1);
    return latest ? { ...latest, setAt: new Date(latest.setAt).toISOString() } : null;
  },
};

/** The entity interface: a reference to any Indicator resolves here, then to its concrete type. */
export const Indicator = {
  __resolveReference: referenceResolver(),
  __resolveType: indicatorTypeOf,
};

/** The agency types: the series comes from the agency subgraph through @requires. */
const agencyType = (typeName: string) => ({
  ...catalogueFields,
  __resolveReference: referenceResolver(typeName),
  series: (indicator: WithSeries) => indicator.citySeries ?? [],
  progress: (indicator: WithSeries, { year }: { year: number }, ctx: PlanContext) =>
    progressOf(
      indicator,
      year,
      indicator.citySeries ?? [],
      indicator.measure ?? measureOf(indicator),
      indicator.timeAggregation ?? "STOCK",
      ctx,
    ),
});

export const IdentityIndicator = agencyType("IdentityIndicator");
export const ProceduresIndicator = agencyType("ProceduresIndicator");
export const EducationIndicator = agencyType("EducationIndicator");
export const SocialSecurityIndicator = agencyType("SocialSecurityIndicator");
// II.5: hospitals (health) and schools (education) together, numerators over denominators
const healthSeries = (indicator: WithSeries) =>
  combineCityMonths(
    indicator.measure ?? measureOf(indicator),
    indicator.citySeries ?? [],
    indicator.educationContribution ?? [],
  );

export const HealthIndicator = {
  ...agencyType("HealthIndicator"),
  series: healthSeries,
  progress: (indicator: WithSeries, { year }: { year: number }, ctx: PlanContext) =>
    progressOf(
      indicator,
      year,
      healthSeries(indicator),
      indicator.measure ?? measureOf(indicator),
      indicator.timeAggregation ?? "STOCK",
      ctx,
    ),
};

/** Value fields of the plan's own indicators come from the kit's module (see schema.ts). */
export const PlanIndicator = {
  ...catalogueFields,
  __resolveReference: referenceResolver("PlanIndicator"),
};
