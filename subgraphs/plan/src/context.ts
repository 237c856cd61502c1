// The per-request context: the plan's state in memory, this request's loaders over it, the caller and
// the plan-held figures.
import DataLoader from "dataloader";
import type { ReadsOtherSubgraphs, RequestIdentity, ValuesState } from "@p06/subgraph-kit";
import type { AgencyFigures, IndicatorSeries } from "./agency-figures.js";
import type { PlanModels } from "./models.js";
import type { PlanState } from "./plan-state.js";
import type { Review } from "./review.js";
import type { LRUCache } from "lru-cache";

/** Reviews kept: each is the same answer for every page of its month while its versions hold. */
export type ReviewCache = LRUCache<string, Promise<Review>>;

/** What a plan subgraph instance holds for as long as it runs. */
export interface PlanRuntimeState {
  models: PlanModels;
  state: PlanState;
  values: ValuesState;
  /** The agencies' figures the review reads, held per month and agency version. */
  agencyFigures: AgencyFigures;
  /** Reviews built, by month, the plan's version, the agencies' versions and who may see what. */
  reviews: ReviewCache;
}

/** A per-request loader over an in-memory map: the resolvers' one way to look a code up. */
function loaderOf<V>(lookup: (key: string) => V | undefined) {
  return new DataLoader<string, V | null>(async (keys) => keys.map((key) => lookup(key) ?? null));
}

export function createContext(
  { models, state, values, agencyFigures, reviews }: PlanRuntimeState,
  request: RequestIdentity = { caller: null },
) {
  const context = {
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
    agencyFigures,
    /** The versions the gateway knows: the review reads no agency's figures older (null: none sent). */
    knownVersions: request.knownVersions ?? null,
    /** The request's id, carried on to what the plan asks the graph for it. */
    requestId: request.requestId ?? null,
    /** Reviews built, shared across requests while every version they read holds. */
    reviews,
    /** Reviews this request uses, by year and month: several fields share one. */
    requestReviews: new Map<string, Promise<Review>>(),
    /** The agencies' series this request reads, by agency: every indicator of one shares them. */
    requestSeries: new Map<string, Promise<Map<string, IndicatorSeries> | null>>(),
  };
  return context as typeof context & ReadsOtherSubgraphs;
}

export type PlanContext = ReturnType<typeof createContext>;
