// The mix on one gateway: the read-back check proven, a warm-up, then readers and writers together
// for the measured window, summed up.
import { setTimeout as sleep } from "node:timers/promises";
import {
  cpuMsByService,
  log,
  machineBusyMs,
  round,
  summarize,
  type BenchSystem,
  type Size,
} from "../harness.js";
import type { MixArgs } from "./args.js";
import type { Cleanup } from "./cleanup.js";
import type { Operation } from "./documents.js";
import type { User } from "./pages.js";
import { pick, prng } from "./random.js";
import { newReadStats, summarizePages, type PageStats } from "./read-stats.js";
import { readLoad } from "./reads.js";
import { Writer } from "./writes.js";
import type { World } from "./world.js";

export interface MixContext {
  size: Size;
  args: MixArgs;
  documents: Record<Operation, string>;
  system: BenchSystem;
  world: World;
  iocToken: string;
  tokens: Map<string, string>;
  cleanup: Cleanup;
}

/**
 * The gateway's answers by source (executed, kept, shared) from /metrics, in all and per operation;
 * null where it has none.
 */
async function answerSources(url: string): Promise<AnswerSources | null> {
  try {
    const response = await fetch(url.replace(/\/graphql$/, "/metrics"));
    if (!response.ok) return null;
    const sources: AnswerSources = { all: {}, byOperation: {} };
    for (const m of (await response.text()).matchAll(
      /^p06_gateway_answers_total\{operation="([^"]*)",source="(\w+)"\} (\d+(?:\.\d+)?)/gm,
    )) {
      const [, operation, source, n] = m as unknown as [string, string, string, string];
      sources.all[source] = (sources.all[source] ?? 0) + Number(n);
      (sources.byOperation[operation] ??= {})[source] = Number(n);
    }
    return sources;
  } catch {
    return null;
  }
}

interface AnswerSources {
  all: Record<string, number>;
  byOperation: Record<string, Record<string, number>>;
}

/** What was answered between two readings of the counts. */
const answeredBetween = (before: AnswerSources, after: AnswerSources): AnswerSources => {
  const minus = (a: Record<string, number>, b: Record<string, number> = {}) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]));
  return {
    all: minus(after.all, before.all),
    byOperation: Object.fromEntries(
      Object.entries(after.byOperation).map(([op, counts]) => [
        op,
        minus(counts, before.byOperation[op]),
      ]),
    ),
  };
};

/** The mix on one gateway: the check proven, a warm-up, then the measured reads and writes. */
export async function runMix(c: MixContext, url: string, label: string) {
  const { size, args, world, documents } = c;
  const makeUser = (id: number): User => {
    const rng = prng(args.seed * 7919 + id + 1);
    const agency = rng() < args.agencyShare ? pick(rng, world.reporting) : null;
    return {
      id,
      rng,
      token: agency ? c.tokens.get(agency.code)! : c.iocToken,
      agency,
      queue: [],
      shown: [],
      etags: new Map(),
    };
  };
  const users = Array.from({ length: args.connections }, (_, id) => makeUser(id));
  const writer = new Writer(c.system, url, world, documents, c.iocToken, args, args.seed ^ 0x5eed);
  c.cleanup.add(async () => writer.close());
  log(
    `${size} ${label}: users ${users.filter((u) => !u.agency).length} IOC, ${users.filter((u) => u.agency).length} agencies; ${writer.agencies.length} agencies owe figures for ${world.entryMonth}`,
  );
  const proof = await writer.prove();
  log(
    `${size} ${label}: the read-back check told ${proof.staleBeforeDetected}/${proof.writes} reads before a write stale and ${proof.freshAfter}/${proof.writes} after it fresh`,
  );
  // one run of the readers: the warm-up's answers counted apart, then the measured window, with the
  // writers starting at its beginning, when the readers' connections are open and their pace steady
  const warmUp = newReadStats();
  const stats = newReadStats();
  let counting = warmUp;
  const reading = readLoad({
    url,
    durationS: args.warmUpS + args.durationS,
    connections: args.connections,
    users,
    makeUser,
    world,
    args,
    documents,
    stats: () => counting,
  });
  let loading = true;
  const stopWriting = () => (loading = false);
  reading.then(stopWriting, stopWriting);
  if (args.warmUpS > 0) {
    log(`${size} ${label}: warming up ${args.warmUpS} s`);
    await sleep(args.warmUpS * 1000);
  }
  log(
    `${size} ${label}: ${args.connections} connections reading for ${args.durationS} s, ${args.writesPerSecond} writes a second${args.readBeforeWrite ? " (DELIBERATE BUG: read-back before the write)" : ""}`,
  );
  counting = stats;
  const loadStarted = Date.now();
  const benchCpuBefore = process.cpuUsage();
  const writing = writer.run(() => !loading);
  const [sourcesBefore, cpuBefore, machineBefore] = await Promise.all([
    answerSources(url),
    cpuMsByService(c.system.processes),
    machineBusyMs(),
  ]);
  const progress = setInterval(
    () =>
      log(
        `${size} ${label}:   writes ${writer.stats.acknowledged}/${writer.stats.attempted} acknowledged, ${writer.stats.staleReads} stale reads`,
      ),
    5000,
  );
  const result = await reading.finally(() => clearInterval(progress));
  const loadEnded = Date.now();
  const cpuAfter = await cpuMsByService(c.system.processes);
  const machineAfter = await machineBusyMs();
  const benchCpu = process.cpuUsage(benchCpuBefore);
  // cores each process kept busy over the load: where the machine's two cores went (the stock
  // gateway, a process of its own, is not among the services; the bench is autocannon and writers)
  const coresBusy = Object.fromEntries([
    ...Object.keys(cpuAfter).map((name) => [
      name,
      round2((cpuAfter[name]! - (cpuBefore[name] ?? 0)) / (loadEnded - loadStarted)),
    ]),
    ["bench", round2((benchCpu.user + benchCpu.system) / 1000 / (loadEnded - loadStarted))],
    // everything, the database and the kernel's loopback network included: is the machine full?
    ["machine", round2((machineAfter - machineBefore) / (loadEnded - loadStarted))],
  ]);
  await writing;
  writer.close();
  const sourcesAfter = await answerSources(url);
  const answered =
    sourcesBefore && sourcesAfter ? answeredBetween(sourcesBefore, sourcesAfter) : null;

  const seconds = (loadEnded - loadStarted) / 1000;
  const all = [...stats.byPage.values()].flatMap((s) => s.latencies);
  const sum = (field: keyof PageStats) =>
    [...stats.byPage.values()].reduce((acc, s) => acc + (s[field] as number), 0);
  const w = writer.stats;
  return {
    loadStarted,
    loadEnded,
    writingAgencies: writer.agencies,
    users: users.length,
    readBackCheckProof: proof,
    reads: {
      durationS: round(seconds),
      requests: all.length,
      requestsPerS: round(all.length / seconds),
      latencyMs: all.length ? summarize(all) : null,
      ok: sum("ok"),
      notModified: sum("notModified"),
      failed: sum("failed"),
      refused: sum("refused"),
      timeouts: sum("timeouts"),
      /** autocannon's count, over the warm-up too. */
      connectionErrors: result.errors,
      statuses: stats.statuses,
      failuresByCode: stats.failuresByCode,
      refusalsByCode: stats.refusalsByCode,
      firstFailures: stats.firstFailures,
      byPage: summarizePages(stats.byPage, seconds),
      byOperation: summarizePages(stats.byOperation, seconds),
      /** The gateway's own count (/metrics): executed, kept (304s included) or shared; writes too. */
      answerSources: answered?.all ?? null,
      /** The same per operation: which pages were computed and which kept. */
      answerSourcesByOperation: answered?.byOperation ?? null,
    },
    coresBusy,
    writes: {
      perSecondAsked: args.writesPerSecond,
      attempted: w.attempted,
      acknowledged: w.acknowledged,
      figuresWritten: w.figuresWritten,
      failedByCode: w.failedByCode,
      timedOut: w.timedOut,
      skippedBacklog: w.skippedBacklog,
      skippedBusyKeys: w.skippedBusyKeys,
      latencyMs: w.latencies.length ? summarize(w.latencies) : null,
      latencyMsBySubgraph: Object.fromEntries(
        Object.entries(w.latenciesBySubgraph).map(([key, ms]) => [key, summarize(ms)]),
      ),
      readBacks: w.readBacks,
      readBackLatencyMs: w.readBackMs.length ? summarize(w.readBackMs) : null,
      readBackErrors: w.readBackErrors,
      staleReads: w.staleReads,
      staleNeverFreshWithin5s: w.staleNeverFresh,
      staleExamples: w.staleExamples,
      firstFailures: w.firstFailures,
    },
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
