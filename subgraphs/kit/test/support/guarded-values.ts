// The values module of one health indicator served in process, and callers whose figures throw when a
// resolver reaches them: for the tests that prove a request is refused before anything is looked at.
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { ApolloServer } from "@apollo/server";
import { parse } from "graphql";
import type { KitContext } from "../../src/values/context.js";
import { valuesModule } from "../../src/values/module.js";

const values = valuesModule({
  prefix: "Health",
  agencyName: "Department of Health",
  definitions: [
    { code: "II.12", measure: "PERCENT", aggregation: "STOCK", level: "COMMUNE", writers: ["DOH"] },
  ],
  units: ["31", "10507"],
  cityCode: "31",
  now: () => new Date("2026-11-15T08:00:00Z"),
});
export const schema = buildSubgraphSchema([
  {
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])
      type Query { healthIndicators: [ID!]! }
    `),
  },
  { typeDefs: values.typeDefs, resolvers: values.resolvers as GraphQLResolverMap<unknown> },
]);
const server = new ApolloServer<KitContext>({ schema });

/** A caller's context whose figures throw, naming `what`, if a resolver reaches them. */
export const guarded = (caller: Omit<KitContext, "values">, what: string): KitContext => ({
  ...caller,
  values: new Proxy({} as KitContext["values"], {
    get: (_, name) => {
      throw new Error(`${what} reached the figures (${String(name)})`);
    },
  }),
});

/** Runs an operation on the module as `context`; its single result. */
export async function ask(query: string, variables: Record<string, unknown>, context: KitContext) {
  const response = await server.executeOperation({ query, variables }, { contextValue: context });
  if (response.body.kind !== "single") throw new Error("expected a single result");
  return response.body.singleResult;
}
