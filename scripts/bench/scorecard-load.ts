// `npm run bench:load`: the city scorecard under load (issue 14 item 6), like the IOC's wall screens:
// 50 connections on one IOC account for --duration seconds (default 15), at both demo data sizes.
// Per size, two runs: reads only, then the same with a health figure written every second, where
// every answer must show the last acknowledged write. Writes scripts/bench/scorecard-load.results.json
// (a size run alone replaces only its own entry); exits 1 if an answer was stale.
//
//   npm run bench:load -- [--size today|five-years|both] [--duration SECONDS]
//
// The query is the scorecard operation plus, in the same request, the written figure:
// II.12 for one commune in 2026-10. Freshness is checked twice: a checker asks right after each
// acknowledged write, and every load answer to a request sent after an acknowledgement must show it.
// The gateway's per-caller rate limit (600 a minute) would refuse one account's 50 connections, so it
// is raised for the run (RATE_LIMIT_PER_MINUTE), as a deployment serving wall screens must.
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { CITY, reportingUnitCodes } from "@p06/catalogue";
import {
  ask,
  log,
  previousSizes,
  openBenchDatabase,
  readArgs,
  residentMemoryMiB,
  round,
  scorecardOperation,
  scorecardVariables,
  SIZES,
  startBenchSystem,
  summarize,
  type BenchSystem,
  type Size,
  writeResults,
} from "./harness.js";

interface LoadContext {
  /** The numerator acknowledged when the request was built. */
  floor?: number;
}

const CONNECTIONS = 50;
const UNIT = reportingUnitCodes().find((code) => code !== CITY.code)!;
const PERIOD = "2026-10";
const DENOMINATOR = 1_000_000;
const RATE_LIMIT_PER_MINUTE = "100000000";
const WARM_UP_S = 5;

const loadQuery = scorecardOperation.replace(
  /\}\s*$/,
  `  writtenFigure: indicator(code: "II.12") {
    ... on HealthIndicator {
      values(unit: "${UNIT}", from: "${PERIOD}", to: "${PERIOD}") { numerator }
    }
  }
}
`,
);
const loadBody = JSON.stringify({ query: loadQuery, variables: scorecardVariables });
// in an answer's JSON, fields come in the query's order: the written figure's numerator
const WRITTEN = /"writtenFigure":\{"values":\[\{"numerator":(\d+(?:\.\d+)?)/;

const SUBMIT_VALUE = `mutation ($input: DataValueInput!) {
  submitHealthValue(input: $input) { numerator }
}`;

interface Freshness {
  /** The numerator of the last acknowledged write (0 before the first). */
  acked: number;
  answersChecked: number;
  staleAnswers: number;
  /** First stale answers: what the request was built after, what it showed. */
  staleExamples: { after: number; shown: number }[];
  answersWithoutFigure: number;
}

/** One autocannon run of the load query; every 200 answer is checked against `freshness`. */
async function load(gatewayUrl: string, token: string, durationS: number, freshness: Freshness) {
  let graphqlErrors = 0;
  const result = await autocannon({
    url: gatewayUrl,
    connections: CONNECTIONS,
    duration: durationS,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: loadBody,
    requests: [
      {
        // built just before it is sent, one at a time per connection (no pipelining)
        setupRequest: (request, context: LoadContext) => {
          context.floor = freshness.acked;
          return request;
        },
        onResponse: (status, body, context: LoadContext) => {
          if (status !== 200) return;
          if (body.includes('"errors":')) graphqlErrors += 1;
          const shown = WRITTEN.exec(body)?.[1];
          if (shown === undefined) {
            freshness.answersWithoutFigure += 1;
            return;
          }
          freshness.answersChecked += 1;
          if (Number(shown) < (context.floor ?? 0)) {
            freshness.staleAnswers += 1;
            if (freshness.staleExamples.length < 20)
              freshness.staleExamples.push({ after: context.floor!, shown: Number(shown) });
          }
        },
      },
    ],
  });
  return {
    connections: CONNECTIONS,
    durationS: round(result.duration),
    requests: result.requests.total,
    requestsPerS: round(result.requests.average),
    latencyMs: {
      mean: round(result.latency.average),
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]),
    ),
  };
}

/**
 * Writes II.12 for UNIT every second until `done`, the numerator one higher each time; after each
 * acknowledgement a checker asks at once and, if the answer is stale, again until it is fresh.
 */
async function writeEverySecond(
  system: BenchSystem,
  freshness: Freshness,
  done: () => boolean,
  start: number,
) {
  const doh = await system.token("DOH");
  const ioc = await system.token("IOC");
  const writeMs: number[] = [];
  const writeErrors: string[] = [];
  const checks: Promise<void>[] = [];
  const checker = {
    checks: 0,
    violations: 0,
    errors: [] as string[],
    violationDetails: [] as Record<string, unknown>[],
  };
  const check = async (numerator: number, ackedAt: number) => {
    checker.checks += 1;
    let firstShown: number | undefined;
    for (;;) {
      let shown: number | undefined;
      try {
        const answer = await ask<{ writtenFigure: { values: { numerator: number }[] } }>(
          system.gatewayUrl,
          ioc,
          loadQuery,
          scorecardVariables,
        );
        shown = answer.data.writtenFigure.values[0]?.numerator ?? Number.NaN;
      } catch (error) {
        checker.errors.push(error instanceof Error ? error.message : String(error));
      }
      if (shown !== undefined && shown >= numerator) break;
      if (shown !== undefined) firstShown ??= shown;
      // stale: ask again until the write shows, to say how long it took (or give up after 10 s)
      if (firstShown === undefined || performance.now() - ackedAt > 10_000) break;
      await sleep(10);
    }
    if (firstShown !== undefined) {
      checker.violations += 1;
      if (checker.violationDetails.length < 20)
        checker.violationDetails.push({
          written: numerator,
          shown: firstShown,
          freshAfterMs: round(performance.now() - ackedAt),
        });
    }
  };
  let numerator = start;
  while (!done()) {
    const tick = performance.now();
    numerator += 1;
    try {
      const answer = await ask<{ submitHealthValue: { numerator: number } }>(
        system.gatewayUrl,
        doh,
        SUBMIT_VALUE,
        {
          input: {
            indicator: "II.12",
            unit: UNIT,
            period: PERIOD,
            numerator,
            denominator: DENOMINATOR,
          },
        },
      );
      freshness.acked = numerator;
      writeMs.push(answer.ms);
      checks.push(check(numerator, performance.now()));
    } catch (error) {
      writeErrors.push(error instanceof Error ? error.message : String(error));
    }
    await sleep(Math.max(0, 1000 - (performance.now() - tick)));
  }
  await Promise.all(checks);
  return {
    writes: writeMs.length + writeErrors.length,
    acknowledged: writeMs.length,
    writeLatency: writeMs.length ? summarize(writeMs) : null,
    writeErrors: writeErrors.slice(0, 10),
    checker: { ...checker, errors: checker.errors.length, firstErrors: checker.errors.slice(0, 5) },
    last: numerator,
  };
}

async function measure(size: Size, durationS: number) {
  const database = await openBenchDatabase(size);
  let system: BenchSystem | undefined;
  try {
    log(`${size}: starting, demo data ${SIZES[size].describe}`);
    const started = performance.now();
    system = await startBenchSystem(database, {
      gatewayEnv: { RATE_LIMIT_PER_MINUTE },
    });
    const startMs = round(performance.now() - started);
    log(`${size}: system up in ${startMs} ms`);
    const ioc = await system.token("IOC");
    // warm up: the first answers plan the query and fill the gateway's caches
    const first = await ask<{ writtenFigure: { values: { numerator: number }[] } }>(
      system.gatewayUrl,
      ioc,
      loadQuery,
      scorecardVariables,
    );
    const demoNumerator = first.data.writtenFigure.values[0]?.numerator;
    if (demoNumerator === undefined) throw new Error(`no II.12 figure for ${UNIT} in ${PERIOD}`);
    for (let i = 0; i < 4; i += 1) await ask(system.gatewayUrl, ioc, loadQuery, scorecardVariables);
    const newFreshness = (acked: number): Freshness => ({
      acked,
      answersChecked: 0,
      staleAnswers: 0,
      staleExamples: [],
      answersWithoutFigure: 0,
    });
    // and 5 s of the load itself, not measured: the code it runs compiled by the JIT, and every
    // gateway worker serving (they start one after another; the gateway is ready with the first)
    await load(system.gatewayUrl, ioc, WARM_UP_S, newFreshness(0));

    log(`${size}: reads only, ${CONNECTIONS} connections for ${durationS} s`);
    const readsFreshness = newFreshness(0);
    const reads = await load(system.gatewayUrl, ioc, durationS, readsFreshness);
    log(`${size}: reads only ${JSON.stringify(reads)}`);
    const memoryAfterReadsMiB = await residentMemoryMiB(system.processes);

    log(`${size}: reads with a write every second, ${CONNECTIONS} connections for ${durationS} s`);
    const freshness = newFreshness(0);
    let loading = true;
    const progress = setInterval(
      () =>
        log(
          `${size}:   acknowledged write ${freshness.acked || "none yet"}, answers checked ${freshness.answersChecked}, stale ${freshness.staleAnswers}`,
        ),
      5000,
    );
    // written numerators start above the demo's figure and below the denominator
    const writing = writeEverySecond(system, freshness, () => !loading, DENOMINATOR / 2);
    const withWrites = await load(system.gatewayUrl, ioc, durationS, freshness).finally(() => {
      loading = false;
      clearInterval(progress);
    });
    const writes = await writing;
    log(`${size}: with writes ${JSON.stringify(withWrites)}`);
    log(
      `${size}: writes ${writes.acknowledged}/${writes.writes} acknowledged, ${JSON.stringify(writes.writeLatency)}; checker ${writes.checker.checks} checks, ${writes.checker.violations} violations; load answers ${freshness.answersChecked} checked, ${freshness.staleAnswers} stale`,
    );
    const { last, ...writeResults } = writes;
    return {
      date: new Date().toISOString(),
      demoData: SIZES[size].describe,
      startMs,
      readsOnly: { ...reads, memoryAfterMiB: memoryAfterReadsMiB },
      withWriteEverySecond: {
        ...withWrites,
        memoryAfterMiB: await residentMemoryMiB(system.processes),
        writes: {
          indicator: "II.12",
          unit: UNIT,
          period: PERIOD,
          lastNumerator: last,
          ...writeResults,
        },
        freshness: {
          violations: writes.checker.violations + freshness.staleAnswers,
          checkerViolations: writes.checker.violations,
          staleLoadAnswers: freshness.staleAnswers,
          loadAnswersChecked: freshness.answersChecked,
          loadAnswersWithoutFigure: freshness.answersWithoutFigure,
          staleExamples: freshness.staleExamples,
        },
      },
    };
  } catch (error) {
    if (system) log(`${size}: failed; the services' last lines:\n${system.lastLines()}`);
    throw error;
  } finally {
    await system?.stop();
    await database.stop();
  }
}

const args = readArgs();
const durationS = args.durationS ?? 15;
const resultsUrl = new URL("./scorecard-load.results.json", import.meta.url);
const sizes = await previousSizes(resultsUrl);
let violations = 0;
for (const size of args.sizes) {
  const result = await measure(size, durationS);
  violations += result.withWriteEverySecond.freshness.violations;
  sizes[size] = result;
}
await writeResults(resultsUrl, {
  load: {
    tool: "autocannon 8 (in the benchmark's own process, on the same machine)",
    connections: CONNECTIONS,
    durationS,
    account: "IOC (one token for every connection)",
    rateLimitPerMinute: Number(RATE_LIMIT_PER_MINUTE),
  },
  query: loadQuery,
  variables: scorecardVariables,
  sizes,
});
if (violations > 0) {
  log(`FRESHNESS VIOLATIONS: ${violations} answers did not show an acknowledged write`);
  process.exitCode = 1;
}
