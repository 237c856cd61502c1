// Per-request batching: every `load(key)` made while resolving one tick becomes one `$in` query.
import DataLoader from "dataloader";
import type { Model } from "mongoose";

/**
 * A loader of lean documents by a unique field. Results come back in key order with `null` for
 * keys that match nothing (MongoDB's `$in` keeps no order).
 */
export function loaderByField<Doc extends object, K extends keyof Doc & string>(
  model: Model<Doc>,
  field: K,
): DataLoader<Doc[K], Doc | null> {
  return new DataLoader(async (keys) => {
    const docs = (await model
      .find({ [field]: { $in: keys } } as never)
      .lean()
      .exec()) as Doc[];
    const byKey = new Map(docs.map((doc) => [doc[field], doc]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}
