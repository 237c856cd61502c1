// The per-request context: the plan's models, this request's DataLoaders, the caller and the values.
import DataLoader from "dataloader";
import { createValuesContext, loaderByField, type RequestIdentity } from "@p06/subgraph-kit";
import type { Connection } from "mongoose";
import {
  planModels,
  type PlanModels,
  type TargetAssignmentDoc,
  type TaskUpdateDoc,
} from "./models.js";
import type { Review } from "./review.js";

/** A loader of every document whose `field` is one of the keys, oldest first, grouped by key. */
function loaderOfLists<Doc extends Record<K, string>, K extends string>(
  find: (keys: readonly string[]) => Promise<Doc[]>,
  field: K,
) {
  return new DataLoader<string, Doc[]>(async (keys) => {
    const byKey = new Map<string, Doc[]>(keys.map((key) => [key, []]));
    for (const doc of await find(keys)) byKey.get(doc[field])?.push(doc);
    return keys.map((key) => byKey.get(key)!);
  });
}

export function createContext(db: Connection, request: RequestIdentity = { caller: null }) {
  const models: PlanModels = planModels(db);
  return {
    caller: request.caller,
    values: createValuesContext(db),
    models,
    loaders: {
      indicator: loaderByField(models.Indicator, "code"),
      task: loaderByField(models.Task, "code"),
      agency: loaderByField(models.Agency, "code"),
      reportingUnit: loaderByField(models.ReportingUnit, "code"),
      assignments: loaderOfLists<TargetAssignmentDoc, "indicator">(
        (codes) =>
          models.TargetAssignment.find({ indicator: { $in: codes } })
            .sort({ setAt: 1 })
            .lean<TargetAssignmentDoc[]>()
            .exec(),
        "indicator",
      ),
      taskUpdates: loaderOfLists<TaskUpdateDoc, "task">(
        (codes) =>
          models.TaskUpdate.find({ task: { $in: codes } })
            .sort({ updatedAt: 1 })
            .lean<TaskUpdateDoc[]>()
            .exec(),
        "task",
      ),
    },
    /** Reviews built in this request, by year and month: several fields share one. */
    reviews: new Map<string, Promise<Review>>(),
  };
}

export type PlanContext = ReturnType<typeof createContext>;
