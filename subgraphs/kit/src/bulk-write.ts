import type { Model } from "mongoose";

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
