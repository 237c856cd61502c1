// What the gateway knows of each subgraph's data version: the highest it has seen, from the
// `x-p06-data-version` header of every subgraph response and from polling each subgraph's GET /version.
// A kept answer is fresh only while every subgraph it read from is still at the version it was read at.
import { request } from "undici";

/** The header every subgraph response carries: the version its data was read at (or written to). */
export const DATA_VERSION_HEADER = "x-p06-data-version";

/**
 * A subgraph's data at one moment (the kit's read-versions.ts). `epoch` moves when a write through
 * this gateway came back without a version (a subgraph not keeping the contract): nothing read before
 * it can be fresh after.
 */
export type { Stamp } from "@p06/subgraph-kit";
import type { Stamp } from "@p06/subgraph-kit";

/** What one execution read from one subgraph, or null when the subgraph did not say. */
export type Read = Stamp | null;

/** Sends what this process learned to the other workers; resolves once all know (when `wait`). */
export type Publish = (
  seen: Record<string, number>,
  bump: string[],
  wait: boolean,
) => Promise<void>;

const VERSION = /^\d{1,15}$/;

/** A version header's value, or null when missing or malformed ("unknown"). */
export function parseVersion(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && VERSION.test(text) ? Number(text) : null;
}

export class DataVersions {
  private readonly known = new Map<string, Stamp>();
  /**
   * Moves whenever any known version moves: work started before cannot be shared with a request
   * that arrives after, since that request may follow a write it must see.
   */
  generation = 0;

  /** `publish`: set in a worker, so that the others learn what this one sees. */
  constructor(private readonly publish?: Publish) {}

  stamp(subgraph: string): Stamp | undefined {
    return this.known.get(subgraph);
  }

  /** Every subgraph's stamp as known now. */
  all(): Iterable<readonly [string, Stamp]> {
    return this.known.entries();
  }

  /** Merges stamps (the highest wins); returns those that moved. */
  merge(stamps: Record<string, Stamp>): Record<string, Stamp> {
    const moved: Record<string, Stamp> = {};
    for (const [subgraph, stamp] of Object.entries(stamps)) {
      const current = this.known.get(subgraph);
      const next = current
        ? {
            version: Math.max(current.version, stamp.version),
            epoch: Math.max(current.epoch, stamp.epoch),
          }
        : { ...stamp };
      if (current && current.version === next.version && current.epoch === next.epoch) continue;
      this.known.set(subgraph, next);
      moved[subgraph] = next;
    }
    if (Object.keys(moved).length) this.generation += 1;
    return moved;
  }

  /** A version a subgraph answered a read with: learned here at once, by the other workers soon. */
  observe(subgraph: string, version: number): void {
    const current = this.known.get(subgraph);
    if (current && current.version >= version) return;
    this.merge({ [subgraph]: { version, epoch: current?.epoch ?? 0 } });
    void this.publish?.({ [subgraph]: version }, [], false).catch(() => {});
  }

  /**
   * A write's outcome: its version (or null when the subgraph gave none). Resolves once every worker
   * knows, so the writer, and anyone after, never gets an answer kept from before the write.
   */
  async written(subgraph: string, version: number | null): Promise<void> {
    const current = this.known.get(subgraph) ?? { version: 0, epoch: 0 };
    this.merge({
      [subgraph]:
        version === null
          ? { version: current.version, epoch: current.epoch + 1 }
          : { version, epoch: current.epoch },
    });
    await this.publish?.(
      version === null ? {} : { [subgraph]: version },
      version === null ? [subgraph] : [],
      true,
    );
  }

  /**
   * A subgraph stopped answering: what was read from it can no longer be proved fresh (it may have
   * changed and restarted), so answers that read from it are not reused until it is read again.
   */
  lost(subgraph: string): void {
    const current = this.known.get(subgraph);
    if (current) this.merge({ [subgraph]: { version: current.version, epoch: current.epoch + 1 } });
  }

  /** Whether every subgraph an answer read from is still where it was read. */
  fresh(reads: Iterable<readonly [string, Stamp]>): boolean {
    for (const [subgraph, read] of reads) {
      const known = this.known.get(subgraph);
      if (!known || known.version !== read.version || known.epoch !== read.epoch) return false;
    }
    return true;
  }
}

/** The /version address beside a subgraph's /graphql. */
export const versionUrl = (graphqlUrl: string) =>
  graphqlUrl.replace(/\/graphql\/?$/, "") + "/version";

/**
 * Reads every subgraph's GET /version each `intervalMs` and hands on what it finds, and the subgraphs
 * that stopped answering (once, when they stop). Returns a stop function.
 */
export function pollVersions(
  urls: Record<string, string>,
  intervalMs: number,
  onSeen: (seen: Record<string, number>, lost: string[]) => void,
): () => void {
  let running = false;
  const down = new Set<string>();
  const round = async () => {
    if (running) return;
    running = true;
    try {
      const found = await Promise.all(
        Object.entries(urls).map(async ([name, url]) => {
          try {
            const response = await request(versionUrl(url), {
              headersTimeout: Math.max(intervalMs * 4, 1000),
              bodyTimeout: Math.max(intervalMs * 4, 1000),
            });
            if (response.statusCode !== 200) {
              await response.body.dump();
              return null;
            }
            const body = (await response.body.json()) as { version?: unknown };
            return typeof body.version === "number" &&
              Number.isSafeInteger(body.version) &&
              body.version >= 0
              ? ([name, body.version] as const)
              : null;
          } catch {
            return null;
          }
        }),
      );
      const seen = Object.fromEntries(found.filter((entry) => entry !== null));
      const lost = Object.keys(urls).filter((name) => !(name in seen) && !down.has(name));
      for (const name of Object.keys(urls)) {
        if (name in seen) down.delete(name);
        else down.add(name);
      }
      if (Object.keys(seen).length || lost.length) onSeen(seen, lost);
    } finally {
      running = false;
    }
  };
  void round();
  const timer = setInterval(() => void round(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
