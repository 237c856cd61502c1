// Opens the plan subgraph on its database: the catalogue seeded, the plan-held figures and the plan's
// state loaded into memory behind one change log.
import {
  graphReaderFromEnv,
  openValues,
  recordClockChanges,
  type GraphReader,
  type Logger,
  type OpenOptions,
  type SubgraphRuntime,
} from "@p06/subgraph-kit";
import type { Connection } from "mongoose";
import { CITY, reportingUnitCodes } from "@p06/catalogue";
import { demoCommunePlans } from "./commune-plans.js";
import { DAY_CHANGE, dayChangeModel, nextDayChange } from "./day-changes.js";
import { AgencyFigures } from "./agency-figures.js";
import { createContext, type PlanContext, type PlanRuntimeState } from "./context.js";
import type { Review } from "./review.js";
import { LRUCache } from "lru-cache";
import { planModels, type PlanModels } from "./models.js";
import { PLAN_CHANGES, PlanState } from "./plan-state.js";
import {
  nextUnconfirmed,
  UNCONFIRMED_CHANGE,
  UNCONFIRMED_RECHECK_MS,
  unconfirmedChangeModel,
} from "./reminders/unconfirmed-changes.js";
import { seedCatalogue } from "./seed.js";
import { planDefinitions } from "./values.js";

/** Reviews kept at once: a month's for the IOC and each agency, and for a few communes' people. */
const REVIEWS_KEPT = 128;

export async function openPlan(
  db: Connection,
  logger: Logger,
  {
    graphReader = graphReaderFromEnv("plan"),
    unconfirmedRecheckMs = UNCONFIRMED_RECHECK_MS,
    ...options
  }: Omit<OpenOptions, "readModels"> & {
    graphReader?: GraphReader | null;
    /** How often the reminders' attempts are looked at for their UNCONFIRMED instant. */
    unconfirmedRecheckMs?: number;
  } = {},
): Promise<SubgraphRuntime<PlanContext> & { state: PlanState; runtime: PlanRuntimeState }> {
  const models = planModels(db);
  const summary = await seedCatalogue(models);
  logger.info(summary, "catalogue seeded");
  const state = new PlanState(models);
  const values = await openValues(
    db,
    { definitions: planDefinitions, units: reportingUnitCodes(), cityCode: CITY.code },
    logger,
    { ...options, readModels: [state.readModel, dayChangeModel, unconfirmedChangeModel] },
  );
  if (values.demo && state.communePlans.size === 0) {
    await loadDemoCommunePlans(models, state, values.replica, logger);
  }
  const stopDays = recordClockChanges(
    values.replica,
    DAY_CHANGE,
    nextDayChange,
    () => new Date(),
    logger,
  );
  const stopUnconfirmed = recordClockChanges(
    values.replica,
    UNCONFIRMED_CHANGE,
    (now) => nextUnconfirmed(state, now),
    () => new Date(),
    logger,
    { recheckMs: unconfirmedRecheckMs },
  );
  const runtime = {
    models,
    state,
    values,
    agencyFigures: new AgencyFigures(graphReader, logger),
    reviews: new LRUCache<string, Promise<Review>>({ max: REVIEWS_KEPT }),
  };
  return {
    state,
    runtime,
    context: (request) => createContext(runtime, request),
    version: () => values.replica.version,
    steps: () => values.replica.steps,
    sync: () => values.replica.catchUp(),
    async close() {
      stopDays();
      stopUnconfirmed();
      await values.close();
    },
  };
}

/**
 * A demo database's commune plans, beside its figures: a believable share of communes issued theirs,
 * none dated after now. Their ids are fixed, so two instances starting together insert them once.
 */
async function loadDemoCommunePlans(
  models: PlanModels,
  state: PlanState,
  replica: { publish(kind: string, payload: unknown[]): Promise<number> },
  logger: Logger,
) {
  const units = state.reportingUnits.filter((u) => u.kind !== "CITY" && u.active);
  const seed = Number(process.env.P06_DEMO_SEED ?? 6);
  const plans = demoCommunePlans(
    units.map((u) => u.code),
    seed,
    new Date(),
  );
  try {
    await models.CommunePlan.insertMany(plans, { ordered: false });
  } catch (error) {
    // another instance inserted them first: theirs are the same
    if ((error as { code?: number }).code !== 11000) throw error;
  }
  await replica.publish(PLAN_CHANGES.communePlan, plans);
  logger.info({ issued: plans.length, units: units.length }, "demo commune plans loaded");
}
