// An agency's month in the graph: what it owes (every indicator and reporting unit it must report,
// received, late or missing), the warnings its figures raise, and the month's review (submit, accept,
// return, reopen). Part of every reporting subgraph's values module, named after the subgraph: its
// SDL is month-sdl.ts, its resolvers month-resolvers.ts, what it reads month-obligations.ts.
import { page, type PageArguments } from "../paging.js";
import type { KitContext } from "./context.js";
import type { MonthRef } from "./month-obligations.js";
import { monthResolvers } from "./month-resolvers.js";
import { MAX_WARNINGS_PAGE } from "./rules.js";
import type { ValuesSettings } from "./settings.js";

export function monthModule(settings: ValuesSettings) {
  const agencies = [
    ...new Set([...settings.definitions.values()].flatMap((d) => d.writers)),
  ].sort();
  return {
    resolvers: monthResolvers(settings),
    /** The months of the subgraph's agencies, for the plan's review of a month. */
    monthsOf: (period: string): MonthRef[] => agencies.map((agency) => ({ agency, period })),
    /** The open warnings of a month, for the plan's review. */
    openWarnings: (period: string, args: PageArguments, ctx: KitContext) =>
      page(
        ctx.values.store.warnings(period).filter((w) => !w.confirmed),
        args,
        MAX_WARNINGS_PAGE,
      ),
  };
}
