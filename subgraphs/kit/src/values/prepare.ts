// Start-up of a subgraph's values: indexes, the move to natural keys, demo data on an empty database
// when asked, the figures loaded into memory, then the writes a crash interrupted finished.
import type { Connection } from "mongoose";
import { Replica, type ReadModel } from "../changes/replica.js";
import type { Logger } from "../logger.js";
import type { IndicatorDefinition } from "./definitions.js";
import { demoResubmissions, demoValues } from "./demo.js";
import { FigureStore, keyOf } from "./figure-store.js";
import { migrateToFigureVersions } from "./migrate.js";
import { MonthBook } from "./months.js";
import { valueModels, type ValueModels } from "./model.js";
import { recoverWrites, versionIdOf, type ValuesState } from "./store.js";
import { currentPeriod } from "./validate.js";

export interface PrepareOptions {
  definitions: IndicatorDefinition[];
  units: string[];
  cityCode: string;
}

export interface OpenOptions {
  /** Load demo figures into an empty database (default: P06_DEMO_DATA=1). */
  demo?: boolean;
  /** Other read models of the subgraph that follow the same change log (the plan's tasks...). */
  readModels?: ReadModel[];
  /** How often to follow other instances' writes (ms; 0: only at writes). */
  followMs?: number;
}

/**
 * The last month of demo data: the last complete month, or with P06_DEMO_YEARS=5 December 2030 (the
 * plan's whole span, for measuring at full size).
 */
export function demoLastMonth(env = process.env): string {
  if (env.P06_DEMO_YEARS?.trim() === "5") return "2030-12";
  return currentPeriod(new Date(Date.now() - 28 * 24 * 3600 * 1000));
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
  const docs = demoValues(options.definitions, {
    seed,
    from: "2026-01",
    to: demoLastMonth(),
    units: options.units,
    cityCode: options.cityCode,
  });
  const history = demoResubmissions(docs, seed);
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
    { values: docs.length, history: history.length, ms: Date.now() - started },
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
  const replica = new Replica(
    db,
    [
      store.readModel(models.DataValue),
      months.readModel(models.MonthStep),
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
  const state = { models, store, replica, months, demo: await isDemoDatabase(db) };
  const recovered = await recoverWrites(state);
  if (recovered.finished || recovered.discarded) {
    logger.warn(
      recovered,
      "recovered writes a crash interrupted: committed batches finished, uncommitted stages discarded",
    );
  }
  return state;
}
