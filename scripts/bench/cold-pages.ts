// `npm run bench:cold`: the dashboard's pages computed with nothing kept (issue 20): the gateway's
// answer cache and kept fetches off (ANSWER_CACHE=0, FETCH_CACHE=0), every subgraph's too (SUBGRAPH_ANSWER_CACHE=0), one request at a
// time, as the IOC. Per size: the city scorecard (question 1, and the overview page with its
// sparklines), one indicator page, the communes grid, one commune and one agency page, each its
// operation with its example variables: milliseconds a request (p50, p90) and the processor time
// all the services spent on it (CPU ms a request, from /proc: steadier than the clock on a machine
// shared with other work). Writes
// scripts/bench/cold-pages.results.json (a size run alone replaces only its own entry). --page
// times only the pages named (comma-separated); --cpu-prof runs every service with `node --cpu-prof`
// and adds each process's top functions and files by self time over the timed requests.
//
//   npm run bench:cold -- [--size today|five-years|both] [--duration SECONDS] [--page A,B] [--cpu-prof]
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processTree } from "../lib/processes.js";
import { topSelfTime } from "./cpu-profile.js";
import {
  ask,
  cpuMsByService,
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

async function measure(size: Size, pageNames: string[], durationS: number | undefined) {
  const database = await openBenchDatabase(size);
  const profileDir = cpuProf ? await mkdtemp(join(tmpdir(), "p06-bench-cold-prof-")) : null;
  try {
    log(`${size}: starting the system (${SIZES[size].describe}), nothing kept`);
    const system = await startBenchSystem(database, {
      gatewayEnv: { ANSWER_CACHE: "0", FETCH_CACHE: "0" },
      env: { SUBGRAPH_ANSWER_CACHE: "0", APOLLO_TELEMETRY_DISABLED: "1" },
      ...(profileDir && { nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] }),
    });
    const names = new Map<number, string>();
    const exits: Record<string, number> = {};
    let timedFrom = 0;
    let timedTo = 0;
    const pages: Record<
      string,
      ReturnType<typeof summarize> & {
        cpuMsPerRequest: number;
        cpuMsPerRequestByService: Record<string, number>;
      }
    > = {};
    try {
      const token = await system.token("IOC");
      for (const name of pageNames) {
        const { query, variables } = await operation(name);
        const ask1 = async () => (await ask(system.gatewayUrl, token, query, variables)).ms;
        for (let i = 0; i < WARM_UP; i += 1) await ask1();
        const cpuBefore = await cpuMsByService(system.processes);
        timedFrom ||= Date.now();
        const times = await series(RUNS, durationS, ask1);
        timedTo = Date.now();
        const cpuAfter = await cpuMsByService(system.processes);
        const byService = Object.fromEntries(
          Object.entries(cpuAfter).map(([service, ms]) => [
            service,
            round((ms - (cpuBefore[service] ?? 0)) / times.length),
          ]),
        );
        const total = Object.values(byService).reduce((sum, ms) => sum + ms, 0);
        const page = {
          ...summarize(times),
          cpuMsPerRequest: round(total),
          cpuMsPerRequestByService: byService,
        };
        pages[name] = page;
        log(
          `${size} ${name}: p50 ${page.p50Ms} ms, p90 ${page.p90Ms} ms, ${page.cpuMsPerRequest} CPU ms a request (${Object.entries(
            byService,
          )
            .map(([service, ms]) => `${service} ${ms}`)
            .join(", ")})`,
        );
      }
      for (const [name, service] of Object.entries(system.processes.services)) {
        const tree = service.child.pid ? await processTree(service.child.pid) : [];
        tree.forEach((pid, i) => names.set(pid, i === 0 ? name : `${name} worker`));
        service.child.once("exit", () => (exits[name] = Date.now()));
      }
    } finally {
      await system.stop();
    }
    if (!profileDir) return pages;
    // the services stop within a second of one another: one window for all
    const exit = Math.max(...Object.values(exits), Date.now());
    const cpuProfile = await topSelfTime(profileDir, names, {
      fromMsBeforeExit: exit - timedFrom,
      toMsBeforeExit: exit - timedTo,
    });
    for (const [process, profile] of Object.entries(cpuProfile)) {
      log(`${size} ${process}: ${profile.sampledMs} ms sampled`);
      for (const f of profile.byFile.slice(0, 8)) log(`    ${f.pct}% ${f.file}`);
      for (const f of profile.top.slice(0, 8)) log(`    ${f.pct}% ${f.fn}`);
    }
    return { ...pages, cpuProfile };
  } finally {
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
    await database.stop();
  }
}

const { sizes, durationS, values } = readArgs("both", {
  page: { type: "string" },
  "cpu-prof": { type: "boolean", default: false },
});
const cpuProf = values["cpu-prof"] === true;
const pageNames = typeof values.page === "string" ? values.page.split(",") : PAGES;
const unknown = pageNames.filter((name) => !PAGES.includes(name));
if (unknown.length) throw new Error(`--page takes ${PAGES.join(", ")}; got ${unknown.join(", ")}`);
const results = await previousSizes(resultsUrl);
for (const size of sizes) results[size] = await measure(size, pageNames, durationS);
await writeResults(resultsUrl, { sizes: results });
