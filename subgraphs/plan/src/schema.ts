// The plan subgraph's schema factory: tests and the composition script build it without a server.
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { loadTypeDefs, monthsUpTo, readsMonthsUpTo } from "@p06/subgraph-kit";
import { concatAST, parse, type GraphQLResolveInfo } from "graphql";
import { shownUpTo, type IndicatorAsOf } from "./as-of.js";
import { agencyTypeDefs } from "./agency-schema.js";
import type { PlanContext } from "./context.js";
import { progressOf, type UpTo } from "./resolvers/indicator.js";
import { resolvers } from "./resolvers/index.js";
import { createProgressReview } from "./resolvers/review.js";
import { planValues } from "./values.js";

/** The plan's schema.graphql with what the list of subgraphs adds to it. */
const base = loadTypeDefs(new URL("../schema.graphql", import.meta.url));
export const typeDefs = concatAST([base, parse(agencyTypeDefs(base))]);

/**
 * A plan-held indicator's city series up to the month shown (as-of.ts), or every month: the answer
 * reads up to that month, or every month.
 */
function ownSeries(
  indicator: IndicatorAsOf,
  upTo: string | null | undefined,
  ctx: PlanContext,
  info: GraphQLResolveInfo,
) {
  const shown = shownUpTo(indicator, upTo);
  readsMonthsUpTo(ctx, info, shown);
  return monthsUpTo(ctx.values.store.citySeries(indicator.code), shown);
}

export function buildPlanSchema(options: { now?: () => Date } = {}) {
  const values = planValues(options.now);
  // the catalogue resolves plan indicators' references; the values module adds their figures
  const { __resolveReference: _, ...valueFields } = values.indicatorResolvers;
  const own = {
    ...resolvers,
    ProgressReview: createProgressReview(),
    PlanIndicator: {
      ...valueFields,
      ...resolvers.PlanIndicator,
      // the IOC's view of a plan-held indicator is its own series, up to a review's month (as-of.ts)
      series: (
        indicator: IndicatorAsOf,
        { upTo }: UpTo,
        ctx: PlanContext,
        info: GraphQLResolveInfo,
      ) => ownSeries(indicator, upTo, ctx, info),
      async progress(
        indicator: IndicatorAsOf,
        { year, upTo }: { year: number } & UpTo,
        ctx: PlanContext,
        info: GraphQLResolveInfo,
      ) {
        const definition = values.definitions.get(indicator.code)!;
        return progressOf(
          indicator,
          year,
          ownSeries(indicator, upTo, ctx, info),
          definition.measure,
          definition.aggregation,
          ctx,
        );
      },
    },
  };
  return buildSubgraphSchema([
    { typeDefs, resolvers: own as GraphQLResolverMap<unknown> },
    { typeDefs: values.typeDefs, resolvers: values.resolvers as GraphQLResolverMap<unknown> },
  ]);
}

/** The schema alone, as composition builds it (every subgraph package exports one). */
export const buildSchema = () => buildPlanSchema();

export { createContext, type PlanContext } from "./context.js";
export { openPlan } from "./open.js";
export { PLAN_CHANGES, PlanState } from "./plan-state.js";
export { planModels } from "./models.js";
export { planDefinitions } from "./values.js";
export { importReportingUnits, seedCatalogue } from "./seed.js";
export { parseReportingUnits, ReportingUnitListError } from "@p06/catalogue";
