// Data values as a GraphQL module every subgraph includes: its own value entity and mutations
// (named after the subgraph so that they compose), the shared value types, and the resolvers of the
// value fields on the subgraph's indicator types. Each part has its module: the SDL (sdl.ts), the
// rules its arguments follow (rules.ts), and the resolvers by type.
import { auditQuery } from "./audit-resolvers.js";
import { communeMonthResolvers } from "./commune-month.js";
import { indicatorResolvers } from "./indicator-resolvers.js";
import { monthModule } from "./month-module.js";
import { reviewResolvers } from "./review-resolvers.js";
import { valuesSettings, type ValuesModuleOptions } from "./settings.js";
import { valuesTypeDefs } from "./sdl.js";
import { valueResolvers } from "./value-resolvers.js";

export type { ValuesModuleOptions } from "./settings.js";
export { MAX_HISTORY_PAGE, MAX_REPORT_VALUES, MAX_VALUES_PAGE } from "./rules.js";

export function valuesModule(options: ValuesModuleOptions) {
  const settings = valuesSettings(options);
  const months = monthModule(settings);
  const values = valueResolvers(settings);
  const { Mutation: communeMutations, ...communeMonth } = communeMonthResolvers(settings);
  const { Query: figuresQuery, ...review } = reviewResolvers(settings, months);
  return {
    typeDefs: valuesTypeDefs(options),
    resolvers: {
      ...review,
      ...communeMonth,
      AgencyMonth: months.resolvers.AgencyMonth,
      [`${options.prefix}Value`]: values[`${options.prefix}Value`],
      Query: { ...auditQuery(options.prefix), ...months.resolvers.Query, ...figuresQuery },
      Mutation: { ...values.Mutation, ...months.resolvers.Mutation, ...communeMutations },
    },
    /** Spread into each indicator type's resolvers. */
    indicatorResolvers: indicatorResolvers(settings),
    definitions: settings.definitions,
  };
}
