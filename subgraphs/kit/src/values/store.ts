// Writes validated figures. Re-submitting a key replaces the value and first copies the old version
// into the history collection: nothing is ever silently lost.
import { createHash, randomUUID } from "node:crypto";
import { Types } from "mongoose";
import type { AuditAction } from "../audit.js";
import { bulkWriteInBatches } from "../bulk-write.js";
import { userError } from "../errors.js";
import type { DataValueDoc, StagedValueDoc, ValueBatchDoc, ValueModels } from "./model.js";
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

/**
 * Stores figures all or nothing, without transactions (FerretDB 1.x has none): the new versions are
 * staged, then one marker document commits the batch, then they are applied. A crash before the marker
 * leaves nothing (recovery discards the stage); after it, recovery finishes applying. Applying is
 * idempotent: the audit entry and history copy of each figure have ids derived from the batch, and a
 * figure is replaced only from the version that was read.
 */
export async function writeValues(
  models: ValueModels,
  values: NormalizedValue[],
  reportedBy: string,
  now: Date,
  action: AuditAction = "value.submit",
): Promise<WriteSummary> {
  const existing = await findByKeys(models, values);
  const batch = randomUUID();
  const written: DataValueDoc[] = values.map((v) => ({
    ...v,
    reportedBy,
    reportedAt: now,
    firstReportedAt: existing.get(keyOf(v))?.firstReportedAt ?? now,
    version: (existing.get(keyOf(v))?.version ?? 0) + 1,
    // each stored figure names the write that stored it: how an application recognises its own
    batch,
  }));
  const staged: StagedValueDoc[] = written.map((after) => {
    const before = existing.get(keyOf(after));
    return {
      _id: `${batch}|${keyOf(after)}`,
      batch,
      key: keyOf(after),
      before: before ? withoutId(before) : null,
      after,
    };
  });
  await bulkWriteInBatches(
    models.StagedValue,
    staged.map((document) => ({ insertOne: { document } })),
  );
  // the switch: from here on the batch will be stored whole
  await models.ValueBatch.create({
    _id: batch,
    actor: reportedBy,
    action,
    at: now,
    count: staged.length,
    state: "committed",
  });
  const record = { _id: batch, actor: reportedBy, action, at: now };
  // applying is idempotent: a passing fault gets one more try here, a crash gets recovery at start-up
  const conflicts = await applyBatch(models, record, staged).catch(() =>
    applyBatch(models, record, staged),
  );
  if (conflicts.length > 0) {
    throw userError(
      `another submission replaced ${conflicts.join(", ")} at the same moment; those were not stored, submit them again`,
      { code: "CONFLICT", conflicts },
    );
  }
  const replaced = staged.filter((s) => s.before).length;
  return { created: staged.length - replaced, replaced, values: written };
}

/** An ObjectId derived from a text: the same text, the same id. */
function stableId(text: string): Types.ObjectId {
  return new Types.ObjectId(
    createHash("sha256").update(text).digest().subarray(0, 12).toString("hex"),
  );
}

function withoutId<T extends object>(doc: T): T {
  const { _id: _, ...rest } = doc as T & { _id?: unknown };
  return rest as T;
}

/** Applies a committed batch (again, after a crash): audit, history, figures; returns conflicting keys. */
async function applyBatch(
  models: ValueModels,
  batch: { _id: string; actor: string; action: string; at: Date },
  staged: StagedValueDoc[],
): Promise<string[]> {
  // the same id on every application of the batch: a second one inserts nothing
  const upsert = (id: string, document: object) => ({
    updateOne: { filter: { _id: stableId(id) }, update: { $setOnInsert: document }, upsert: true },
  });
  await bulkWriteInBatches(
    models.Audit,
    staged.map((s) =>
      upsert(s._id, {
        at: batch.at,
        actor: batch.actor,
        action: batch.action,
        batch: batch._id,
        subject: s.key,
        before: s.before,
        after: s.after,
      }),
    ) as never,
  );
  // the old version is copied to history before it is replaced: never lost
  await bulkWriteInBatches(
    models.DataValueHistory,
    staged
      .filter((s) => s.before)
      .map((s) =>
        upsert(s._id, { ...s.before, replacedAt: batch.at, replacedBy: batch.actor }),
      ) as never,
  );
  const applied = await bulkWriteInBatches(
    models.DataValue,
    staged.map(({ before, after }) => {
      const key = { indicator: after.indicator, unit: after.unit, period: after.period };
      return before
        ? // only from the version that was read: a concurrent replacement makes this match nothing
          { updateOne: { filter: { ...key, version: before.version }, update: { $set: after } } }
        : { updateOne: { filter: key, update: { $setOnInsert: after }, upsert: true } };
    }),
  );
  // every replacement matched its version and every new figure was inserted here: nothing to check;
  // otherwise (a concurrent writer, or a batch applied again) read which figures are not this batch's
  const replacing = staged.filter((s) => s.before).length;
  const clean =
    applied.matchedCount === replacing && applied.upsertedCount === staged.length - replacing;
  const stored = clean
    ? null
    : await findByKeys(
        models,
        staged.map((s) => s.after),
      );
  const conflicts = stored
    ? staged.filter((s) => stored.get(s.key)?.batch !== batch._id).map((s) => s.key)
    : [];
  await models.ValueBatch.updateOne({ _id: batch._id }, { $set: { state: "applied" } });
  await models.StagedValue.deleteMany({ batch: batch._id });
  return conflicts;
}

/**
 * At start-up: finishes every committed batch a crash interrupted and discards every stage that was
 * never committed. Returns what it did.
 */
export async function recoverWrites(
  models: ValueModels,
): Promise<{ finished: number; discarded: number }> {
  const committed = await models.ValueBatch.find({ state: "committed" })
    .lean<ValueBatchDoc[]>()
    .exec();
  for (const batch of committed) {
    const staged = await models.StagedValue.find({ batch: batch._id })
      .lean<StagedValueDoc[]>()
      .exec();
    await applyBatch(models, batch, staged);
  }
  const known = new Set(committed.map((b) => b._id));
  const orphans = (await models.StagedValue.distinct("batch")) as string[];
  const discard = orphans.filter((batch) => !known.has(batch));
  if (discard.length) await models.StagedValue.deleteMany({ batch: { $in: discard } });
  return { finished: committed.length, discarded: discard.length };
}
