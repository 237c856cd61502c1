// The plan subgraph's schema factory: tests and the composition script build it without a server.
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { anyMonth, loadTypeDefs } from "@p06/subgraph-kit";
import { concatAST, parse } from "graphql";
import { agencyTypeDefs } from "./agency-schema.js";
import type { PlanContext } from "./context.js";
import type { IndicatorDoc } from "./models.js";
import { progressOf } from "./resolvers/indicator.js";
import { resolvers } from "./resolvers/index.js";
import { createProgressReview } from "./resolvers/review.js";
import { planValues } from "./values.js";

/** The plan's schema.graphql with what the list of subgraphs adds to it. */
const base = loadTypeDefs(new URL("../schema.graphql", import.meta.url));
export const typeDefs = concatAST([base, parse(agencyTypeDefs(base))]);

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
      // the IOC's view of a plan-held indicator is its own series
      series: valueFields.citySeries,
      progress: anyMonth(
        async (indicator: IndicatorDoc, { year }: { year: number }, ctx: PlanContext) => {
          const definition = values.definitions.get(indicator.code)!;
          const series = ctx.values.store.citySeries(indicator.code);
          return progressOf(
            indicator,
            year,
            series,
            definition.measure,
            definition.aggregation,
            ctx,
          );
        },
      ),
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
