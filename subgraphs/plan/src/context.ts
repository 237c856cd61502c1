// The per-request context: the plan's models and this request's DataLoaders.
import { loaderByField } from "@p06/subgraph-kit";
import type { Connection } from "mongoose";
import { planModels, type PlanModels } from "./models.js";

export function createContext(db: Connection) {
  const models: PlanModels = planModels(db);
  return {
    models,
    loaders: {
      indicator: loaderByField(models.Indicator, "code"),
      task: loaderByField(models.Task, "code"),
      agency: loaderByField(models.Agency, "code"),
      reportingUnit: loaderByField(models.ReportingUnit, "code"),
    },
  };
}

export type PlanContext = ReturnType<typeof createContext>;
