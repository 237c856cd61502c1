// What the gateway knows of each subgraph's data version: the highest it has seen, and where the
// changes up to it fell by month (the kit's changes/steps.ts), from the headers of every subgraph
// response and from polling each subgraph's GET /version. A kept answer is fresh only while no
// change since it was read reached a month it read (any month, for an answer that did not say).
import {
  allAt,
  lastChangeKnown,
  lastChangeUpTo,
  mergeSteps,
  parseSteps,
  type Steps,
} from "@p06/subgraph-kit";
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

/** A subgraph's version as a response or GET /version gave it, and where its changes fell. */
export interface Seen {
  version: number;
  steps?: Steps;
}

/** Sends what this process learned to the other workers; resolves once all know (when `wait`). */
export type Publish = (seen: Record<string, Seen>, bump: string[], wait: boolean) => Promise<void>;

/** The steps a response's header names, when they are well formed and reach its version. */
export function stepsOf(value: string | string[] | undefined, version: number): Steps | undefined {
  const steps = parseSteps(value);
  return steps && lastChangeUpTo(steps) >= version ? steps : undefined;
}

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

  /**
   * Merges stamps (the highest wins, and the later change for every month; a stamp without steps may
   * have changed any month); returns those that moved.
   */
  merge(stamps: Record<string, Stamp>): Record<string, Stamp> {
    const moved: Record<string, Stamp> = {};
    for (const [subgraph, stamp] of Object.entries(stamps)) {
      const current = this.known.get(subgraph);
      const steps = stamp.steps ?? allAt(stamp.version);
      // steps sent as an answer leaves may name a change after the version it was read at
      const version = Math.max(stamp.version, lastChangeUpTo(steps));
      const next: Stamp = current
        ? {
            version: Math.max(current.version, version),
            epoch: Math.max(current.epoch, stamp.epoch),
            steps: mergeSteps(current.steps!, steps),
          }
        : { version, epoch: stamp.epoch, steps };
      if (
        current &&
        current.version === next.version &&
        current.epoch === next.epoch &&
        sameSteps(current.steps!, next.steps!)
      ) {
        continue;
      }
      this.known.set(subgraph, next);
      moved[subgraph] = next;
    }
    if (Object.keys(moved).length) this.generation += 1;
    return moved;
  }

  /** A version a subgraph answered a read with: learned here at once, by the other workers soon. */
  observe(subgraph: string, seen: Seen): void {
    const current = this.known.get(subgraph);
    const latest = Math.max(seen.version, seen.steps ? lastChangeUpTo(seen.steps) : 0);
    if (current && current.version >= latest) return;
    this.merge({ [subgraph]: { ...seen, epoch: current?.epoch ?? 0 } });
    void this.publish?.({ [subgraph]: seen }, [], false).catch(() => {});
  }

  /**
   * A write's outcome: its version (or null when the subgraph gave none). Resolves once every worker
   * knows, so the writer, and anyone after, never gets an answer kept from before the write.
   */
  async written(subgraph: string, seen: Seen | null): Promise<void> {
    const current = this.known.get(subgraph) ?? { version: 0, epoch: 0 };
    this.merge({
      [subgraph]:
        seen === null
          ? { ...current, epoch: current.epoch + 1 }
          : { ...seen, epoch: current.epoch },
    });
    await this.publish?.(
      seen === null ? {} : { [subgraph]: seen },
      seen === null ? [subgraph] : [],
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

  /**
   * Whether every subgraph an answer read from is still where it was read: the same epoch, and no
   * change since to a month the read reached (`upTo`; any month when it did not say).
   */
  fresh(reads: Iterable<readonly [string, Stamp]>): boolean {
    for (const [subgraph, read] of reads) {
      const known = this.known.get(subgraph);
      if (
        !known ||
        known.epoch !== read.epoch ||
        read.version > known.version ||
        lastChangeKnown(known, read.upTo) > read.version
      ) {
        return false;
      }
    }
    return true;
  }
}

const sameSteps = (a: Steps, b: Steps) =>
  a.length === b.length &&
  a.every(([month, version], i) => b[i]![0] === month && b[i]![1] === version);

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
  onSeen: (seen: Record<string, Seen>, lost: string[]) => void,
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
            const body = (await response.body.json()) as { version?: unknown; steps?: unknown };
            if (
              typeof body.version !== "number" ||
              !Number.isSafeInteger(body.version) ||
              body.version < 0
            ) {
              return null;
            }
            const steps =
              typeof body.steps === "string" ? stepsOf(body.steps, body.version) : undefined;
            return [name, { version: body.version, ...(steps && { steps }) }] as const;
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
