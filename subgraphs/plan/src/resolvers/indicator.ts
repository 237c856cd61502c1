import {
  combineCityMonths,
  measureOf,
  type CityMonth,
  type Measure,
  type TimeAggregation,
} from "@p06/subgraph-kit";
import { agencySubgraphs, catalogue, owningSubgraph, type SubgraphSpec } from "@p06/catalogue";
import { contributionFields } from "../agency-schema.js";
import type { PlanContext } from "../context.js";
import type { IndicatorDoc } from "../models.js";
import { assessProgress, effectiveTarget } from "@p06/subgraph-kit";
import { checkYear } from "./arguments.js";

/** The concrete Indicator type of each agency subgraph; indicators of other agencies are the plan's. */
const TYPE_BY_SUBGRAPH = new Map(agencySubgraphs.map((spec) => [spec.name, spec.indicatorType]));

export function indicatorTypeOf(indicator: IndicatorDoc): string {
  return TYPE_BY_SUBGRAPH.get(owningSubgraph(indicator) ?? "") ?? "PlanIndicator";
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

/** A reference with what @requires brought: the agency's series, any contributions, how to read them. */
type WithSeries = IndicatorDoc & {
  citySeries?: CityMonth[];
  measure?: Measure;
  timeAggregation?: TimeAggregation;
} & Record<string, unknown>;

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

/**
 * An agency subgraph's type: the series comes from it through @requires, combined (numerators over
 * denominators) with what other subgraphs contribute to a shared indicator, e.g. II.5's hospitals
 * (health) and schools (education).
 */
function agencyType(spec: SubgraphSpec) {
  const contributions = contributionFields(spec).map(({ field }) => field);
  const series = (indicator: WithSeries) => {
    const own = indicator.citySeries ?? [];
    const added = contributions.map((field) => (indicator[field] as CityMonth[] | undefined) ?? []);
    return added.length
      ? combineCityMonths(indicator.measure ?? measureOf(indicator), own, ...added)
      : own;
  };
  return {
    ...catalogueFields,
    __resolveReference: referenceResolver(spec.indicatorType),
    series,
    progress: (indicator: WithSeries, { year }: { year: number }, ctx: PlanContext) =>
      progressOf(
        indicator,
        year,
        series(indicator),
        indicator.measure ?? measureOf(indicator),
        indicator.timeAggregation ?? "STOCK",
        ctx,
      ),
  };
}

/** Every agency subgraph's Indicator type, by name. */
export const agencyIndicatorTypes = Object.fromEntries(
  agencySubgraphs.map((spec) => [spec.indicatorType, agencyType(spec)]),
);

/** Value fields of the plan's own indicators come from the kit's module (see schema.ts). */
export const PlanIndicator = {
  ...catalogueFields,
  __resolveReference: referenceResolver("PlanIndicator"),
};
