import { catalogue } from "../catalogue/index.js";
import type { PlanContext } from "../context.js";
import type { IndicatorDoc } from "../models.js";

const resolveReference = ({ code }: { code: string }, ctx: PlanContext) =>
  ctx.loaders.indicator.load(code);

/** The entity interface: a reference to any Indicator resolves here, then to its concrete type. */
export const Indicator = {
  __resolveReference: resolveReference,
  // Every indicator is the plan's own until its agency's subgraph takes it over.
  __resolveType: () => "PlanIndicator",
};

export const PlanIndicator = {
  __resolveReference: resolveReference,
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
