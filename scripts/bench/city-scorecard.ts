// `npm run bench`: the quick one. Latency of the city scorecard (the IOC's question 1) through the
// gateway, with an IOC token, on today's demo data: the first request after start-up, then 200 one
// after another. Starts its own FerretDB, subgraphs and gateway on free ports, stops them after, and
// writes scripts/bench/city-scorecard.results.json. The full read path at both data sizes is
// `npm run bench:read-path`, the load `npm run bench:load`.
//
//   npm run bench -- [--size today|five-years|both] [--duration SECONDS]
//
// --size defaults to today; --duration caps the 200 requests, for a quick check.
import {
  ask,
  log,
  openBenchDatabase,
  readArgs,
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

async function run(size: Size, capS: number | undefined) {
  const database = await openBenchDatabase(size);
  let system: BenchSystem | undefined;
  try {
    const started = performance.now();
    // loads the demo data (the same seed every time)
    system = await startBenchSystem(database);
    log(`${size}: system up in ${round(performance.now() - started)} ms`);
    const { gatewayUrl } = system;
    const ioc = await system.token("IOC");
    const scorecard = async () =>
      (await ask(gatewayUrl, ioc, scorecardOperation, scorecardVariables)).ms;
    const firstMs = round(await scorecard());
    const result = {
      label: `read model in memory, IOC token, ${size}`,
      demoData: SIZES[size].describe,
      firstMs,
      ...summarize(await series(200, capS, scorecard)),
    };
    log(JSON.stringify(result));
    return result;
  } catch (error) {
    if (system) log(`${size}: failed; the services' last lines:\n${system.lastLines()}`);
    throw error;
  } finally {
    await system?.stop();
    await database.stop();
  }
}

const args = readArgs("today");
const runs = [];
for (const size of args.sizes) runs.push(await run(size, args.durationS));
await writeResults(new URL("./city-scorecard.results.json", import.meta.url), {
  operation: "gateway/operations/1-city-scorecard.graphql",
  variables: scorecardVariables,
  runs,
});
