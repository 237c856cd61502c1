import { combineCityMonths, measureOf, type CityMonth } from "@p06/subgraph-kit";
import { catalogue, owningSubgraph } from "../catalogue/index.js";
import type { PlanContext } from "../context.js";
import type { IndicatorDoc } from "../models.js";

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
  target: (indicator: IndicatorDoc, { year }: { year: number }) =>
    indicator.targets.find((target) => target.year === year) ?? null,
  trackingAgencies: (indicator: IndicatorDoc, _: unknown, ctx: PlanContext) =>
    ctx.loaders.agency.loadMany(indicator.trackingAgencies),
  owner: (indicator: IndicatorDoc, _: unknown, ctx: PlanContext) =>
    ctx.loaders.agency.load(indicator.trackingAgencies[0]!),
};

type WithSeries = IndicatorDoc & { citySeries?: CityMonth[]; educationContribution?: CityMonth[] };

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
});

export const IdentityIndicator = agencyType("IdentityIndicator");
export const ProceduresIndicator = agencyType("ProceduresIndicator");
export const EducationIndicator = agencyType("EducationIndicator");
export const SocialSecurityIndicator = agencyType("SocialSecurityIndicator");
export const HealthIndicator = {
  ...catalogueFields,
  __resolveReference: referenceResolver("HealthIndicator"),
  // II.5: hospitals (health) and schools (education) together, numerators over denominators
  series: (indicator: WithSeries) =>
    combineCityMonths(
      measureOf(indicator),
      indicator.citySeries ?? [],
      indicator.educationContribution ?? [],
    ),
};

/** Value fields of the plan's own indicators come from the kit's module (see schema.ts). */
export const PlanIndicator = {
  ...catalogueFields,
  __resolveReference: referenceResolver("PlanIndicator"),
};
