// A subgraph instance's copy of its database in memory: read models loaded once at start-up, then kept
// current by the change log, whether the change was written by this instance or by another one.
// `version` is the last change applied: the subgraph's data version, which every write advances and
// which the gateway compares to know an answer is still fresh.
import type { Connection } from "mongoose";
import type { Logger } from "../logger.js";
import { CHANGE_CHUNK, ChangeLog, type ChangeDoc } from "./change-log.js";

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
}

export interface ReplicaOptions {
  /** How often to look for other instances' writes (default P06_FOLLOW_MS or 200 ms). */
  followMs?: number;
}

export class Replica {
  /** The last change applied: the data version of what this instance serves. */
  version = 0;
  readonly log: ChangeLog;
  private readonly byKind = new Map<string, ReadModel>();
  /** This instance's own changes, applied without reading them back. */
  private readonly pending = new Map<number, ChangeDoc>();
  private syncing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(version: number) => void>();

  constructor(
    db: Connection,
    private readonly models: ReadModel[],
    private readonly logger: Logger,
    private readonly options: ReplicaOptions = {},
  ) {
    this.log = new ChangeLog(db);
    for (const model of models) for (const kind of model.kinds) this.byKind.set(kind, model);
  }

  /** Loads every read model, catches up with the log, then follows it. */
  async open(): Promise<void> {
    await this.reload();
    const followMs = this.options.followMs ?? Number(process.env.P06_FOLLOW_MS ?? 200);
    if (followMs > 0) {
      this.timer = setInterval(() => {
        this.catchUp().catch((error: unknown) =>
          this.logger.warn({ err: error }, "could not follow the change log; trying again"),
        );
      }, followMs);
      this.timer.unref();
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Called with the new version whenever it advances. */
  onChange(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Records an acknowledged write in the log and applies it here before returning, so the writer's
   * next read sees it. Large payloads go in several changes.
   */
  async publish(kind: string, payload: unknown[], at = new Date()): Promise<number> {
    let seq = this.version;
    for (let start = 0; start < payload.length || start === 0; start += CHANGE_CHUNK) {
      const chunk = payload.slice(start, start + CHANGE_CHUNK);
      seq = await this.log.append(kind, chunk, seq, at);
      this.pending.set(seq, { _id: seq, at, kind, payload: chunk });
      if (payload.length === 0) break;
    }
    await this.catchUp(seq);
    return seq;
  }

  /** Applies every change after `version` (at least up to `target`); one catch-up at a time. */
  catchUp(target = 0): Promise<void> {
    const run = this.syncing.then(() => this.follow(target));
    this.syncing = run.catch(() => {});
    return run;
  }

  private async follow(target: number): Promise<void> {
    const before = this.version;
    for (;;) {
      const next = this.version + 1;
      const change = this.pending.get(next) ?? (await this.log.read(next));
      if (!change) {
        // below a taken number, or under the floor: pruned before this instance read it
        if (next <= target || (await this.log.floor()) > next) {
          this.logger.warn({ version: this.version }, "fell behind the change log: reloading");
          await this.reload();
        }
        break;
      }
      this.pending.delete(next);
      this.byKind.get(change.kind)?.apply(change.kind, change.payload);
      this.version = next;
    }
    if (this.version !== before) for (const listener of this.listeners) listener(this.version);
  }

  /** Reads everything again; the version is the head seen before reading, so nothing is skipped. */
  private async reload(): Promise<void> {
    const head = await this.log.head();
    await Promise.all(this.models.map((model) => model.load()));
    this.version = Math.max(this.version, head);
    this.pending.clear();
    // changes written while loading are applied again: harmless, applying is idempotent
    await this.follow(0);
  }
}
