// Moving an indicator the plan subgraph holds to its agency's subgraph, in four steps recorded in a
// journal in the agency's database, so that a run interrupted at any point is run again and finishes:
//   copy    every version of its figures and their audit entries, under their own ids (a copy run
//           twice inserts nothing twice);
//   check   the agency's copy against the plan's: the same versions (count, ids) and the same sums of
//           numerators, denominators and values; a difference stops the move;
//   switch  the indicator added to the agency subgraph's `indicators` in the list of subgraphs, and the
//           supergraph composed: the plan resolves it as the agency's type from then on (done before
//           when the list gave it to the agency already: `new:subgraph` takes every indicator its
//           agencies track, and the plan's figures of them follow with this command);
//   retire  what the plan wrote since the copy copied again and checked, then the plan's copy deleted
//           and a note left in the plan's database of where it went.
// Each subgraph reads a moved indicator's figures whole at its next start: the plan's read-model
// snapshot names the indicators it was taken with, and the agency's is forgotten when figures are
// copied in (figure-store.ts). Moved before the agency's subgraph first starts, the figures keep it
// from making demo data of its own (it makes some only in an empty database); moved after, the demo
// figures it made of the indicator give way to the plan's.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  catalogue,
  owningSubgraph,
  subgraphs,
  type IndicatorEntry,
  type SubgraphSpec,
} from "@p06/catalogue";
import {
  DEMO_MARK,
  forgetFigureSnapshots,
  insertOnce,
  isDemoDatabase,
  valueModels,
  type DataValueDoc,
} from "@p06/subgraph-kit";
import type { Connection } from "mongoose";
import { writeFormatted } from "./formatted.js";

export const MOVE_STEPS = ["copy", "check", "switch", "retire"] as const;
export type MoveStep = (typeof MOVE_STEPS)[number];

export class MoveError extends Error {}

interface JournalDoc {
  _id: string;
  from: "plan";
  to: string;
  /** The list gave the indicator to the agency before the move began (new:subgraph did). */
  switchedBefore?: boolean;
  /** When each step finished, and what it found. */
  done: Partial<Record<MoveStep, { at: Date; versions: number; auditEntries: number }>>;
}

/** How many figure versions and audit entries a step found. */
interface Counts {
  versions: number;
  auditEntries: number;
}

/** What a database holds of one indicator: its figure versions and their audit entries. */
export interface Holdings extends Counts {
  numerator: number;
  denominator: number;
  value: number;
}

export interface MoveOptions {
  code: string;
  to: string;
  plan: Connection;
  target: Connection;
  repoRoot: string;
  /** Composes the supergraph after the list changed (npm run compose). */
  compose: () => Promise<void>;
  log: (line: string) => void;
  /** For tests: stop (as a crash would) after this step, or in the middle of copying. */
  interrupt?: MoveStep | "mid-copy";
}

/** The request checked against the catalogue and the list; every problem named. */
export function checkMove(
  code: string,
  to: string,
): { indicator: IndicatorEntry; spec: SubgraphSpec } {
  const indicator = catalogue.indicators.find((i) => i.code === code);
  const spec = subgraphs.find((s) => s.name === to);
  const problems: string[] = [];
  if (!indicator) problems.push(`no indicator ${code} in Appendix I`);
  if (!spec || spec.name === "plan") {
    problems.push(
      `no agency subgraph ${to}: one of ${subgraphs
        .slice(1)
        .map((s) => s.name)
        .join(", ")}`,
    );
  }
  if (indicator && spec && spec.name !== "plan") {
    const first = indicator.trackingAgencies[0] ?? "";
    if (!spec.agencies.includes(first)) {
      problems.push(
        `${code} is tracked first by ${first}, which the ${to} subgraph does not report for`,
      );
    }
  }
  if (problems.length) throw new MoveError(problems.join("\n"));
  return { indicator: indicator!, spec: spec! };
}

/** The journal's collection, in the agency's database. */
const journalOf = (db: Connection) => db.collection<JournalDoc>("indicator_moves");

const keyPrefix = (code: string) => new RegExp(`^${code.replaceAll(".", "\\.")}\\|`);

/** What a database holds of an indicator, with the ids of its versions and audit entries. */
async function holdings(
  db: Connection,
  code: string,
): Promise<Holdings & { versionsById: Map<string, DataValueDoc>; auditIds: Set<string> }> {
  const models = valueModels(db);
  const versions = await models.DataValue.find({ indicator: code }).lean<DataValueDoc[]>().exec();
  const audit = await models.Audit.find({ subject: keyPrefix(code) }, { _id: 1 })
    .lean<{ _id: unknown }[]>()
    .exec();
  const sum = (pick: (doc: DataValueDoc) => number | null | undefined) =>
    versions.reduce((total, doc) => total + (pick(doc) ?? 0), 0);
  return {
    versions: versions.length,
    auditEntries: audit.length,
    numerator: sum((d) => d.numerator),
    denominator: sum((d) => d.denominator),
    value: Math.round(sum((d) => d.value) * 1e6) / 1e6,
    versionsById: new Map(versions.map((d) => [String(d._id), d])),
    auditIds: new Set(audit.map((a) => String(a._id))),
  };
}

/** Copies what the plan holds of the indicator that the agency's database does not yet. */
async function copy(options: MoveOptions): Promise<Counts> {
  const from = valueModels(options.plan);
  const to = valueModels(options.target);
  const versions = await from.DataValue.find({ indicator: options.code }).lean().exec();
  const audit = await from.Audit.find({ subject: keyPrefix(options.code) })
    .lean()
    .exec();
  const asStored = (docs: unknown[]) => docs as { _id: string }[];
  if (options.interrupt === "mid-copy") {
    // as a crash part way would leave it: half of the versions copied, no audit entry
    await insertOnce(
      to.DataValue.collection,
      asStored(versions.slice(0, Math.ceil(versions.length / 2))),
    );
    throw new MoveInterrupted("mid-copy");
  }
  const versionsThere = await insertOnce(to.DataValue.collection, asStored(versions));
  const auditThere = await insertOnce(to.Audit.collection, asStored(audit));
  // written past the agency's change log (now or by a run interrupted): its subgraph must read its
  // figures whole at its next start
  await forgetFigureSnapshots(options.target);
  return {
    versions: versions.length - versionsThere.size,
    auditEntries: audit.length - auditThere.size,
  };
}

/**
 * The plan's copy against the agency's; throws on any difference. Every version the plan holds must be
 * in the agency's with the same numbers, and every audit entry; `exact` (before the switch) asks the
 * same counts and sums of both, while retiring (the plan's copy part deleted) asks only that nothing
 * the plan still holds is missing. Returns what the plan holds.
 */
async function check(options: MoveOptions, exact: boolean) {
  const [plan, target] = await Promise.all([
    holdings(options.plan, options.code),
    holdings(options.target, options.code),
  ]);
  const problems: string[] = [];
  const same = (a: DataValueDoc, b: DataValueDoc) =>
    a.numerator === b.numerator && a.denominator === b.denominator && a.value === b.value;
  const missing = [...plan.versionsById.keys()].filter((id) => !target.versionsById.has(id));
  const differing = [...plan.versionsById].filter(
    ([id, doc]) => target.versionsById.has(id) && !same(doc, target.versionsById.get(id)!),
  );
  const auditMissing = [...plan.auditIds].filter((id) => !target.auditIds.has(id));
  if (missing.length) problems.push(`versions missing: ${missing.slice(0, 5).join(", ")}`);
  if (differing.length) {
    problems.push(
      `versions differing: ${differing
        .slice(0, 5)
        .map(([id]) => id)
        .join(", ")}`,
    );
  }
  if (auditMissing.length) problems.push(`audit entries missing: ${auditMissing.length}`);
  if (exact) {
    for (const field of [
      "versions",
      "auditEntries",
      "numerator",
      "denominator",
      "value",
    ] as const) {
      if (plan[field] !== target[field]) {
        problems.push(`${field}: plan ${plan[field]}, ${options.to} ${target[field]}`);
      }
    }
  }
  if (problems.length) {
    throw new MoveError(
      `the copy of ${options.code} does not match the plan's: ${problems.join("; ")}`,
    );
  }
  return plan;
}

/** Adds the indicator to the agency subgraph's `indicators` in the list, unless it is there. */
async function switchOwnership(options: MoveOptions): Promise<boolean> {
  const listFile = join(options.repoRoot, "subgraphs", "catalogue", "src", "subgraphs.json");
  const list = JSON.parse(await readFile(listFile, "utf8")) as {
    name: string;
    agencies: string[];
    indicators?: string[];
  }[];
  const entry = list.find((s) => s.name === options.to)!;
  if (!entry.indicators) {
    // it reports every indicator its agencies track first: the plan no longer holds this one
    return false;
  }
  if (entry.indicators.includes(options.code)) return false;
  entry.indicators = [...entry.indicators, options.code].sort((a, b) =>
    a.localeCompare(b, "en", { numeric: true }),
  );
  await writeFormatted(listFile, JSON.stringify(list));
  return true;
}

interface MovedNote extends Counts {
  _id: string;
  to: string;
  at: Date;
}

/**
 * Deletes from the plan what was checked to be in the agency's database, by id, after a note in the
 * plan's database of where the indicator went (the first retirement's). A write the plan took after
 * the check has an id of its own: it stays for the next round, never deleted unseen.
 */
async function retire(
  options: MoveOptions,
  checked: Awaited<ReturnType<typeof check>>,
  moved: Counts,
): Promise<void> {
  const models = valueModels(options.plan);
  await insertOnce(options.plan.collection<MovedNote>("moved_indicators") as never, [
    { _id: options.code, to: options.to, at: new Date(), ...moved },
  ]);
  // through the driver: the ids are the records' own text, which mongoose would cast
  const ids = (set: Iterable<string>) => ({ _id: { $in: [...set] } }) as never;
  await models.DataValue.collection.deleteMany(ids(checked.versionsById.keys()));
  await models.Audit.collection.deleteMany(ids(checked.auditIds));
}

export class MoveInterrupted extends Error {
  constructor(readonly after: string) {
    super(`interrupted (${after}), as asked`);
  }
}

/**
 * Before a first copy: what the agency's database holds of the indicator must be demo figures its
 * subgraph made at its first start (its database marked so, and no audit entry of the indicator: no
 * one reported them), which give way to the plan's; anything reported there stops the move. An empty
 * agency database takes the plan's demo mark with its demo figures, so its subgraph says what they are.
 */
async function makeRoom(options: MoveOptions): Promise<void> {
  const { code, to, log } = options;
  const models = valueModels(options.target);
  const there = await holdings(options.target, code);
  if (there.versions === 0 && there.auditEntries === 0) {
    const empty = (await models.DataValue.findOne({}, { _id: 1 }).lean().exec()) === null;
    if (empty && (await isDemoDatabase(options.plan)) && !(await isDemoDatabase(options.target))) {
      await options.target
        .collection<{ _id: string; copiedFrom: string; loadedAt: Date }>(DEMO_MARK)
        .updateOne(
          { _id: "demo" },
          { $setOnInsert: { copiedFrom: options.plan.name, loadedAt: new Date() } },
          { upsert: true },
        );
    }
    return;
  }
  if (there.auditEntries > 0 || !(await isDemoDatabase(options.target))) {
    throw new MoveError(
      `${to}'s database already holds figures of ${code} (figure versions ${there.versions}, audit entries ${there.auditEntries}) that are not its demo data: the plan's would collide with them; move those aside first`,
    );
  }
  await models.DataValue.collection.deleteMany({ indicator: code });
  await forgetFigureSnapshots(options.target);
  log(
    `replace: ${to}'s demo figures of ${code} deleted (figure versions ${there.versions}, made at its first start): the plan's take their place`,
  );
}

/** What a run did: the journal's record of each step, or nothing when the plan held nothing of it. */
export type MoveOutcome = { moved: true; done: JournalDoc["done"] } | { moved: false };

/** Runs the steps not yet done, in order. */
export async function moveIndicator(options: MoveOptions): Promise<MoveOutcome> {
  const { code, to, log } = options;
  checkMove(code, to);
  const journal = journalOf(options.target);
  const found = await journal.findOne({ _id: code });
  const done: JournalDoc["done"] = found?.done ?? {};
  let switchedBefore = found?.switchedBefore ?? false;
  if (!found) {
    const owner = owningSubgraph(catalogue.indicators.find((i) => i.code === code)!);
    if (owner !== null && owner !== to) {
      throw new MoveError(`${code} is reported by the ${owner} subgraph, not the plan`);
    }
    if (owner === to) {
      // the list gave it to the agency already: the plan's figures of it are what is left to move
      const plan = await holdings(options.plan, code);
      if (plan.versions === 0 && plan.auditEntries === 0) {
        log(
          `${code}: nothing to move: ${to} reports it (subgraphs.json) and the plan's database (${options.plan.name}) holds no figures of it`,
        );
        return { moved: false };
      }
    }
    await makeRoom(options);
    switchedBefore = owner === to;
    await journal.insertOne({
      _id: code,
      from: "plan",
      to,
      ...(switchedBefore && { switchedBefore }),
      done,
    });
  } else if (found.to !== to) {
    throw new MoveError(`${code} is being moved to ${found.to}: finish that move first`);
  }
  const record = async (step: MoveStep, counts: Counts) => {
    done[step] = { at: new Date(), versions: counts.versions, auditEntries: counts.auditEntries };
    await journal.updateOne({ _id: code }, { $set: { [`done.${step}`]: done[step] } });
    if (options.interrupt === step) throw new MoveInterrupted(`after ${step}`);
  };
  for (const step of MOVE_STEPS) {
    if (step === "switch" && switchedBefore && !done.switch) {
      // new:subgraph wrote the list and composed: nothing to change or compose again
      log(`switch: done before: subgraphs.json gives ${code} to ${to} already (new:subgraph)`);
      await record(step, done.check!);
      continue;
    }
    if (done[step]) {
      log(
        `${step}: done before (figure versions ${done[step]!.versions}, audit entries ${done[step]!.auditEntries})`,
      );
      continue;
    }
    if (step === "copy") {
      const copied = await copy(options);
      log(
        `copy: to ${to}, figure versions ${copied.versions}, audit entries ${copied.auditEntries}`,
      );
      // the journal keeps what the agency holds now (a run after an interruption copies the rest)
      await record(step, await holdings(options.target, code));
    } else if (step === "check") {
      const counts = await check(options, true);
      log(
        `check: figure versions ${counts.versions}, audit entries ${counts.auditEntries}, the same in both, with the same sums`,
      );
      await record(step, counts);
    } else if (step === "switch") {
      const changed = await switchOwnership(options);
      log(
        changed
          ? `switch: ${code} added to ${to}'s indicators in subgraphs.json`
          : `switch: subgraphs.json gives ${code} to ${to} already`,
      );
      await options.compose();
      await record(step, done.check!);
    } else {
      // rounds until the plan holds nothing of it: each copies what the plan took since the last
      // (a write through the plan before the switch is deployed), checks, and deletes what it checked
      let moved = await holdings(options.target, code);
      for (;;) {
        const late = await copy(options);
        if (late.versions || late.auditEntries) {
          log(
            `retire: written to the plan since the copy and copied: figure versions ${late.versions}, audit entries ${late.auditEntries}`,
          );
        }
        const checked = await check(options, false);
        if (checked.versions === 0 && checked.auditEntries === 0) break;
        moved = await holdings(options.target, code);
        await retire(options, checked, {
          versions: moved.versions,
          auditEntries: moved.auditEntries,
        });
      }
      log(
        `retire: the plan's copy of ${code} deleted (figure versions ${moved.versions} live in ${to})`,
      );
      await record(step, moved);
    }
  }
  return { moved: true, done };
}
