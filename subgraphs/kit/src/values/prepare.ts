// Start-up of a subgraph's values: indexes, the move to natural keys, demo data on an empty database
// when asked, the figures loaded into memory, then the writes a crash interrupted finished.
import type { Connection } from "mongoose";
import { Replica, type ReadModel } from "../changes/replica.js";
import type { Logger } from "../logger.js";
import type { IndicatorDefinition } from "./definitions.js";
import { demoResubmissions, demoValues } from "./demo.js";
import { recordClockChanges } from "../changes/clock-changes.js";
import { DUE_CHANGE, dueDateModel, nextDueChange } from "./due-dates.js";
import { FigureStore, keyOf } from "./figure-store.js";
import { migrateToFigureVersions } from "./migrate.js";
import { CommuneBook } from "./commune-review.js";
import { MonthBook } from "./months.js";
import { valueModels, type ValueModels } from "./model.js";
import { previousPeriod } from "./rules.js";
import { recoverWrites, versionIdOf, type ValuesState } from "./store.js";
import { currentPeriod } from "./validate.js";

export interface PrepareOptions {
  definitions: IndicatorDefinition[];
  units: string[];
  cityCode: string;
  /** The subgraph's clock (demo data is generated as it stands at start-up). */
  now?: () => Date;
}

export interface OpenOptions {
  /** Load demo figures into an empty database (default: P06_DEMO_DATA=1). */
  demo?: boolean;
  /** Other read models of the subgraph that follow the same change log (the plan's tasks...). */
  readModels?: ReadModel[];
  /** How often to follow other instances' writes (ms; 0: only at writes). */
  followMs?: number;
}

/** When the five-year demo data is read: after December 2030's last late report. */
const FIVE_YEARS_READ_AT = new Date("2031-02-01T00:00:00Z");

/**
 * The span of demo data and the moment it is read at. By default, January 2026 to the month before
 * this one, as it stands now: the month still owed partly reported, nothing dated after now. With
 * P06_DEMO_YEARS=5, the plan's whole span to December 2030 as it will stand in February 2031: a size
 * for measuring, with months still to come (it is not data to read as today's).
 */
export function demoSpan(now: Date, env = process.env): { from: string; to: string; now: Date } {
  if (env.P06_DEMO_YEARS?.trim() === "5") {
    return { from: "2026-01", to: "2030-12", now: FIVE_YEARS_READ_AT };
  }
  return { from: "2026-01", to: previousPeriod(currentPeriod(now)), now };
}

/** The collection whose one document (`_id` "demo") marks a database filled with demo data. */
export const DEMO_MARK = "demo_data";

/** Whether a subgraph's database was filled with demo data. */
export async function isDemoDatabase(db: Connection): Promise<boolean> {
  // read by _id: the one lookup FerretDB makes without reading the collection
  return (await db.collection<{ _id: string }>(DEMO_MARK).findOne({ _id: "demo" })) !== null;
}

/** Demo data is loaded reproducibly from P06_DEMO_SEED (default 6), from January 2026. */
async function loadDemo(models: ValueModels, options: PrepareOptions, logger: Logger) {
  const started = Date.now();
  const seed = Number(process.env.P06_DEMO_SEED ?? 6);
  const span = demoSpan(options.now?.() ?? new Date());
  const docs = demoValues(options.definitions, {
    seed,
    ...span,
    units: options.units,
    cityCode: options.cityCode,
  });
  const history = demoResubmissions(docs, seed, span.now);
  const versions = [...docs, ...history];
  for (let start = 0; start < versions.length; start += 1000) {
    await models.DataValue.collection.insertMany(
      versions
        .slice(start, start + 1000)
        .map((doc) => ({ ...doc, _id: versionIdOf(keyOf(doc), doc.version) })) as never,
    );
  }
  await models.DataValue.db
    .collection<{ _id: string; seed: number; loadedAt: Date }>(DEMO_MARK)
    .insertOne({ _id: "demo", seed, loadedAt: new Date() });
  logger.info(
    {
      values: docs.length,
      history: history.length,
      months: `${span.from}..${span.to}`,
      ms: Date.now() - started,
    },
    "demo data loaded",
  );
}

/** Opens a subgraph's figures: ready to serve from memory and to write when it returns. */
export async function openValues(
  db: Connection,
  options: PrepareOptions,
  logger: Logger,
  open: OpenOptions = {},
): Promise<ValuesState> {
  const models = valueModels(db);
  const store = new FigureStore(options);
  const months = new MonthBook();
  const communeMonths = new CommuneBook();
  const replica = new Replica(
    db,
    [
      store.readModel(models.DataValue),
      months.readModel(models.MonthStep),
      communeMonths.readModel(models.CommuneStep),
      dueDateModel,
      ...(open.readModels ?? []),
    ],
    logger,
    open.followMs === undefined ? {} : { followMs: open.followMs },
  );
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
  await migrateToFigureVersions(db, models, replica.log, logger);
  const demo = open.demo ?? process.env.P06_DEMO_DATA === "1";
  // findOne, not a count: FerretDB counts by reading every document
  if (demo && !(await models.DataValue.findOne().lean().exec())) {
    await loadDemo(models, options, logger);
  }
  const started = Date.now();
  await replica.open();
  logger.info(
    { figures: store.size, version: replica.version, ms: Date.now() - started },
    "figures loaded into memory",
  );
  let stopDueDates = () => {};
  const state: ValuesState = {
    models,
    store,
    replica,
    months,
    communeMonths,
    demo: await isDemoDatabase(db),
    async close() {
      stopDueDates();
      await replica.close();
    },
  };
  const recovered = await recoverWrites(state);
  if (recovered.finished || recovered.discarded) {
    logger.warn(
      recovered,
      "recovered writes a crash interrupted: committed batches finished, uncommitted stages discarded",
    );
  }
  const now = options.now ?? (() => new Date());
  stopDueDates = recordClockChanges(replica, DUE_CHANGE, nextDueChange, now, logger);
  return state;
}
