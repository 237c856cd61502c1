// Where a subgraph's changes fell, by month: for each month, the version of the last change that
// touched it or any month before it. A review of October reads nothing of November, so a write to
// November leaves what was read of October fresh; the agencies write the month they report while
// the city watches the month before.
//
// Kept as steps, oldest month first, each with a higher version than the one before: a change to a
// month raises every later month to its version, so the months after it fold into its step. The
// month "" stands before every month: a change that could touch any month (a plan edit, a reload).

/** A month YYYY-MM (or "" for before every month), and the version of the last change up to it. */
export type Step = readonly [month: string, version: number];
export type Steps = readonly Step[];

/** Every month at one version: what is known of a subgraph that does not say where its changes fell. */
export const allAt = (version: number): Steps => [["", version]];

/**
 * The version of the last change that touched `upTo` or a month before it (any month when none is
 * given): data of those months read at that version or later is still what it was.
 */
export function lastChangeUpTo(steps: Steps, upTo?: string): number {
  if (upTo === undefined) return steps.at(-1)?.[1] ?? 0;
  let version = 0;
  for (const [month, at] of steps) {
    if (month > upTo) break;
    version = at;
  }
  return version;
}

/** The steps after a change at `version` to `from` and later months ("" for any month). */
export function withChange(steps: Steps, from: string, version: number): Steps {
  const kept = steps.filter(([month, at]) => month < from && at < version);
  return [...kept, [from, version]];
}

/** What two accounts of the same subgraph's changes say together: the later change for every month. */
export function mergeSteps(a: Steps, b: Steps): Steps {
  const months = [...new Set([...a, ...b].map(([month]) => month))].sort();
  const merged: Step[] = [];
  for (const month of months) {
    const version = Math.max(lastChangeUpTo(a, month), lastChangeUpTo(b, month));
    // the first step stays even at 0 (nothing changed yet): steps are never empty
    if (merged.length === 0 || version > merged.at(-1)![1]) merged.push([month, version]);
  }
  return merged;
}

/** The earliest month a change's records name in `period`, or "" (any month) if one names none. */
export function earliestPeriod(records: readonly unknown[]): string {
  let earliest: string | undefined;
  for (const record of records) {
    const period = (record as { period?: unknown } | null)?.period;
    if (typeof period !== "string" || !isMonth(period)) return "";
    if (earliest === undefined || period < earliest) earliest = period;
  }
  return earliest ?? "";
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** A month as the plan writes one: YYYY-MM. */
export const isMonth = (text: string): boolean => MONTH.test(text);
const STEP = /^(\*|\d{4}-(?:0[1-9]|1[0-2])):(\d{1,15})$/;
/** More months than the plan's five years hold, with room. */
const MAX_STEPS = 240;

/** `*:3;2026-10:9;2026-11:17`: each step's month (`*` for any) and version. */
export const formatSteps = (steps: Steps): string =>
  steps.map(([month, version]) => `${month || "*"}:${version}`).join(";");

/** The steps a text names, or null when it is not exactly in the format (months and versions rising). */
export function parseSteps(text: string | string[] | undefined | null): Steps | null {
  const value = Array.isArray(text) ? text[0] : text;
  if (typeof value !== "string" || value === "") return null;
  const parts = value.split(";");
  if (parts.length > MAX_STEPS) return null;
  const steps: Step[] = [];
  for (const part of parts) {
    const match = STEP.exec(part);
    if (!match) return null;
    const month = match[1] === "*" ? "" : match[1]!;
    const version = Number(match[2]);
    const last = steps.at(-1);
    if (last && (month <= last[0] || version <= last[1])) return null;
    steps.push([month, version]);
  }
  return steps;
}
