// Once, at start-up: figures stored by earlier versions (one document per figure in `datavalues`,
// replaced versions in `data_value_history`, under generated ObjectIds) become one document per
// version in `figure_versions`, under its natural `_id`, indicator|unit|period|version. Every record is
// copied before the old collections are dropped (a crash half-way copies again, ignoring what is
// there), and dropping a collection is one step where deleting its records one by one would read it
// whole for each (FerretDB 1.24).
import type { Collection, Connection } from "mongoose";
import { insertOnce } from "../bulk-write.js";
import type { ChangeLog } from "../changes/change-log.js";
import type { Logger } from "../logger.js";
import { keyOf } from "./figure-store.js";
import type { ValueModels } from "./model.js";
import { versionIdOf } from "./store.js";

/** Figures as versions under natural keys; applied batch markers deleted. */
export const FIGURE_VERSIONS_LAYOUT = 2;
const OLD_COLLECTIONS = ["datavalues", "data_value_history"];

type Keyed = { _id: unknown; indicator: string; unit: string; period: string; version: number };

async function copyVersions(from: Collection, to: Collection): Promise<number> {
  const old = (await from.find().toArray()) as unknown as Keyed[];
  // what an interrupted run copied already is left as it is
  await insertOnce(
    to,
    old.map((doc) => {
      // the earlier layouts kept who replaced a version beside it: the next version says it
      const {
        replacedAt: _,
        replacedBy: __,
        ...version
      } = doc as Keyed & { replacedAt?: unknown; replacedBy?: unknown };
      return { ...version, _id: versionIdOf(keyOf(doc), doc.version) };
    }),
  );
  return old.length;
}

export async function migrateToFigureVersions(
  db: Connection,
  models: ValueModels,
  log: ChangeLog,
  logger: Logger,
): Promise<void> {
  if ((await log.layout()) >= FIGURE_VERSIONS_LAYOUT) return;
  const existing = new Set((await db.listCollections()).map((c) => c.name));
  const copied: Record<string, number> = {};
  for (const name of OLD_COLLECTIONS.filter((name) => existing.has(name))) {
    copied[name] = await copyVersions(db.collection(name), models.DataValue.collection);
  }
  for (const name of OLD_COLLECTIONS.filter((name) => existing.has(name))) {
    await db.dropCollection(name);
  }
  const { deletedCount } = await models.ValueBatch.deleteMany({ state: "applied" });
  await log.setLayout(FIGURE_VERSIONS_LAYOUT);
  if (Object.keys(copied).length || deletedCount) {
    logger.info(
      { copied, appliedBatchMarkers: deletedCount },
      "moved figures to one document per version under natural keys",
    );
  }
}
