// The per-request part of data values: models and DataLoaders (one query per request per kind).
import DataLoader from "dataloader";
import type { Connection } from "mongoose";
import { valueModels, type DataValueDoc, type ValueModels } from "./model.js";
import { findByKeys } from "./store.js";

export interface ValueKey {
  indicator: string;
  unit: string;
  period: string;
}

export function createValuesContext(db: Connection) {
  const models: ValueModels = valueModels(db);
  return {
    models,
    loaders: {
      /** Every value of each indicator asked for, in one query. */
      valuesByIndicator: new DataLoader<string, DataValueDoc[]>(async (codes) => {
        const docs = await models.DataValue.find({ indicator: { $in: codes } })
          .sort({ period: 1, unit: 1 })
          .lean<DataValueDoc[]>()
          .exec();
        const byCode = new Map<string, DataValueDoc[]>(codes.map((code) => [code, []]));
        for (const doc of docs) byCode.get(doc.indicator)?.push(doc);
        return codes.map((code) => byCode.get(code)!);
      }),
      /** Values by their key (entity references), in one query. */
      valueByKey: new DataLoader<ValueKey, DataValueDoc | null, string>(
        async (keys) => {
          const found = await findByKeys(models, [...keys]);
          return keys.map((k) => found.get(`${k.indicator}|${k.unit}|${k.period}`) ?? null);
        },
        { cacheKeyFn: (k) => `${k.indicator}|${k.unit}|${k.period}` },
      ),
    },
  };
}

export type ValuesContext = ReturnType<typeof createValuesContext>;

/** What the kit's resolvers need from a subgraph's request context. */
export interface KitContext {
  /** The calling agency's code, or null for an anonymous read. */
  caller: string | null;
  values: ValuesContext;
}
