// Answers kept while provably fresh: an answer is stored with the data version of every subgraph its
// query plan fetched from, and served only while each is still at that version. Keyed by the caller's
// visibility and the exact operation; bounded in bytes (lru-cache).
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { DataVersions, Stamp } from "./data-versions.js";

export interface KeptAnswer {
  /** The serialized answer, as sent. */
  body: Buffer;
  /** Its media type (as the request's Accept chose it). */
  contentType: string;
  /** A strong validator of this caller's answer (the visibility is hashed in: never valid for another). */
  etag: string;
  /** The version of every subgraph the answer read from. */
  reads: ReadonlyMap<string, Stamp>;
  /** The operation's label in the metrics. */
  operation: string;
}

/** The ETag of an answer for one caller's visibility. */
export function etagOf(visibility: string, body: Buffer): string {
  return `"${createHash("sha1").update(visibility).update("\n").update(body).digest("base64url")}"`;
}

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for it). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

export class AnswerCache {
  private readonly answers: LRUCache<string, KeptAnswer>;

  constructor(
    private readonly versions: DataVersions,
    maxBytes: number,
  ) {
    this.answers = new LRUCache<string, KeptAnswer>({
      maxSize: maxBytes,
      // the key counts twice its length (UTF-16 at worst); the version map is small
      sizeCalculation: (answer, key) =>
        answer.body.length + 2 * key.length + 64 * answer.reads.size + 200,
      // an answer larger than a tenth of the whole would push out everything else
      maxEntrySize: Math.max(1, Math.floor(maxBytes / 10)),
    });
  }

  /** The kept answer for `key` while every subgraph it read from is unchanged; a stale one is dropped. */
  get(key: string): KeptAnswer | undefined {
    const answer = this.answers.get(key);
    if (!answer) return undefined;
    if (this.versions.fresh(answer.reads)) return answer;
    this.answers.delete(key);
    return undefined;
  }

  /** Keeps an answer if it is still fresh now (a write may have landed while it was computed). */
  set(key: string, answer: KeptAnswer): boolean {
    if (!this.versions.fresh(answer.reads)) return false;
    this.answers.set(key, answer);
    return this.answers.has(key);
  }

  get size(): number {
    return this.answers.size;
  }

  get bytes(): number {
    return this.answers.calculatedSize;
  }
}
