import type { GraphQLResolveInfo } from "graphql";
import {
  combineCityMonths,
  measureOf,
  monthsUpTo,
  NO_MONTH,
  readsUpTo,
  type CityMonth,
  type Measure,
  type TimeAggregation,
} from "@p06/subgraph-kit";
import { noteAgencyReads } from "../agency-figures.js";
import { shownUpTo, type IndicatorAsOf } from "../as-of.js";
import {
  agencySubgraphs,
  catalogue,
  indicatorsOf,
  owningSubgraph,
  type SubgraphSpec,
} from "@p06/catalogue";
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
 * A reference to an indicator: of any type through the interface, of its own type otherwise.
 */
const referenceResolver =
  (typeName?: string) =>
  async (reference: { code: string }, ctx: PlanContext, info: GraphQLResolveInfo) => {
    // the catalogue: the fields that read figures say their months (read-scope.ts)
    readsUpTo(ctx, info, NO_MONTH);
    const doc = await ctx.loaders.indicator.load(reference.code);
    if (!doc || (typeName && indicatorTypeOf(doc) !== typeName)) return null;
    return doc;
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

/**
 * An agency's series of every indicator it holds, for this request: read once, its reads noted once,
 * as read up to `upTo` when the series are shown up to that month.
 */
function agencySeries(spec: SubgraphSpec, ctx: PlanContext, upTo?: string) {
  const key = `${spec.name}|${upTo ?? ""}`;
  let read = ctx.requestSeries.get(key);
  if (!read) {
    read = ctx.agencyFigures
      .series([spec], ctx.knownVersions, ctx.requestId, upTo)
      .then((result) => {
        noteAgencyReads(ctx, result);
        return result.values.get(spec.name) ?? null;
      });
    ctx.requestSeries.set(key, read);
  }
  return read;
}

/** The month an indicator's series and progress are asked up to. */
export type UpTo = { upTo?: string | null };

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

/** The subgraphs that add their own figures to indicators this one reports (education's schools to II.5). */
function contributorsOf(spec: SubgraphSpec): SubgraphSpec[] {
  const reported = new Set(indicatorsOf(spec.name).map((indicator) => indicator.code));
  return agencySubgraphs.filter((other) => other.contributesTo?.some((code) => reported.has(code)));
}

/**
 * An agency subgraph's type: the series is the agency's, held by the plan (agency-figures.ts),
 * combined (numerators over denominators) with what other subgraphs contribute to a shared
 * indicator, e.g. II.5's hospitals (health) and schools (education). An agency that cannot be read
 * gives no months, and the answer says why.
 */
function agencyType(spec: SubgraphSpec) {
  const contributors = contributorsOf(spec);
  // shown up to a month: the one asked, or a review's (as-of.ts)
  const seriesOf = async (indicator: IndicatorAsOf, ctx: PlanContext, upTo?: string) => {
    const [own, ...added] = await Promise.all(
      [spec, ...contributors].map((agency) => agencySeries(agency, ctx, upTo)),
    );
    const held = own?.get(indicator.code);
    const measure = held?.measure ?? measureOf(indicator);
    const series = held?.citySeries ?? [];
    const parts = added.map((agency) => agency?.get(indicator.code)?.citySeries ?? []);
    return {
      series: monthsUpTo(
        contributors.length ? combineCityMonths(measure, series, ...parts) : series,
        upTo,
      ),
      measure,
      aggregation: held?.timeAggregation ?? "STOCK",
    };
  };
  return {
    ...catalogueFields,
    __resolveReference: referenceResolver(spec.indicatorType),
    series: async (indicator: IndicatorAsOf, { upTo }: UpTo, ctx: PlanContext) =>
      (await seriesOf(indicator, ctx, shownUpTo(indicator, upTo))).series,
    async progress(
      indicator: IndicatorAsOf,
      { year, upTo }: { year: number } & UpTo,
      ctx: PlanContext,
    ) {
      const shown = shownUpTo(indicator, upTo);
      const { series, measure, aggregation } = await seriesOf(indicator, ctx, shown);
      return progressOf(indicator, year, series, measure, aggregation, ctx);
    },
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
