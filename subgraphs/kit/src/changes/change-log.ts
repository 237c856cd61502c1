// The change log of a subgraph's database: every acknowledged write appends what it changed, under the
// next sequence number, so that every instance of the subgraph can follow the others' writes. It is
// read by `_id` equality only (the one filter FerretDB's SQLite backend answers without a scan), and
// a sequence number exists only once its change is inserted: insert is the allocation, so there are no
// gaps for a follower to wait on.
import { randomUUID } from "node:crypto";
import { mongo, type Collection, type Connection } from "mongoose";

/** One write's changes: a kind that names the read model part it is for, and the records after. */
export interface ChangeDoc<Payload = unknown> {
  seq: number;
  at: Date;
  kind: string;
  payload: Payload[];
}

/**
 * The log itself stays tiny (a few fields a change), so that looking for the next change is cheap: on
 * FerretDB's SQLite backend even a lookup by `_id` costs in proportion to what the collection holds
 * (measured: 40 changes of 800 figures as documents, 0.5 s a lookup; as text beside, milliseconds). The
 * records go apart, as one text each (Extended JSON: dates stay dates), read only by followers.
 */
interface LogEntry {
  /** The sequence number as zero-padded text (see idOf). */
  _id: string;
  seq: number;
  at: Date;
  kind: string;
  payload: string;
}

interface PayloadDoc {
  _id: string;
  at: Date;
  records: string;
}

/** The head (last sequence known to be taken) and floor (oldest sequence still kept) of the log. */
interface MarkDoc {
  _id: "head" | "floor" | "layout";
  value: number;
}

/** How many changes stay after pruning: a follower further behind than this reloads instead. */
export const CHANGES_KEPT = 1000;
/** How much older than the oldest change kept the records deleted by a prune are. */
const RECORDS_MARGIN_MS = 10 * 60 * 1000;
/** How often the log is pruned (each prune reads the log and the records once). */
const PRUNE_EVERY = 50;
/** How often the head hint is written: start-up probes at most this many changes past it. */
const HEAD_HINT_EVERY = 20;
/** Records per change document: a large import becomes several changes of this size. */
export const CHANGE_CHUNK = 1000;

/**
 * A change's `_id`: its sequence number as zero-padded text. FerretDB's SQLite backend looks up a text
 * `_id` without reading the collection, but not a number (measured: a numeric lookup grew from 24 ms to
 * 94 ms over three writes); padded text also sorts like the numbers.
 */
const idOf = (seq: number) => String(seq).padStart(15, "0");

const isDuplicateKey = (error: unknown) =>
  typeof error === "object" && error !== null && (error as { code?: number }).code === 11000;

export class ChangeLog {
  private readonly changes: Collection<LogEntry>;
  private readonly payloads: Collection<PayloadDoc>;
  private readonly marks: Collection<MarkDoc>;

  constructor(private readonly db: Connection) {
    this.changes = db.collection<LogEntry>("change_log");
    this.payloads = db.collection<PayloadDoc>("change_payloads");
    this.marks = db.collection<MarkDoc>("change_log_marks");
  }

  /**
   * On a server with change streams (a MongoDB replica set or sharded cluster), calls `onInsert` as
   * soon as any instance appends a change, so followers need not wait for their next look. Returns a
   * stop function, or null where the server has none (FerretDB 1.x, a standalone MongoDB): there the
   * followers' periodic look is the only way.
   */
  async watch(onInsert: () => void): Promise<(() => Promise<void>) | null> {
    const hello = await this.db
      .getClient()
      .db()
      .admin()
      .command({ hello: 1 })
      .catch(() => null);
    if (!hello?.setName && hello?.msg !== "isdbgrid") return null;
    const stream = this.changes.watch([{ $match: { operationType: "insert" } }]);
    stream.on("change", onInsert);
    // a failed stream costs only speed: the periodic look still follows the log
    stream.on("error", () => void stream.close());
    return () => stream.close();
  }

  /**
   * The change with this sequence number, null when it was never written or pruned, or "lost" when
   * its records are gone (pruned under a follower that far behind).
   */
  async read(seq: number): Promise<ChangeDoc | null | "lost"> {
    const entry = await this.changes.findOne({ _id: idOf(seq) });
    if (!entry) return null;
    const payload = await this.payloads.findOne({ _id: entry.payload });
    if (!payload) return "lost";
    return {
      seq,
      at: entry.at,
      kind: entry.kind,
      payload: mongo.BSON.EJSON.parse(payload.records, { relaxed: true }) as unknown[],
    };
  }

  /**
   * Appends a change after the last one this caller knows of: the first free sequence number wins.
   * Returns the number it got.
   */
  async append(kind: string, payload: unknown[], after: number, at = new Date()): Promise<number> {
    // the records first: a change in the log always has them
    return this.appendStored(kind, await this.storeRecords(payload, at), after, at);
  }

  /**
   * Stores a change's records under a new id, ahead of its entry (appendStored): a writer may store
   * them beside its own inserts. Records no entry ever names are pruned with the old ones.
   */
  async storeRecords(payload: unknown[], at = new Date()): Promise<string> {
    const records = randomUUID();
    await this.payloads.insertOne({
      _id: records,
      at,
      records: mongo.BSON.EJSON.stringify(payload, { relaxed: true }),
    });
    return records;
  }

  /** Appends a change whose records are stored (storeRecords), as `append` does. */
  async appendStored(kind: string, records: string, after: number, at: Date): Promise<number> {
    let seq = after + 1;
    for (;;) {
      try {
        await this.changes.insertOne({ _id: idOf(seq), seq, at, kind, payload: records });
        break;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        seq += 1;
      }
    }
    // a hint for start-up, never trusted alone (followers probe past it): kept every so often
    if (seq % HEAD_HINT_EVERY === 0) {
      await this.marks.updateOne({ _id: "head" }, { $max: { value: seq } }, { upsert: true });
    }
    if (seq % PRUNE_EVERY === 0) await this.prune(seq);
    return seq;
  }

  /** The last sequence number taken: from the head hint (or the floor, if later), probing past it. */
  async head(): Promise<number> {
    let seq = Math.max(await this.mark("head"), (await this.floor()) - 1);
    while (await this.changes.findOne({ _id: idOf(seq + 1) }, { projection: { _id: 1 } })) seq += 1;
    return seq;
  }

  /** The oldest sequence number kept: a follower behind it has missed changes and must reload. */
  floor(): Promise<number> {
    return this.mark("floor");
  }

  private async mark(name: MarkDoc["_id"]): Promise<number> {
    return (await this.marks.findOne({ _id: name }))?.value ?? 0;
  }

  /** The data layout version the database was migrated to (0 for the original one). */
  layout(): Promise<number> {
    return this.mark("layout");
  }

  async setLayout(value: number): Promise<void> {
    await this.marks.updateOne({ _id: "layout" }, { $set: { value } }, { upsert: true });
  }

  /**
   * Keeps the last CHANGES_KEPT changes: the floor moves first, so a follower that reads a missing
   * change below it knows to reload rather than skip. One delete for the hundred changes below the
   * floor (FerretDB reads the collection once for it, as it would for each delete by `_id`).
   */
  private async prune(seq: number): Promise<void> {
    const floor = seq - CHANGES_KEPT;
    if (floor <= 0) return;
    await this.marks.updateOne({ _id: "floor" }, { $max: { value: floor } }, { upsert: true });
    const oldest = await this.changes.findOne({ _id: idOf(floor) });
    await this.changes.deleteMany({ _id: { $lt: idOf(floor) } });
    // the records of the changes gone (and of any write that died before its change was logged),
    // with a margin: a write's time is taken when it starts, its place in the log when it ends
    if (oldest) {
      await this.payloads.deleteMany({
        at: { $lt: new Date(oldest.at.getTime() - RECORDS_MARGIN_MS) },
      });
    }
  }
}
