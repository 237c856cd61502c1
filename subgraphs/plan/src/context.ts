// The per-request context: the plan's models, this request's DataLoaders, the caller and the values.
import type { IncomingHttpHeaders } from "node:http";
import { callerFrom, createValuesContext, loaderByField } from "@p06/subgraph-kit";
import type { Connection } from "mongoose";
import { planModels, type PlanModels } from "./models.js";

export function createContext(
  db: Connection,
  request: { headers: IncomingHttpHeaders } = { headers: {} },
) {
  const models: PlanModels = planModels(db);
  return {
    caller: callerFrom(request.headers),
    values: createValuesContext(db),
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
