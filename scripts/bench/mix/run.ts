// The mix on one gateway: the read-back check proven, a warm-up, then readers and writers together
// for the measured window, summed up.
import { log, round, summarize, type BenchSystem, type Size } from "../harness.js";
import type { MixArgs } from "./args.js";
import type { Cleanup } from "./cleanup.js";
import type { Operation } from "./documents.js";
import type { User } from "./pages.js";
import { pick, prng } from "./random.js";
import { newReadStats, summarizePages, type PageStats, type ReadStats } from "./read-stats.js";
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

/** The gateway's answers by source (executed, kept, shared) from /metrics; null where it has none. */
async function answerSources(url: string): Promise<Record<string, number> | null> {
  try {
    const response = await fetch(url.replace(/\/graphql$/, "/metrics"));
    if (!response.ok) return null;
    const counts: Record<string, number> = {};
    for (const m of (await response.text()).matchAll(
      /^p06_gateway_answers_total\{source="(\w+)"\} (\d+(?:\.\d+)?)/gm,
    )) {
      counts[m[1]!] = Number(m[2]);
    }
    return counts;
  } catch {
    return null;
  }
}

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
  const load = (durationS: number, stats: ReadStats) =>
    readLoad({
      url,
      durationS,
      connections: args.connections,
      users,
      makeUser,
      world,
      args,
      documents,
      stats,
    });
  if (args.warmUpS > 0) {
    log(`${size} ${label}: warming up ${args.warmUpS} s`);
    await load(args.warmUpS, newReadStats());
  }
  log(
    `${size} ${label}: ${args.connections} connections reading for ${args.durationS} s, ${args.writesPerSecond} writes a second${args.readBeforeWrite ? " (DELIBERATE BUG: read-back before the write)" : ""}`,
  );
  const stats = newReadStats();
  const sourcesBefore = await answerSources(url);
  let loading = true;
  const loadStarted = Date.now();
  const writing = writer.run(() => !loading);
  const progress = setInterval(
    () =>
      log(
        `${size} ${label}:   writes ${writer.stats.acknowledged}/${writer.stats.attempted} acknowledged, ${writer.stats.staleReads} stale reads`,
      ),
    5000,
  );
  const result = await load(args.durationS, stats).finally(() => {
    loading = false;
    clearInterval(progress);
  });
  const loadEnded = Date.now();
  await writing;
  writer.close();
  const sourcesAfter = await answerSources(url);
  const answerSourcesDuringLoad =
    sourcesBefore && sourcesAfter
      ? Object.fromEntries(
          Object.entries(sourcesAfter).map(([k, v]) => [k, v - (sourcesBefore[k] ?? 0)]),
        )
      : null;

  const seconds = result.duration;
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
      timeouts: result.timeouts,
      connectionErrors: result.errors,
      statuses: stats.statuses,
      failuresByCode: stats.failuresByCode,
      refusalsByCode: stats.refusalsByCode,
      firstFailures: stats.firstFailures,
      byPage: summarizePages(stats.byPage, seconds),
      byOperation: summarizePages(stats.byOperation, seconds),
      /** The gateway's own count (/metrics): executed, kept (304s included) or shared; writes too. */
      answerSources: answerSourcesDuringLoad,
    },
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
