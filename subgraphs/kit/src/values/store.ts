// Writes validated figures. Re-submitting a key stores the next version beside the earlier ones: nothing
// is ever lost, and the latest version is the figure. Every record is only inserted, under a natural
// `_id` (a figure version's is indicator|unit|period|version), and found by it: FerretDB 1.24 serves
// inserts and `_id` lookups without reading the collection, but reads all of it for any update or
// delete, even by `_id`. So a write costs its batch, never the data already stored.
import { randomUUID } from "node:crypto";
import { mongo } from "mongoose";
import type { Actor, AuditAction } from "../audit.js";
import { insertOnce } from "../bulk-write.js";
import type { Replica } from "../changes/replica.js";
import { userError } from "../errors.js";
import type { Person } from "../signing.js";
import { keyOf, VALUES_CHANGE, type FigureStore } from "./figure-store.js";
import type { CommuneBook } from "./commune-review.js";
import type { MonthBook } from "./months.js";
import type {
  DataValueDoc,
  StagedChunkDoc,
  StagedValueDoc,
  ValueBatchDoc,
  ValueModels,
} from "./model.js";
import type { NormalizedValue } from "./validate.js";

/** What a write needs: the collections, the figures in memory, and the change log to publish to. */
export interface ValuesState {
  models: ValueModels;
  store: FigureStore;
  replica: Replica;
  /** Each agency's months under review: where a write to an accepted month is refused. */
  months: MonthBook;
  /** Each commune's months with each agency under review (the first level). */
  communeMonths: CommuneBook;
  /** Whether its figures are demo data (loaded into its empty database at a start-up). */
  demo: boolean;
  /** Stops following the change log and recording due dates (prepare.ts). */
  close(): Promise<void>;
}

export interface WriteSummary {
  created: number;
  replaced: number;
  values: DataValueDoc[];
}

const { EJSON } = mongo.BSON;
const STAGED_PER_DOCUMENT = 1000;

/** A figure version's id: the figure's key and the version. */
export const versionIdOf = (key: string, version: number) => `${key}|${version}`;

/**
 * Stores figures all or nothing, without transactions (FerretDB 1.x has none): the new versions are
 * staged, then one marker document commits the batch, then they are applied and published to the
 * change log. A crash before the marker leaves nothing (recovery discards the stage); after it,
 * recovery finishes applying. Applying is idempotent: the audit entry of each figure has an id derived
 * from the batch and key, and each new version's id is its key and version, which only one write can
 * insert: a concurrent replacement of the same version is refused, never overwritten.
 */
export async function writeValues(
  state: ValuesState,
  values: NormalizedValue[],
  actor: Actor,
  now: Date,
  action: AuditAction = "value.submit",
  /** The months the figures belong to, when not the actor's own (a commune writes its agencies'). */
  monthsOf?: (value: NormalizedValue) => { agencies: string[]; commune?: string },
): Promise<WriteSummary> {
  const { models, store, replica } = state;
  // the versions being replaced, as of every write acknowledged so far by any instance (a follower
  // under the log's floor is the periodic look's to notice)
  await replica.catchUp(0, false);
  // as of the same catch-up: a month submitted for review or accepted takes no figure
  for (const value of values) {
    const months = monthsOf?.(value) ?? { agencies: [actor.agency] };
    for (const agency of months.agencies) {
      state.months.checkWritable(agency, value.period);
      if (months.commune) state.communeMonths.checkWritable(agency, months.commune, value.period);
    }
  }
  const batch = randomUUID();
  const staged: StagedValueDoc[] = values.map((v) => {
    const key = keyOf(v);
    const before = store.get(v);
    return {
      _id: `${batch}|${key}`,
      batch,
      key,
      before,
      after: {
        _id: versionIdOf(key, (before?.version ?? 0) + 1),
        ...v,
        reportedBy: actor.agency,
        person: actor.person,
        reportedAt: now,
        firstReportedAt: before?.firstReportedAt ?? now,
        version: (before?.version ?? 0) + 1,
        // each stored figure names the write that stored it: how an application recognises its own
        batch,
      },
    };
  });
  // a batch that fits one document is staged in its commit marker: one insert does both
  const inline = staged.length <= STAGED_PER_DOCUMENT;
  const chunks: StagedChunkDoc[] = [];
  for (let start = 0; !inline && start < staged.length; start += STAGED_PER_DOCUMENT) {
    chunks.push({
      _id: `${batch}|${chunks.length}`,
      batch,
      records: EJSON.stringify(staged.slice(start, start + STAGED_PER_DOCUMENT), { relaxed: true }),
    });
  }
  await insertOnce(models.StagedValue.collection, chunks);
  // the switch: from here on the batch will be stored whole
  await models.ValueBatch.create({
    _id: batch,
    actor: actor.agency,
    person: actor.person,
    action,
    at: now,
    count: staged.length,
    state: "committed",
    ...(inline && { records: EJSON.stringify(staged, { relaxed: true }) }),
  });
  const record = { _id: batch, actor: actor.agency, person: actor.person, action, at: now, inline };
  // applying is idempotent: a passing fault gets one more try here, a crash gets recovery at start-up
  const conflicts = await applyBatch(state, record, staged).catch(() =>
    applyBatch(state, record, staged),
  );
  if (conflicts.length > 0) {
    throw userError(
      `another submission replaced ${conflicts.join(", ")} at the same moment; those were not stored, submit them again`,
      { code: "CONFLICT", conflicts },
    );
  }
  const replaced = staged.filter((s) => s.before).length;
  return { created: staged.length - replaced, replaced, values: staged.map((s) => s.after) };
}

/** Applies a committed batch (again, after a crash): audit, figures; returns conflicting keys. */
async function applyBatch(
  { models, replica }: ValuesState,
  batch: {
    _id: string;
    actor: string;
    person?: Person | null;
    action: string;
    at: Date;
    inline: boolean;
  },
  staged: StagedValueDoc[],
): Promise<string[]> {
  // the audit, the figures and the change's records at once: one wait for the database, not three
  // (each is only inserted; the change is logged after, once the figures are in)
  const change = replica.prepare(
    VALUES_CHANGE,
    staged.map((s) => s.after),
    batch.at,
  );
  const [, taken] = await Promise.all([
    insertOnce(
      models.Audit.collection,
      staged.map((s) => ({
        _id: s._id,
        at: batch.at,
        actor: batch.actor,
        person: batch.person ?? null,
        action: batch.action,
        batch: batch._id,
        subject: s.key,
        before: s.before ? withoutId(s.before) : null,
        after: withoutId(s.after),
      })),
    ),
    // the earlier versions stay: a replacement is one more version
    insertOnce(
      models.DataValue.collection,
      staged.map((s) => s.after as DataValueDoc & { _id: string }),
    ),
    change.stored,
  ]);
  // a version already there is this batch's if an earlier application stored it; otherwise another
  // write took that version first: a conflict
  const conflicts: string[] = [];
  for (const s of staged.filter((s) => taken.has(s.after._id!))) {
    const stored = await models.DataValue.findById(s.after._id).lean<DataValueDoc>().exec();
    if (stored?.batch !== batch._id) conflicts.push(s.key);
  }
  const conflicting = new Set(conflicts);
  if (conflicts.length === 0) await change.publish();
  else {
    await replica.publish(
      VALUES_CHANGE,
      staged.filter((s) => !conflicting.has(s.key)).map((s) => s.after),
      batch.at,
    );
  }
  // small collections (the writes in progress): one pass each
  if (!batch.inline) await models.StagedValue.deleteMany({ batch: batch._id });
  await models.ValueBatch.deleteOne({ _id: batch._id });
  return conflicts;
}

function withoutId<T extends object>(doc: T): T {
  const { _id: _, ...rest } = doc as T & { _id?: unknown };
  return rest as T;
}

/**
 * At start-up: finishes every committed batch a crash interrupted and discards every stage that was
 * never committed. Returns what it did.
 */
export async function recoverWrites(
  state: ValuesState,
): Promise<{ finished: number; discarded: number }> {
  const { models } = state;
  const committed = await models.ValueBatch.find({ state: "committed" })
    .lean<ValueBatchDoc[]>()
    .exec();
  for (const batch of committed) {
    const chunks = batch.records
      ? [{ records: batch.records }]
      : await models.StagedValue.find({ batch: batch._id }).lean<StagedChunkDoc[]>().exec();
    const staged = chunks.flatMap(
      (chunk) => EJSON.parse(chunk.records, { relaxed: true }) as StagedValueDoc[],
    );
    await applyBatch(state, { ...batch, inline: batch.records !== undefined }, staged);
  }
  const known = new Set(committed.map((b) => b._id));
  const orphans = (await models.StagedValue.distinct("batch")) as string[];
  const discard = orphans.filter((batch) => !known.has(batch));
  if (discard.length) await models.StagedValue.deleteMany({ batch: { $in: discard } });
  return { finished: committed.length, discarded: discard.length };
}
