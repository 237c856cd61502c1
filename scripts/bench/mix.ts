// `npm run bench:mix`: the dashboard's real mix (issue 20, part 5). Per data size, its own FerretDB and
// the system as `npm start` runs it (harness.ts), then for --duration seconds after a warm-up (the
// readers' connections stay open from the warm-up into the measured window; the writers start with
// the window, so that no write is timed against fifty connections opening at once):
//
// - readers: --connections autocannon connections, each a person browsing the dashboard (the IOC, or
//   now and then an agency on its own pages) who opens a page, sends what the page sends (the web
//   application's own typed documents, generated from gateway/operations/web-*.graphql, with the
//   variables the page builds), polls it with the last ETag as the page does, and moves on. Indicators,
//   agencies, communes, months and target years vary, drawn from a seeded PRNG (--seed), so that two
//   runs ask the same things in the same proportions.
// - writers: --writes-per-second figure submissions (WebSubmitReport, the figure form's mutation) as
//   the owning agency, on what each agency owes for the month it reports now; each acknowledged write
//   is read back at once by the IOC on connections of its own (WebIndicatorFigures, what the figure
//   form reads) and a read that does not show the written figure is a stale read.
//
// It reports reads/s, p50/p90/p99 per page and overall, 304s, errors by code (refusals, 429/503 or a
// *_BUSY/RATE_LIMITED code, apart from failures), write latency, failed or timed-out writes, stale
// reads, and resident memory; prints a table and writes scripts/bench/mix.results.json (a size run
// alone replaces only its own entry). Exits 1 on a stale read.
//
//   npm run bench:mix -- [--size today|five-years|both] [--duration S] [--warm-up S] [--seed N]
//     [--connections N] [--writes-per-second N] [--agency-share 0-1] [--poll-share 0-1]
//     [--mix page=weight,...] [--cpu-prof] [--stock] [--read-before-write]
//
// --stock runs the same mix (same seed) again against stock @apollo/gateway (ApolloServer +
// ApolloGateway in one process, verifying tokens and signing subgraph requests as the subgraphs
// require) over the same subgraphs, and gives the ratios. --cpu-prof runs every service with
// `node --cpu-prof` and prints each process's top functions by self time over the measured window.
// --read-before-write is a deliberate bug, to see the stale-read check fire: the read-back is sent
// before the write instead of after its acknowledgement.
// The gateway's per-caller rate limit (600 a minute) would refuse 50 connections on a few accounts, so
// it is raised for the run (RATE_LIMIT_PER_MINUTE), as in bench:load.
import { log, machine, previousSizes, writeResults } from "./harness.js";
import { readMixArgs } from "./mix/args.js";
import { Cleanup } from "./mix/cleanup.js";
import { webDocuments } from "./mix/documents.js";
import { measure, RATE_LIMIT_PER_MINUTE } from "./mix/measure.js";
import { printTable } from "./mix/report.js";
import { serveStock } from "./mix/stock-server.js";

async function main(): Promise<void> {
  const args = readMixArgs();
  const cleanup = new Cleanup();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping every process started`);
    const forced = setTimeout(() => process.exit(130), 20_000);
    forced.unref();
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    log("the web application's documents: generating them from gateway/operations");
    const documents = await webDocuments();
    const resultsUrl = new URL("./mix.results.json", import.meta.url);
    const sizes = await previousSizes(resultsUrl);
    let stale = 0;
    for (const size of args.sizes) {
      const result = await measure(size, args, documents, cleanup);
      await cleanup.run();
      printTable(size, result);
      stale += result.writes.staleReads;
      sizes[size] = result;
    }
    if (!args.readBeforeWrite) {
      await writeResults(resultsUrl, {
        mix: {
          tool: "autocannon 8 (in the benchmark's own process, on the same machine)",
          seed: args.seed,
          connections: args.connections,
          durationS: args.durationS,
          warmUpS: args.warmUpS,
          writesPerSecond: args.writesPerSecond,
          agencyShare: args.agencyShare,
          pollShare: args.pollShare,
          pageWeights: args.weights,
          rateLimitPerMinute: Number(RATE_LIMIT_PER_MINUTE),
          cpuProf: args.cpuProf,
          machine: machine(),
        },
        sizes,
      });
    } else log("a deliberate-bug run: results not written");
    if (stale > 0) {
      log(`STALE READS: ${stale} acknowledged writes were not shown by the read right after`);
      process.exitCode = 1;
    }
  } finally {
    await cleanup.run();
  }
}

if (process.env.P06_MIX_STOCK_GATEWAY === "1") await serveStock();
else await main();
