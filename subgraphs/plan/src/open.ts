// Opens the plan subgraph on its database: the catalogue seeded, the plan-held figures and the plan's
// state loaded into memory behind one change log.
import { openValues, type Logger, type OpenOptions, type SubgraphRuntime } from "@p06/subgraph-kit";
import type { Connection } from "mongoose";
import { CITY, reportingUnitCodes } from "@p06/catalogue";
import { createContext, type PlanContext, type PlanRuntimeState } from "./context.js";
import { planModels } from "./models.js";
import { PlanState } from "./plan-state.js";
import { seedCatalogue } from "./seed.js";
import { planDefinitions } from "./values.js";

export async function openPlan(
  db: Connection,
  logger: Logger,
  options: Omit<OpenOptions, "readModels"> = {},
): Promise<SubgraphRuntime<PlanContext> & { state: PlanState; runtime: PlanRuntimeState }> {
  const models = planModels(db);
  const summary = await seedCatalogue(models);
  logger.info(summary, "catalogue seeded");
  const state = new PlanState(models);
  const values = await openValues(
    db,
    { definitions: planDefinitions, units: reportingUnitCodes(), cityCode: CITY.code },
    logger,
    { ...options, readModels: [state.readModel] },
  );
  const runtime = { models, state, values };
  return {
    state,
    runtime,
    context: (request) => createContext(runtime, request),
    version: () => values.replica.version,
    sync: () => values.replica.catchUp(),
    close: () => values.replica.close(),
  };
}
