// Subgraph fetches kept while provably fresh, each by the version of the one subgraph it read (as
// Apollo Router's entity cache keeps subgraph answers): a write to health leaves every other
// subgraph's part of a page kept, where a kept answer (answer-cache.ts) is dropped by a write to any
// subgraph it read. A fetch is served again only while the gateway knows no change to its subgraph
// since it was read (to a month it read, when it said which: data-versions.ts), so a caller never
// gets data from before a write it could know of. Keyed by the caller's visibility and the exact request sent; bounded in bytes (lru-cache).
import { LRUCache } from "lru-cache";
import type { Stamps } from "@p06/subgraph-kit";
import type { DataVersions, Stamp } from "./data-versions.js";

interface Kept<T> {
  value: T;
  stamp: Stamp;
  bytes: number;
  /** What a graph reader's answer read of other subgraphs: it holds only while they do too. */
  reads?: Stamps;
}

export class FetchCache<T> {
  private readonly fetches: LRUCache<string, Kept<T>>;

  constructor(
    private readonly versions: DataVersions,
    maxBytes: number,
  ) {
    this.fetches = new LRUCache<string, Kept<T>>({
      maxSize: maxBytes,
      // the key counts twice its length (UTF-16 at worst)
      sizeCalculation: (kept, key) => kept.bytes + 2 * key.length + 100,
      // one fetch larger than a tenth of the whole would push out everything else
      maxEntrySize: Math.max(1, Math.floor(maxBytes / 10)),
    });
  }

  private static keyOf(subgraph: string, key: string): string {
    return `${subgraph}\n${key}`;
  }

  /** The value kept for `key` while `subgraph` is still where it was read; a stale one is dropped. */
  get(subgraph: string, key: string): { value: T; stamp: Stamp } | undefined {
    const cacheKey = FetchCache.keyOf(subgraph, key);
    const kept = this.fetches.get(cacheKey);
    if (!kept) return undefined;
    if (
      this.versions.fresh([[subgraph, kept.stamp]]) &&
      (!kept.reads || this.versions.fresh(Object.entries(kept.reads)))
    ) {
      return kept;
    }
    this.fetches.delete(cacheKey);
    return undefined;
  }

  /**
   * Keeps a value read from `subgraph` at `version`, sent when the gateway knew it at `epoch`: only if
   * both are still what the gateway knows (a write may have landed while it was read).
   */
  set(subgraph: string, key: string, read: Stamp, value: T, bytes: number, reads?: Stamps): void {
    if (!this.versions.fresh([[subgraph, read]])) return;
    if (reads && !this.versions.fresh(Object.entries(reads))) return;
    this.fetches.set(FetchCache.keyOf(subgraph, key), {
      value,
      stamp: read,
      bytes,
      ...(reads && { reads }),
    });
  }

  get size(): number {
    return this.fetches.size;
  }
}
