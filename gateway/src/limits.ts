// Limits against abuse: a list-aware cost of every operation, with the depth, alias, directive and
// token limits of graphql-armor; refusals are GraphQL errors with a code, counted in the metrics.
import type { ApolloServerPlugin } from "@apollo/server";
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

export interface Limits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
}

/** What a list field is assumed to hold when costing an operation (the plan's own sizes). */
export const LIST_SIZES: Record<string, number> = {
  values: 1500,
  history: 20,
  citySeries: 60,
  series: 60,
  educationContribution: 60,
  educationValues: 1500,
  unitValues: 115,
  reportingUnits: 115,
  missingUnits: 115,
  lateUnits: 115,
  lateReporting: 600,
  indicators: 60,
  tasks: 60,
  tasksDue: 60,
  agencies: 25,
  projectionSeries: 60,
};
const DEFAULT_LIST_SIZE = 20;

/** Cost: one per field, times the assumed size of every list above it. */
export function operationCost(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  fragments: Record<string, FragmentDefinitionNode>,
  multiplier = 1,
  seen = new Set<string>(),
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith("__")) continue;
      const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
      const field = fields[selection.name.value];
      cost += multiplier;
      if (!field || !selection.selectionSet) continue;
      const type = getNullableType(field.type);
      const size = isListType(type) ? (LIST_SIZES[selection.name.value] ?? DEFAULT_LIST_SIZE) : 1;
      const named = getNamedType(field.type) as GraphQLCompositeType;
      cost += operationCost(
        schema,
        selection.selectionSet,
        named,
        fragments,
        multiplier * size,
        seen,
      );
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition
        ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType)
        : parent;
      cost += operationCost(
        schema,
        selection.selectionSet,
        type ?? parent,
        fragments,
        multiplier,
        seen,
      );
    } else {
      const fragment = fragments[selection.name.value];
      // a fragment spread twice on one path is a cycle: validation refuses it; never recurse
      if (!fragment || seen.has(fragment.name.value)) continue;
      const type = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType;
      cost += operationCost(
        schema,
        fragment.selectionSet,
        type ?? parent,
        fragments,
        multiplier,
        new Set([...seen, fragment.name.value]),
      );
    }
  }
  return cost;
}

/** Refuses an operation whose cost exceeds the limit, before any subgraph is asked. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema }) {
          if (!operation) return;
          const fragments = Object.fromEntries(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const root =
            operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
          if (!root) return;
          const cost = operationCost(schema, operation.selectionSet, root, fragments);
          if (cost > maxCost) {
            throw new GraphQLError(
              `the operation costs ${cost}, above the limit of ${maxCost} (every field counts once for each item of the lists above it): ask for less`,
              { extensions: { code: "QUERY_TOO_COSTLY", cost, maxCost, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
