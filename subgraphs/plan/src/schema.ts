// The plan subgraph's schema factory: tests and the composition script build it without a server.
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { loadTypeDefs } from "@p06/subgraph-kit";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

export function buildPlanSchema() {
  return buildSubgraphSchema({
    typeDefs,
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}

export { createContext, type PlanContext } from "./context.js";
export { planModels } from "./models.js";
export { importReportingUnits, seedCatalogue } from "./seed.js";
export { parseReportingUnits, ReportingUnitListError } from "./catalogue/reporting-units.js";
