// An answer can rest on other subgraphs' data: the plan's review reads the agencies' figures through
// the graph. The gateway tells such a subgraph the data versions it knows (KNOWN_VERSIONS_HEADER), so
// that it never answers from figures older than a write already acknowledged; the subgraph names the
// versions its answer read (READ_VERSIONS_HEADER), so that the gateway keeps that answer only while
// every one of them holds. The gateway names them too, to a caller that asks, for the answers it gives.

/** Sent by the gateway with a fetch: every subgraph's version as the gateway knows it. */
export const KNOWN_VERSIONS_HEADER = "x-p06-known-versions";
/** Sent with an answer: the versions of other subgraphs' data it read. */
export const READ_VERSIONS_HEADER = "x-p06-read-versions";
/** Sent to the gateway by a caller that wants READ_VERSIONS_HEADER with the answer ("1"). */
export const WANT_READ_VERSIONS_HEADER = "x-p06-want-read-versions";

/**
 * A subgraph's data at one moment, as the gateway knows it: the version the subgraph reported and the
 * gateway's epoch for it, which moves when the gateway can no longer prove what the subgraph holds (a
 * write that gave no version, the subgraph lost).
 */
export interface Stamp {
  version: number;
  epoch: number;
}

export type Stamps = Record<string, Stamp>;

const ENTRY = /^([a-z][a-z0-9-]{0,62})=(\d{1,15})\.(\d{1,9})$/;
/** More than any federation of the city's agencies will have. */
const MAX_ENTRIES = 64;

/** `health=12.0,identity=7.1`: each subgraph's version and epoch. */
export function formatStamps(stamps: Iterable<readonly [string, Stamp]>): string {
  return [...stamps].map(([name, { version, epoch }]) => `${name}=${version}.${epoch}`).join(",");
}

/**
 * The stamps a header names (none for an empty one); null when it is missing or not exactly in the
 * format.
 */
export function parseStamps(value: string | string[] | undefined | null): Stamps | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== "string") return null;
  const stamps: Stamps = Object.create(null) as Stamps;
  if (text.trim() === "") return stamps;
  const entries = text.split(",");
  if (entries.length > MAX_ENTRIES) return null;
  for (const entry of entries) {
    const match = ENTRY.exec(entry.trim());
    if (!match) return null;
    stamps[match[1]!] = { version: Number(match[2]), epoch: Number(match[3]) };
  }
  return stamps;
}

/** Whether data read at `read` is at least as new as `known` (later writes and epochs included). */
export const atLeast = (read: Stamp, known: Stamp): boolean =>
  read.version >= known.version && read.epoch >= known.epoch;
