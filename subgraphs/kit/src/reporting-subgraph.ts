// A subgraph that reports indicator values: its own SDL and resolvers, plus the kit's data-value
// module, request context and start-up (indexes, demo data). Every agency subgraph is one of these.
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import { subgraphNamed } from "@p06/catalogue";
import type { GraphQLResolveInfo } from "graphql";
import type { Connection } from "mongoose";
import type { Logger } from "./logger.js";
import { NO_MONTH, readsUpTo } from "./read-scope.js";
import type { SubgraphRuntime } from "./runtime.js";
import { loadTypeDefs } from "./sdl.js";
import type { KitContext } from "./values/context.js";
import type { IndicatorDefinition } from "./values/definitions.js";
import { valuesModule } from "./values/module.js";
import { openValues, type OpenOptions } from "./values/prepare.js";
import { recoverWrites } from "./values/store.js";

type Resolvers = Record<string, Record<string, unknown>>;

export interface ReportingSubgraphOptions {
  /** Its name in the list of subgraphs (subgraphs.json), which gives its type prefix and review field. */
  name: string;
  agencyName: string;
  /** The subgraph's schema.graphql. */
  sdl: URL;
  definitions: IndicatorDefinition[];
  units: string[];
  cityCode: string;
  /**
   * The indicator types whose value fields (citySeries, values, history, measure, breakdowns) the kit
   * resolves; a type may rename fields, e.g. { educationContribution: "citySeries" }.
   */
  indicatorTypes: Record<string, Record<string, string>>;
  /** Resolvers of the subgraph's own fields. */
  resolvers?: Resolvers;
  now?: () => Date;
}

export type ReportingContext = KitContext;

export function reportingSubgraph(declared: ReportingSubgraphOptions) {
  const { prefix, reviewField } = subgraphNamed(declared.name);
  const options = { ...declared, prefix, reviewField };
  const values = valuesModule(options);
  const own: Resolvers = { ...options.resolvers };
  for (const [type, renames] of Object.entries(options.indicatorTypes)) {
    const fields: Record<string, unknown> = { ...values.indicatorResolvers };
    for (const [field, kitField] of Object.entries(renames)) {
      fields[field] = values.indicatorResolvers[kitField as keyof typeof values.indicatorResolvers];
    }
    own[type] = referenceReadsNoMonth({ ...fields, ...own[type] });
  }
  const schema = buildSubgraphSchema([
    { typeDefs: loadTypeDefs(options.sdl), resolvers: own as GraphQLResolverMap<unknown> },
    { typeDefs: values.typeDefs, resolvers: values.resolvers as GraphQLResolverMap<unknown> },
  ]);

  return {
    name: options.name,
    schema,
    definitions: values.definitions,
    /**
     * Connects the subgraph to its database: indexes, demo data on an empty database when asked
     * (P06_DEMO_DATA=1), the figures loaded into memory and followed; then it serves.
     */
    async open(
      db: Connection,
      logger: Logger,
      open: OpenOptions = {},
    ): Promise<SubgraphRuntime<ReportingContext>> {
      const state = await openValues(db, options, logger, open);
      return {
        context: (request) => ({
          caller: request.caller,
          person: request.person ?? null,
          roles: request.roles ?? [],
          commune: request.commune ?? null,
          values: state,
        }),
        version: () => state.replica.version,
        steps: () => state.replica.steps,
        sync: () => state.replica.catchUp(),
        async recover() {
          const recovered = await recoverWrites(state);
          if (recovered.finished || recovered.discarded) {
            logger.warn(recovered, "finished the writes the database going away interrupted");
          }
        },
        close: () => state.close(),
      };
    },
  };
}

/**
 * An indicator type's reference reads no month's data: every field of the kit's that reads figures
 * says the months it reads (values/indicator-resolvers.ts), so an entity's answer has the months its
 * fields read. A subgraph's own field on an indicator type that reads figures must say so too
 * (read-scope.ts).
 */
function referenceReadsNoMonth(fields: Record<string, unknown>): Record<string, unknown> {
  type Reference = (reference: unknown, ctx: unknown, info: GraphQLResolveInfo) => unknown;
  const resolve =
    (fields.__resolveReference as Reference | undefined) ?? ((reference) => reference);
  return {
    ...fields,
    __resolveReference: (reference: unknown, ctx: unknown, info: GraphQLResolveInfo) => {
      readsUpTo(ctx, info, NO_MONTH);
      return resolve(reference, ctx, info);
    },
  };
}
