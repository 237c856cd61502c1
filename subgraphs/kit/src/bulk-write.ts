import type { Collection, Model } from "mongoose";

/**
 * FerretDB 1.24 stops answering an update command whose batch matches more than 100 existing
 * documents (seen here: upserts of 101 existing codes never return). Batches of at most 100 work on
 * FerretDB and cost nothing on MongoDB.
 */
export const MAX_WRITE_BATCH = 100;

/** `bulkWrite` in ordered batches of at most MAX_WRITE_BATCH operations. */
export async function bulkWriteInBatches<Doc>(
  model: Model<Doc>,
  operations: Parameters<Model<Doc>["bulkWrite"]>[0],
): Promise<{ matchedCount: number; insertedCount: number; upsertedCount: number }> {
  const totals = { matchedCount: 0, insertedCount: 0, upsertedCount: 0 };
  for (let start = 0; start < operations.length; start += MAX_WRITE_BATCH) {
    const result = await model.bulkWrite(operations.slice(start, start + MAX_WRITE_BATCH), {
      ordered: true,
    });
    totals.matchedCount += result.matchedCount;
    totals.insertedCount += result.insertedCount;
    totals.upsertedCount += result.upsertedCount;
  }
  return totals;
}

/**
 * Inserts documents that carry their natural `_id`, 100 at a time, in any order. A document whose `_id`
 * is already there was stored before (by an earlier try of the same write, or another writer): it is
 * left as it is and its id returned, for the caller to decide whether that is its own.
 */
export async function insertOnce<Doc extends { _id: string }>(
  collection: Collection,
  docs: Doc[],
): Promise<Set<string>> {
  const there = new Set<string>();
  for (let start = 0; start < docs.length; start += MAX_WRITE_BATCH) {
    const chunk = docs.slice(start, start + MAX_WRITE_BATCH);
    try {
      await collection.insertMany(chunk as never[], { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code?: number; index: number }[] })
        .writeErrors;
      // 11000: duplicate key. A batch the server never answered (it went away) fails with no write
      // errors at all: that is a failure, not "every document there already"
      if (!writeErrors?.length || !writeErrors.every((e) => e.code === 11000)) throw error;
      for (const e of writeErrors) there.add(chunk[e.index]!._id);
    }
  }
  return there;
}
