// Writes validated figures. Re-submitting a key replaces the value and first copies the old version
// into the history collection: nothing is ever silently lost.
import { appendAudit, type AuditAction } from "../audit.js";
import { bulkWriteInBatches } from "../bulk-write.js";
import { userError } from "../errors.js";
import type { DataValueDoc, ValueModels } from "./model.js";
import type { NormalizedValue } from "./validate.js";

const keyOf = (v: { indicator: string; unit: string; period: string }) =>
  `${v.indicator}|${v.unit}|${v.period}`;

export interface WriteSummary {
  created: number;
  replaced: number;
  values: DataValueDoc[];
}

/** One query for many keys: the `$in` superset on the key index, then filtered to the exact keys. */
export async function findByKeys(
  models: ValueModels,
  keys: { indicator: string; unit: string; period: string }[],
): Promise<Map<string, DataValueDoc>> {
  if (keys.length === 0) return new Map();
  const distinct = (pick: (k: (typeof keys)[number]) => string) => [...new Set(keys.map(pick))];
  const docs = await models.DataValue.find({
    indicator: { $in: distinct((k) => k.indicator) },
    unit: { $in: distinct((k) => k.unit) },
    period: { $in: distinct((k) => k.period) },
  })
    .lean<DataValueDoc[]>()
    .exec();
  const wanted = new Set(keys.map(keyOf));
  return new Map(docs.filter((doc) => wanted.has(keyOf(doc))).map((doc) => [keyOf(doc), doc]));
}

export async function writeValues(
  models: ValueModels,
  values: NormalizedValue[],
  reportedBy: string,
  now: Date,
  action: AuditAction = "value.submit",
): Promise<WriteSummary> {
  const existing = await findByKeys(models, values);
  const replaced = values.filter((v) => existing.has(keyOf(v)));
  // history first: if the process dies between the two writes, the old version is kept twice
  // (once in history, once as current), never lost
  await bulkWriteInBatches(
    models.DataValueHistory,
    replaced.map((v) => {
      const { _id: _, ...old } = existing.get(keyOf(v)) as DataValueDoc & { _id: unknown };
      return { insertOne: { document: { ...old, replacedAt: now, replacedBy: reportedBy } } };
    }),
  );
  const written: DataValueDoc[] = values.map((v) => ({
    ...v,
    reportedBy,
    reportedAt: now,
    firstReportedAt: existing.get(keyOf(v))?.firstReportedAt ?? now,
    version: (existing.get(keyOf(v))?.version ?? 0) + 1,
  }));
  await appendAudit(
    models.Audit,
    reportedBy,
    action,
    written.map((doc) => ({
      subject: keyOf(doc),
      before: existing.get(keyOf(doc)) ?? null,
      after: doc,
    })),
    now,
  );
  const results = await bulkWriteInBatches(
    models.DataValue,
    written.map((doc) => {
      const previous = existing.get(keyOf(doc));
      return previous
        ? {
            updateOne: {
              // only the version we read: a concurrent replacement makes this match nothing
              filter: {
                indicator: doc.indicator,
                unit: doc.unit,
                period: doc.period,
                version: previous.version,
              },
              update: { $set: doc },
            },
          }
        : { insertOne: { document: doc } };
    }),
  );
  if (results.matchedCount !== replaced.length) {
    throw userError(
      "another submission replaced some of these values at the same moment; submit again",
      {
        code: "CONFLICT",
      },
    );
  }
  return { created: values.length - replaced.length, replaced: replaced.length, values: written };
}
