// `npm run bench:cold`: the dashboard's pages computed with nothing kept (issue 20): the gateway's
// answer cache off (ANSWER_CACHE=0), every subgraph's too (SUBGRAPH_ANSWER_CACHE=0), one request at a
// time, as the IOC. Per size: the city scorecard (question 1, and the overview page with its
// sparklines), one indicator page, the communes grid, one commune and one agency page, each its
// operation with its example variables: milliseconds a request (p50, p90) and the processor time
// all the services spent on it (CPU ms a request, from /proc: steadier than the clock on a machine
// shared with other work). Writes
// scripts/bench/cold-pages.results.json (a size run alone replaces only its own entry).
//
//   npm run bench:cold -- [--size today|five-years|both] [--duration SECONDS]
import { readFile } from "node:fs/promises";
import { processTree } from "../lib/processes.js";
import type { RunningSystemProcesses } from "../lib/system.js";
import {
  ask,
  log,
  openBenchDatabase,
  previousSizes,
  readArgs,
  round,
  series,
  SIZES,
  startBenchSystem,
  summarize,
  writeResults,
  type Size,
} from "./harness.js";

const PAGES = [
  "1-city-scorecard",
  "web-overview",
  "web-indicator",
  "web-communes",
  "web-commune",
  "web-agency",
];
/** Requests timed per page, after a few that warm the processes' code up. */
const RUNS = 60;
const WARM_UP = 10;
const resultsUrl = new URL("./cold-pages.results.json", import.meta.url);

const operation = async (name: string) => ({
  query: await readFile(
    new URL(`../../gateway/operations/${name}.graphql`, import.meta.url),
    "utf8",
  ),
  variables: JSON.parse(
    await readFile(
      new URL(`../../gateway/operations/${name}.variables.json`, import.meta.url),
      "utf8",
    ),
  ) as Record<string, unknown>,
});

/** Clock ticks a second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Processor milliseconds every service (and its children) has used so far. */
async function cpuMs(processes: RunningSystemProcesses): Promise<number> {
  let ticks = 0;
  for (const service of Object.values(processes.services)) {
    if (service.child.pid === undefined) continue;
    for (const pid of await processTree(service.child.pid)) {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
      // the fields after the command's closing parenthesis: utime and stime are the 12th and 13th
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

async function measure(size: Size, durationS: number | undefined) {
  const database = await openBenchDatabase(size);
  try {
    log(`${size}: starting the system (${SIZES[size].describe}), nothing kept`);
    const system = await startBenchSystem(database, {
      gatewayEnv: { ANSWER_CACHE: "0" },
      env: { SUBGRAPH_ANSWER_CACHE: "0", APOLLO_TELEMETRY_DISABLED: "1" },
    });
    try {
      const token = await system.token("IOC");
      const pages: Record<string, ReturnType<typeof summarize> & { cpuMsPerRequest: number }> = {};
      for (const name of PAGES) {
        const { query, variables } = await operation(name);
        const ask1 = async () => (await ask(system.gatewayUrl, token, query, variables)).ms;
        for (let i = 0; i < WARM_UP; i += 1) await ask1();
        const cpuBefore = await cpuMs(system.processes);
        const times = await series(RUNS, durationS, ask1);
        const cpu = (await cpuMs(system.processes)) - cpuBefore;
        const page = { ...summarize(times), cpuMsPerRequest: round(cpu / times.length) };
        pages[name] = page;
        log(
          `${size} ${name}: p50 ${page.p50Ms} ms, p90 ${page.p90Ms} ms, ${page.cpuMsPerRequest} CPU ms a request`,
        );
      }
      return pages;
    } finally {
      await system.stop();
    }
  } finally {
    await database.stop();
  }
}

const { sizes, durationS } = readArgs();
const results = await previousSizes(resultsUrl);
for (const size of sizes) results[size] = await measure(size, durationS);
await writeResults(resultsUrl, { sizes: results });
