// A subgraph instance's copy of its database in memory: read models loaded once at start-up, then kept
// current by the change log, whether the change was written by this instance or by another one.
// `version` is the last change applied: the subgraph's data version, which every write advances and
// which the gateway compares to know an answer is still fresh.
import type { Connection } from "mongoose";
import type { Logger } from "../logger.js";
import { CHANGE_CHUNK, CHANGES_KEPT, ChangeLog, type ChangeDoc } from "./change-log.js";
import { Snapshots } from "./snapshots.js";
import { allAt, earliestPeriod, withChange, type Steps } from "./steps.js";

/** A part of a subgraph's state in memory. */
export interface ReadModel {
  /** The change kinds it follows. */
  readonly kinds: readonly string[];
  /** Reads its whole state from the database (start-up, or after falling behind the log). */
  load(): Promise<void>;
  /**
   * Applies one change. Must be idempotent and state-based: applying a change twice, or an older
   * record after a newer one, changes nothing.
   */
  apply(kind: string, payload: unknown[]): void;
  /**
   * Its records each name the month they change (`period`), and change nothing read of an earlier
   * month: a change reaches back only to its earliest record's month (steps.ts). Otherwise a change
   * may touch any month.
   */
  readonly byPeriod?: boolean;
  /** The kinds of its changes whose records each name their month, as `byPeriod` says, when not all. */
  readonly kindsByPeriod?: readonly string[];
  /**
   * For a large state: a snapshot name, its records, and how to restore them, so that start-up reads
   * a few documents and the log after them instead of every record.
   */
  snapshot?: { name: string; dump(): unknown[]; restore(records: unknown[]): void };
}

/** A change whose records are being stored (Replica.prepare). */
export interface PreparedChange {
  /** Settles once the records are stored (rejects if they could not be). */
  readonly stored: Promise<unknown>;
  /** Logs the change and applies it here, as `Replica.publish`; returns its version. */
  publish(): Promise<number>;
}

/** A snapshot is written every this many changes: well inside what the log keeps (CHANGES_KEPT). */
export const SNAPSHOT_EVERY = CHANGES_KEPT / 4;

export interface ReplicaOptions {
  /** How often to look for other instances' writes (default P06_FOLLOW_MS or 200 ms). */
  followMs?: number;
}

export class Replica {
  /** The last change applied: the data version of what this instance serves. */
  version = 0;
  /** Where the changes up to `version` fell, by month (steps.ts): since this instance loaded. */
  steps: Steps = allAt(0);
  readonly log: ChangeLog;
  private readonly snapshots: Snapshots;
  /** The version of the last snapshot written or read, and the one being written. */
  private snapshotSeq = -1;
  /** Set when a model was read whole: the next start should not have to. */
  private snapshotDue = false;
  private snapshotting: Promise<void> | null = null;
  private readonly byKind = new Map<string, ReadModel>();
  /** This instance's own changes, applied without reading them back. */
  private readonly pending = new Map<number, ChangeDoc>();
  private syncing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopWatching: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Connection,
    private readonly models: ReadModel[],
    private readonly logger: Logger,
    private readonly options: ReplicaOptions = {},
  ) {
    this.log = new ChangeLog(db);
    this.snapshots = new Snapshots(db);
    for (const model of models) for (const kind of model.kinds) this.byKind.set(kind, model);
  }

  /** Loads every read model, catches up with the log, then follows it. */
  async open(): Promise<void> {
    await this.reload();
    const followMs = this.options.followMs ?? Number(process.env.P06_FOLLOW_MS ?? 200);
    // one look at a time, and none while the database is away (they would only queue up); once it
    // is back the next look catches up, as does the subgraph's reconnection (availability.ts)
    let looking = false;
    let again = false;
    const look = () => {
      if (this.db.readyState !== 1) return;
      if (looking) {
        again = true;
        return;
      }
      looking = true;
      again = false;
      this.catchUp()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, "could not follow the change log; trying again"),
        )
        .finally(() => {
          looking = false;
          if (again) look();
        });
    };
    if (followMs > 0) {
      this.timer = setInterval(look, followMs);
      this.timer.unref();
    }
    this.stopWatching = await this.log.watch(look);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.stopWatching?.();
    await this.settled();
  }

  /**
   * Records an acknowledged write in the log and applies it here before returning, so the writer's
   * next read sees it. Large payloads go in several changes.
   */
  publish(kind: string, payload: unknown[], at = new Date()): Promise<number> {
    return this.prepare(kind, payload, at).publish();
  }

  /**
   * Starts storing a change's records, so that a write can store them beside its own inserts (one
   * round trip to the database for all of them); the change is logged and applied only by its
   * `publish`, once what it records is stored. Records never published are pruned.
   */
  prepare(kind: string, payload: unknown[], at = new Date()): PreparedChange {
    const chunks: { payload: unknown[]; records: Promise<string> }[] = [];
    for (let start = 0; start === 0 || start < payload.length; start += CHANGE_CHUNK) {
      const chunk = payload.slice(start, start + CHANGE_CHUNK);
      chunks.push({ payload: chunk, records: this.log.storeRecords(chunk, at) });
    }
    const stored = Promise.all(chunks.map((chunk) => chunk.records));
    return {
      stored,
      publish: async () => {
        await stored;
        let seq = this.version;
        for (const chunk of chunks) {
          seq = await this.log.appendStored(kind, await chunk.records, seq, at);
          // unless a look at the log has applied it already
          if (seq > this.version) this.pending.set(seq, { seq, at, kind, payload: chunk.payload });
        }
        await this.catchUp(seq);
        return seq;
      },
    };
  }

  /**
   * Applies the changes after `version`: up to `target` when given (a write waiting for its own), else
   * every one there is. One catch-up at a time.
   */
  catchUp(target = 0, lookUnderFloor = true): Promise<void> {
    const run = this.syncing.then(() => this.follow(target, lookUnderFloor));
    this.syncing = run.catch(() => {});
    return run;
  }

  private async follow(target: number, lookUnderFloor = true): Promise<void> {
    for (;;) {
      const next = this.version + 1;
      // a write waiting for its own change stops there; the next look reads further
      if (target > 0 && next > target) break;
      const change = this.pending.get(next) ?? (await this.log.read(next));
      if (change === "lost") {
        this.logger.warn({ version: this.version }, "a change's records were pruned: reloading");
        await this.reload();
        break;
      }
      if (!change) {
        // below a taken number, or under the floor: pruned before this instance read it
        if (next <= target || (lookUnderFloor && target === 0 && (await this.log.floor()) > next)) {
          this.logger.warn({ version: this.version }, "fell behind the change log: reloading");
          await this.reload();
        }
        break;
      }
      this.pending.delete(next);
      const model = this.byKind.get(change.kind);
      model?.apply(change.kind, change.payload);
      const byPeriod = model?.byPeriod || model?.kindsByPeriod?.includes(change.kind);
      this.steps = withChange(this.steps, byPeriod ? earliestPeriod(change.payload) : "", next);
      this.version = next;
    }
    if (this.snapshotDue || this.version - this.snapshotSeq >= SNAPSHOT_EVERY)
      this.snapshotInBackground();
  }

  /** Writes every snapshot at the current version, one at a time, without holding up the caller. */
  private snapshotInBackground(): void {
    if (this.snapshotting) return;
    const seq = this.version;
    const dumps = this.models.flatMap((model) =>
      model.snapshot ? [{ name: model.snapshot.name, records: model.snapshot.dump() }] : [],
    );
    this.snapshotSeq = seq;
    this.snapshotDue = false;
    this.snapshotting = Promise.all(
      dumps.map(({ name, records }) => this.snapshots.write(name, seq, records)),
    )
      .then(() => this.logger.info({ version: seq }, "read model snapshot written"))
      .catch((error: unknown) => this.logger.warn({ err: error }, "could not write a snapshot"))
      .finally(() => {
        this.snapshotting = null;
      });
  }

  /** Waits for a snapshot being written (shutdown, tests). */
  async settled(): Promise<void> {
    await this.snapshotting;
  }

  /**
   * Reads everything again: each model from its latest snapshot when the log still holds every change
   * after it, otherwise from its collections. The version is the oldest point read from, so no change
   * is skipped; changes a model already holds are applied again, which is harmless.
   */
  private async reload(): Promise<void> {
    const [head, floor] = await Promise.all([this.log.head(), this.log.floor()]);
    const points = await Promise.all(
      this.models.map(async (model) => {
        const snapshot = model.snapshot ? await this.snapshots.read(model.snapshot.name) : null;
        if (snapshot && snapshot.seq + 1 >= floor && snapshot.seq <= head) {
          model.snapshot!.restore(snapshot.records);
          return snapshot.seq;
        }
        await model.load();
        return null;
      }),
    );
    const restored = points.filter((seq): seq is number => seq !== null);
    this.version = Math.min(head, ...restored);
    // what was read whole may hold any change up to here
    this.steps = allAt(this.version);
    // a model loaded whole gets a snapshot as soon as it is current
    this.snapshotSeq = this.version;
    this.snapshotDue = this.models.some((model, i) => model.snapshot && points[i] === null);
    this.pending.clear();
    await this.follow(0);
  }
}
