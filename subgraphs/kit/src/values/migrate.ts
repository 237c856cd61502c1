// Once, at start-up: figures and their history stored by earlier versions under generated ObjectIds get
// their natural keys as `_id`. Each record is inserted under its new id before the old one is deleted,
// so a crash half-way keeps a record twice (the next start finishes), never loses one.
import type { Model } from "mongoose";
import type { ChangeLog } from "../changes/change-log.js";
import type { Logger } from "../logger.js";
import { keyOf } from "./figure-store.js";
import type { ValueModels } from "./model.js";
import { historyIdOf } from "./store.js";

/** Figures keyed by indicator|unit|period, history by key|version; applied batch markers deleted. */
export const NATURAL_KEYS_LAYOUT = 1;

type Keyed = { _id: unknown; indicator: string; unit: string; period: string; version: number };

async function rekey<Doc>(model: Model<Doc>, idOf: (doc: Keyed) => string): Promise<number> {
  const old = (await model.collection
    .find({ _id: { $type: "objectId" } } as never)
    .toArray()) as unknown as Keyed[];
  for (let start = 0; start < old.length; start += 100) {
    const chunk = old.slice(start, start + 100);
    await model.collection
      .insertMany(chunk.map((doc) => ({ ...doc, _id: idOf(doc) })) as never, { ordered: false })
      .catch((error: { writeErrors?: { code?: number }[] }) => {
        // already moved by an interrupted run
        if (!error.writeErrors?.every((e) => e.code === 11000)) throw error;
      });
    await model.collection.bulkWrite(
      chunk.map((doc) => ({ deleteOne: { filter: { _id: doc._id } as never } })),
      { ordered: false },
    );
  }
  return old.length;
}

export async function migrateToNaturalKeys(
  models: ValueModels,
  log: ChangeLog,
  logger: Logger,
): Promise<void> {
  if ((await log.layout()) >= NATURAL_KEYS_LAYOUT) return;
  // the old unique index on (indicator, unit, period) would refuse the copy under the new id; the
  // others only slow writes down now that records are found by `_id`
  for (const { collection } of [models.DataValue, models.DataValueHistory]) {
    for (const index of await collection.indexes().catch(() => [])) {
      if (index.name && index.name !== "_id_") await collection.dropIndex(index.name);
    }
  }
  const figures = await rekey(models.DataValue, keyOf);
  const history = await rekey(models.DataValueHistory, (doc) =>
    historyIdOf(keyOf(doc), doc.version),
  );
  const { deletedCount } = await models.ValueBatch.deleteMany({ state: "applied" });
  await log.setLayout(NATURAL_KEYS_LAYOUT);
  if (figures || history || deletedCount) {
    logger.info(
      { figures, history, appliedBatchMarkers: deletedCount },
      "moved figures and history to natural keys",
    );
  }
}
