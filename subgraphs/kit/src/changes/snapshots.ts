// Snapshots of a read model: its whole state at a change log sequence, in a few large documents read
// by `_id`. Start-up restores the latest one and replays the log after it instead of reading every
// record (FerretDB decodes each document it scans: 49,000 figures take ~9 s one by one, ~1 s as a
// snapshot). A snapshot is only a shortcut: without one, or behind the log's floor, the read model
// is loaded from its collections, which stay the durable record.
import type { Collection, Connection } from "mongoose";
import { insertOnce } from "../bulk-write.js";

/** Records per snapshot document (as JSON text, a few MB at most). */
const RECORDS_PER_CHUNK = 5000;

interface SnapshotDoc {
  _id: string;
  /** The meta document: the sequence the state stands at and its chunks' ids. */
  seq?: number;
  chunks?: string[];
  /** A chunk: records as JSON text (stored as one string, nothing for the server to decode). */
  records?: string;
}

export class Snapshots {
  private readonly collection: Collection<SnapshotDoc>;

  constructor(db: Connection) {
    this.collection = db.collection<SnapshotDoc>("read_model_snapshots");
  }

  /** The latest snapshot of a read model, or null. */
  async read(name: string): Promise<{ seq: number; records: unknown[] } | null> {
    const meta = await this.collection.findOne({ _id: name });
    if (meta?.seq === undefined || !meta.chunks) return null;
    const chunks = await Promise.all(meta.chunks.map((id) => this.collection.findOne({ _id: id })));
    if (chunks.some((chunk) => !chunk?.records)) return null;
    return {
      seq: meta.seq,
      records: chunks.flatMap((chunk) => JSON.parse(chunk!.records!) as unknown[]),
    };
  }

  /** The sequence of the latest snapshot, or -1. */
  async seq(name: string): Promise<number> {
    return (await this.collection.findOne({ _id: name }, { projection: { seq: 1 } }))?.seq ?? -1;
  }

  /**
   * Deletes every snapshot whose name starts with `prefix`, chunks and all: the next start reads
   * those read models from their collections.
   */
  async forget(prefix: string): Promise<void> {
    const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    await this.collection.deleteMany({ _id: { $regex: `^${escaped}` } });
  }

  /**
   * Writes a snapshot taken at `seq`: the chunks first, then the meta document that points at them
   * (so a crash leaves the previous snapshot whole), then the previous chunks are deleted.
   */
  async write(name: string, seq: number, records: unknown[]): Promise<void> {
    // serialised at once: the state cannot change between the caller's read and this
    const texts: string[] = [];
    for (let start = 0; start < records.length; start += RECORDS_PER_CHUNK) {
      texts.push(JSON.stringify(records.slice(start, start + RECORDS_PER_CHUNK)));
    }
    const previous = await this.collection.findOne({ _id: name });
    if ((previous?.seq ?? -1) >= seq) return;
    const chunks = texts.map((_, i) => `${name}|${seq}|${i}`);
    // plain inserts and updates by `_id` (an upsert makes FerretDB scan); the same snapshot written
    // by two instances at once is the same text
    await insertOnce(
      this.collection as unknown as Collection,
      chunks.map((id, i) => ({ _id: id, records: texts[i]! })),
    );
    if (previous) await this.collection.updateOne({ _id: name }, { $set: { seq, chunks } });
    else await insertOnce(this.collection as unknown as Collection, [{ _id: name, seq, chunks }]);
    const stale = (previous?.chunks ?? []).filter((id) => !chunks.includes(id));
    if (stale.length) await this.collection.deleteMany({ _id: { $in: stale } });
  }
}
