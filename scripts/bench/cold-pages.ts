// `npm run bench:cold`: the dashboard's pages computed with nothing kept (issue 20): the gateway's
// answer cache off (ANSWER_CACHE=0), every subgraph's too (SUBGRAPH_ANSWER_CACHE=0), one request at a
// time, as the IOC. Per size: the city scorecard, one indicator page, the communes grid, one commune
// and one agency page, each its web operation with its example variables. Writes
// scripts/bench/cold-pages.results.json (a size run alone replaces only its own entry).
//
//   npm run bench:cold -- [--size today|five-years|both] [--duration SECONDS]
import { readFile } from "node:fs/promises";
import {
  ask,
  log,
  openBenchDatabase,
  previousSizes,
  readArgs,
  series,
  SIZES,
  startBenchSystem,
  summarize,
  writeResults,
  type Size,
} from "./harness.js";

const PAGES = ["web-overview", "web-indicator", "web-communes", "web-commune", "web-agency"];
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
      const pages: Record<string, ReturnType<typeof summarize>> = {};
      for (const name of PAGES) {
        const { query, variables } = await operation(name);
        const ask1 = async () => (await ask(system.gatewayUrl, token, query, variables)).ms;
        for (let i = 0; i < WARM_UP; i += 1) await ask1();
        pages[name] = summarize(await series(RUNS, durationS, ask1));
        log(`${size} ${name}: p50 ${pages[name].p50Ms} ms, p90 ${pages[name].p90Ms} ms`);
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
