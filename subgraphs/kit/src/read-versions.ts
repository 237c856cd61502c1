// An answer can rest on other subgraphs' data: the plan's review reads the agencies' figures through
// the graph. The gateway tells such a subgraph the data versions it knows (KNOWN_VERSIONS_HEADER), so
// that it never answers from figures older than a write already acknowledged; the subgraph names the
// versions its answer read (READ_VERSIONS_HEADER), so that the gateway keeps that answer only while
// every one of them holds. The gateway names them too, to a caller that asks, for the answers it gives.

import { formatSteps, lastChangeUpTo, parseSteps, type Steps } from "./changes/steps.js";
import { formatScope, parseScope } from "./read-scope.js";

/** Sent by the gateway with a fetch: every subgraph's version as the gateway knows it. */
export const KNOWN_VERSIONS_HEADER = "x-p06-known-versions";
/** Sent with an answer: the versions of other subgraphs' data it read. */
export const READ_VERSIONS_HEADER = "x-p06-read-versions";
/** Sent to the gateway by a caller that wants READ_VERSIONS_HEADER with the answer ("1"). */
export const WANT_READ_VERSIONS_HEADER = "x-p06-want-read-versions";
/** Sent with every answer beside its data version: where the subgraph's changes fell (steps.ts). */
export const DATA_STEPS_HEADER = "x-p06-data-steps";
/** Sent with an answer that reads no month after this one (YYYY-MM): a later month's write keeps it. */
export const READ_SCOPE_HEADER = "x-p06-read-scope";

/**
 * A subgraph's data at one moment, as the gateway knows it: the version the subgraph reported and the
 * gateway's epoch for it, which moves when the gateway can no longer prove what the subgraph holds (a
 * write that gave no version, the subgraph lost).
 */
export interface Stamp {
  version: number;
  epoch: number;
  /** Data read: the last month it depends on (none: any month; NO_MONTH: no month's data). */
  upTo?: string;
  /** Data known: where the changes up to `version` fell (none: any month, at `version`). */
  steps?: Steps;
}

export type Stamps = Record<string, Stamp>;

const ENTRY =
  /^([a-z][a-z0-9-]{0,62})=(\d{1,15})\.(\d{1,9})(?:@(\*|\d{4}-(?:0[1-9]|1[0-2])))?(?:~([*\d:;-]+))?$/;
/** More than any federation of the city's agencies will have. */
const MAX_ENTRIES = 64;

/**
 * `health=12.0@2026-10,identity=7.1~*:3;2026-11:7`: each subgraph's version and epoch, then the last
 * month a read depends on (`@`) or where the changes known fell (`~`), when there are.
 */
export function formatStamps(stamps: Iterable<readonly [string, Stamp]>): string {
  return [...stamps]
    .map(
      ([name, { version, epoch, upTo, steps }]) =>
        `${name}=${version}.${epoch}${upTo !== undefined ? `@${formatScope(upTo)}` : ""}${steps?.length ? `~${formatSteps(steps)}` : ""}`,
    )
    .join(",");
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
    const steps = match[5] === undefined ? undefined : parseSteps(match[5]);
    if (steps === null) return null;
    stamps[match[1]!] = {
      version: Number(match[2]),
      epoch: Number(match[3]),
      ...(match[4] !== undefined && { upTo: parseScope(match[4]) }),
      ...(steps && { steps }),
    };
  }
  return stamps;
}

/** Whether data read at `read` is at least as new as `known` (later writes and epochs included). */
export const atLeast = (read: Stamp, known: Stamp): boolean =>
  read.version >= known.version && read.epoch >= known.epoch;

/** The version of the last change `known` holds to the months up to `upTo` (any month: none given). */
export const lastChangeKnown = (known: Stamp, upTo?: string): number =>
  known.steps && upTo !== undefined ? lastChangeUpTo(known.steps, upTo) : known.version;

/**
 * Whether data read at `read` still holds as `known`: no epoch since, and no change since to a month
 * it depends on (a read of October holds through writes to November).
 */
export const stillHolds = (read: Stamp, known: Stamp): boolean =>
  read.epoch >= known.epoch && read.version >= lastChangeKnown(known, read.upTo);

/**
 * A read restated at the version `known` names, when it still holds there: nothing it read has
 * changed since, so it is what a read at that version would give. Two reads of one subgraph at two
 * versions (a fetch kept from before a write, beside one made after it) then hold together at the
 * later one, not at the older, which the write itself would make unfresh.
 */
export const readAsOf = (read: Stamp, known: Stamp | undefined): Stamp =>
  known && known.version > read.version && read.epoch === known.epoch && stillHolds(read, known)
    ? { ...read, version: known.version }
    : read;

/** What two reads of one subgraph's data hold to together: the older version, every month of both. */
export function bothReads(a: Stamp, b: Stamp): Stamp {
  const older = atLeast(b, a) ? a : b;
  const upTo =
    a.upTo !== undefined && b.upTo !== undefined ? (a.upTo > b.upTo ? a.upTo : b.upTo) : undefined;
  return {
    version: older.version,
    epoch: Math.min(a.epoch, b.epoch),
    ...(upTo !== undefined && { upTo }),
  };
}
