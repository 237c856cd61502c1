// The per-request context: the plan's state in memory, this request's loaders over it, the caller and
// the plan-held figures.
import DataLoader from "dataloader";
import type { RequestIdentity, ValuesState } from "@p06/subgraph-kit";
import type { PlanModels } from "./models.js";
import type { PlanState } from "./plan-state.js";
import type { Review } from "./review.js";

/** What a plan subgraph instance holds for as long as it runs. */
export interface PlanRuntimeState {
  models: PlanModels;
  state: PlanState;
  values: ValuesState;
}

/** A per-request loader over an in-memory map: the resolvers' one way to look a code up. */
function loaderOf<V>(lookup: (key: string) => V | undefined) {
  return new DataLoader<string, V | null>(async (keys) => keys.map((key) => lookup(key) ?? null));
}

export function createContext(
  { models, state, values }: PlanRuntimeState,
  request: RequestIdentity = { caller: null },
) {
  return {
    caller: request.caller,
    /** The person acting for the caller (null: a service account, or none). */
    person: request.person ?? null,
    /** The roles the caller's token gives (none for an anonymous read). */
    roles: request.roles ?? [],
    /** The commune a commune's person acts for (caller COMMUNE); null for anybody else. */
    commune: request.commune ?? null,
    values,
    models,
    state,
    loaders: {
      indicator: loaderOf((code) => state.indicatorByCode.get(code)),
      task: loaderOf((code) => state.taskByCode.get(code)),
      agency: loaderOf((code) => state.agencyByCode.get(code)),
      reportingUnit: loaderOf((code) => state.unitByCode.get(code)),
      assignments: new DataLoader(async (codes: readonly string[]) =>
        codes.map((code) => state.assignments.get(code) ?? []),
      ),
      taskUpdates: new DataLoader(async (codes: readonly string[]) =>
        codes.map((code) => state.taskUpdates.get(code) ?? []),
      ),
    },
    /** Reviews built in this request, by year and month: several fields share one. */
    reviews: new Map<string, Promise<Review>>(),
  };
}

export type PlanContext = ReturnType<typeof createContext>;
