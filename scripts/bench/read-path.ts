// `npm run bench:read-path`: the read path from memory (issue 8) at both demo data sizes, through the
// gateway with tokens. Per size, on a FerretDB of its own: the first start (demo data generated) and a
// restart on the same data (time until every service is ready, each service's resident memory), the
// first city scorecard after the restart, 200 sequential scorecards, 100 single figures, 10 monthly
// reports of 114 figures and 3 imports of a whole month's spreadsheet. Every answer must be free of
// errors: a failed series is reported (and the run exits 1) but the next series still runs. Writes
// scripts/bench/read-path.results.json (a size run alone replaces only its own entry).
//
//   npm run bench:read-path -- [--size today|five-years|both] [--duration SECONDS]
//
// --duration caps each timed series (for a quick check while developing); by default none is capped.
// The gateway's subgraph timeout is raised to 60 s so that a slow write is timed, not cut off at the
// default 10 s; each series counts its runs over 10 s.
import { CITY, reportingUnitCodes } from "@p06/catalogue";
import { definitions as identityDefinitions } from "@p06/identity";
import { reportCsv } from "@p06/subgraph-kit";
import {
  ask,
  dataVersions,
  log,
  previousSizes,
  openBenchDatabase,
  readArgs,
  residentMemoryMiB,
  round,
  scorecardOperation,
  scorecardVariables,
  series,
  SIZES,
  startBenchSystem,
  summarize,
  type BenchSystem,
  type Size,
  writeResults,
} from "./harness.js";

const PERIOD = "2026-10";
// the gateway's default per-subgraph timeout, and the longer one the run uses so that a slow write is
// timed rather than cut off (the gateway reads it as at most 65535)
const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;
const SUBGRAPH_TIMEOUT_MS = 60_000;
const failures: string[] = [];
const communes = reportingUnitCodes().filter((code) => code !== CITY.code);

const SUBMIT_VALUE = `mutation ($input: DataValueInput!) {
  submitHealthValue(input: $input) { indicator unit period numerator version }
}`;
const SUBMIT_REPORT = `mutation ($input: MonthlyReportInput!) {
  submitHealthReport(input: $input) { period created replaced indicators }
}`;
const IMPORT_REPORT = `mutation ($input: ImportReportInput!) {
  importIdentityReport(input: $input) { period created replaced indicators }
}`;

interface ReportResult {
  created: number;
  replaced: number;
}

/**
 * A month's spreadsheet for the City Police: every commune-level indicator of identity for every
 * commune, with its age-band rows where it has a breakdown (the parts add up to the total). That is
 * the largest valid month a subgraph takes: 7 indicators × 114 communes = 798 figures on 1,482 rows.
 */
function identityMonth(run: number) {
  const rows: Parameters<typeof reportCsv>[0] = [];
  let figures = 0;
  for (const definition of identityDefinitions.filter((d) => d.level === "COMMUNE")) {
    if (definition.measure !== "PERCENT" && definition.measure !== "RATIO") {
      throw new Error(`identity ${definition.code} is a ${definition.measure}: update the bench`);
    }
    communes.forEach((unit, j) => {
      const categories = definition.breakdown?.categories ?? [];
      const parts = categories.map((category, k) => ({
        category,
        numerator: 100 + run + (j % 7) + k,
        denominator: 400,
      }));
      const total = parts.length
        ? {
            numerator: parts.reduce((sum, part) => sum + part.numerator, 0),
            denominator: parts.reduce((sum, part) => sum + part.denominator, 0),
          }
        : { numerator: 500 + run + (j % 37), denominator: 1000 };
      rows.push({ indicator: definition.code, unit, ...total });
      for (const part of parts) rows.push({ indicator: definition.code, unit, ...part });
      figures += 1;
    });
  }
  return { csv: reportCsv(rows), rows: rows.length, figures };
}

/** Starts the system, timing it, with the resident memory of each service once it is ready. */
async function timedStart(size: Size, system: () => Promise<BenchSystem>) {
  const started = performance.now();
  const running = await system();
  const totalMs = round(performance.now() - started);
  const [memoryMiB, versions] = await Promise.all([
    residentMemoryMiB(running.processes),
    dataVersions(running.processes),
  ]).catch(async (error: unknown) => {
    await running.stop();
    throw error;
  });
  log(`${size}: all ready in ${totalMs} ms; ready at ${JSON.stringify(running.readyMs)}`);
  log(`${size}: resident memory (MiB) ${JSON.stringify(memoryMiB)}`);
  return { running, result: { totalMs, readyMs: running.readyMs, memoryMiB, versions } };
}

async function measure(size: Size, capS: number | undefined) {
  const database = await openBenchDatabase(size);
  let system: BenchSystem | undefined;
  try {
    // first start: the demo data is generated; the subgraphs log at info to say how much and how long
    log(`${size}: first start, demo data ${SIZES[size].describe}`);
    const loads: Record<string, Record<string, unknown>> = {};
    const first = await timedStart(size, () =>
      startBenchSystem(database, {
        subgraphLogLevel: "info",
        onLine: (service, line) => {
          if (!line.startsWith("{")) return;
          try {
            const entry = JSON.parse(line) as Record<string, unknown>;
            if (entry.msg === "demo data loaded")
              (loads[service] ??= {}).demo = {
                values: entry.values,
                history: entry.history,
                ms: entry.ms,
              };
            if (entry.msg === "figures loaded into memory")
              (loads[service] ??= {}).memory = { figures: entry.figures, ms: entry.ms };
          } catch {
            // not a log entry
          }
        },
      }),
    );
    system = first.running;
    log(`${size}: demo data and memory loads ${JSON.stringify(loads)}`);
    await system.stop();
    system = undefined;

    log(`${size}: restart on the same data`);
    const restart = await timedStart(size, () =>
      startBenchSystem(database, {
        gatewayEnv: { SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS) },
      }),
    );
    system = restart.running;
    const { gatewayUrl } = system;
    const ioc = await system.token("IOC");
    const doh = await system.token("DOH");
    const police = await system.token("POLICE");

    const scorecard = async () =>
      (await ask(gatewayUrl, ioc, scorecardOperation, scorecardVariables)).ms;
    const firstScorecardMs = round(await scorecard());
    log(`${size}: first city scorecard after the restart ${firstScorecardMs} ms`);

    /** A timed series; a failed step ends it, is reported, and the next series still runs. */
    const timed = async (label: string, count: number, step: (i: number) => Promise<number>) => {
      const times: number[] = [];
      let stepStarted = 0;
      try {
        await series(count, capS, async (i) => {
          stepStarted = performance.now();
          const ms = await step(i);
          times.push(ms);
          return ms;
        });
      } catch (error) {
        const failedAfterMs = round(performance.now() - stepStarted);
        const message = error instanceof Error ? error.message : String(error);
        const where = `run ${times.length + 1}, after ${failedAfterMs} ms`;
        failures.push(`${size}, ${label}, ${where}: ${message}`);
        log(`${size}: ${label} FAILED at ${where}: ${message}`);
        return {
          ...(times.length > 0 && summarize(times)),
          failedAtRun: times.length + 1,
          failedAfterMs,
          error: message,
        };
      }
      const result = {
        ...summarize(times),
        overDefaultTimeout: times.filter((ms) => ms > DEFAULT_SUBGRAPH_TIMEOUT_MS).length,
      };
      log(`${size}: ${label} ${JSON.stringify(result)}`);
      return result;
    };

    const sequentialScorecard = await timed("sequential city scorecard", 200, scorecard);

    const singleFigure = await timed("single figure (submitHealthValue II.12)", 100, async (i) => {
      const input = {
        indicator: "II.12",
        unit: communes[i % communes.length]!,
        period: PERIOD,
        numerator: 400 + i,
        denominator: 1000,
      };
      const answer = await ask<{ submitHealthValue: { numerator: number } }>(
        gatewayUrl,
        doh,
        SUBMIT_VALUE,
        { input },
      );
      if (answer.data.submitHealthValue.numerator !== input.numerator) {
        throw new Error(`submitHealthValue stored ${JSON.stringify(answer.data)}`);
      }
      return answer.ms;
    });

    const monthReport = await timed(
      `${communes.length}-figure month report (submitHealthReport II.12)`,
      10,
      async (run) => {
        const values = communes.map((unit, j) => ({
          indicator: "II.12",
          unit,
          numerator: 300 + run * 10 + (j % 50),
          denominator: 1000,
        }));
        const answer = await ask<{ submitHealthReport: ReportResult }>(
          gatewayUrl,
          doh,
          SUBMIT_REPORT,
          { input: { period: PERIOD, values } },
        );
        const { created, replaced } = answer.data.submitHealthReport;
        if (created + replaced !== values.length) {
          throw new Error(`submitHealthReport stored ${created + replaced} of ${values.length}`);
        }
        return answer.ms;
      },
    );

    const shape = identityMonth(0);
    const spreadsheetImport = {
      rows: shape.rows,
      figures: shape.figures,
      bytes: Buffer.byteLength(shape.csv),
      ...(await timed(
        `${shape.rows}-row spreadsheet import (importIdentityReport)`,
        3,
        async (run) => {
          const month = identityMonth(run);
          const answer = await ask<{ importIdentityReport: ReportResult }>(
            gatewayUrl,
            police,
            IMPORT_REPORT,
            {
              input: {
                period: PERIOD,
                format: "CSV",
                contentBase64: Buffer.from(month.csv).toString("base64"),
                fileName: `bench-identity-${PERIOD}.csv`,
              },
            },
          );
          const { created, replaced } = answer.data.importIdentityReport;
          if (created + replaced !== month.figures) {
            throw new Error(
              `importIdentityReport stored ${created + replaced} of ${month.figures}`,
            );
          }
          log(`${size}:   import ${run + 1} in ${round(answer.ms)} ms`);
          return answer.ms;
        },
      )),
    };

    const memoryAfterRunMiB = await residentMemoryMiB(system.processes);
    log(`${size}: resident memory after the run (MiB) ${JSON.stringify(memoryAfterRunMiB)}`);
    return {
      date: new Date().toISOString(),
      demoData: SIZES[size].describe,
      firstStart: { ...first.result, loads },
      restart: restart.result,
      firstScorecardAfterRestartMs: firstScorecardMs,
      gatewaySubgraphTimeoutMs: SUBGRAPH_TIMEOUT_MS,
      sequentialScorecard,
      singleFigure,
      monthReport: { figures: communes.length, ...monthReport },
      spreadsheetImport,
      memoryAfterRunMiB,
      ...(capS !== undefined && { seriesCappedAtS: capS }),
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
const resultsUrl = new URL("./read-path.results.json", import.meta.url);
const sizes = await previousSizes(resultsUrl);
for (const size of args.sizes) sizes[size] = await measure(size, args.durationS);
await writeResults(resultsUrl, {
  operation: "gateway/operations/1-city-scorecard.graphql",
  variables: scorecardVariables,
  failures,
  sizes,
});
if (failures.length > 0) {
  log(`FAILED: ${failures.length} series ended on an error:`);
  for (const failure of failures) log(`  ${failure}`);
  process.exitCode = 1;
}
