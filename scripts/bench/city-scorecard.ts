// `npm run bench`: p50 latency of the city scorecard (the IOC's question 1) through the gateway on the
// demo data, 200 sequential requests with the subgraphs' review-figures cache on (the default) and
// 20 with it off. Starts its own FerretDB, subgraphs and gateway on free ports, stops them after, and
// writes scripts/bench/city-scorecard.results.json.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { ensureDevKeys } from "../../gateway/src/keys.js";
import { freePort, startFerretDB } from "../lib/ferretdb.js";
import { subgraphs } from "../lib/subgraphs.js";
import { startSystemProcesses } from "../lib/system.js";

const operation = await readFile(
  new URL("../../gateway/operations/1-city-scorecard.graphql", import.meta.url),
  "utf8",
);
const log = (line: string) => console.log(`[bench] ${line}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(label: string, cacheMs: string, requests: number, uri: string) {
  const started = Date.now();
  const system = await startSystemProcesses({
    mongodbUri: uri,
    secrets: Object.fromEntries(
      subgraphs.map((spec) => [spec.name, randomBytes(32).toString("hex")]),
    ),
    publicKeyFile: (await ensureDevKeys(join(dataDir, "keys"))).publicKeyFile,
    subgraphEnv: () => ({ LOG_LEVEL: "warn", P06_DEMO_DATA: "1", P06_FIGURES_CACHE_MS: cacheMs }),
    // the scorecard is read anonymously, as from the playground on a development machine
    gatewayEnv: { LOG_LEVEL: "warn", ANONYMOUS_READ: "1" },
  });
  const { gateway } = system;
  try {
    log(`${label}: system up in ${Date.now() - started} ms`);
    const ask = async () => {
      const t = performance.now();
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: operation, variables: { year: 2026, period: "2026-10" } }),
      });
      const body = (await response.json()) as { errors?: unknown[] };
      if (body.errors)
        throw new Error(`the scorecard answered errors: ${JSON.stringify(body.errors)}`);
      return performance.now() - t;
    };
    const first = await ask();
    const times: number[] = [];
    for (let i = 0; i < requests; i += 1) times.push(await ask());
    times.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 10) / 10;
    const result = {
      label,
      figuresCacheMs: Number(cacheMs),
      requests,
      firstMs: round(first),
      p50Ms: round(percentile(times, 50)),
      p90Ms: round(percentile(times, 90)),
      p99Ms: round(percentile(times, 99)),
      minMs: round(times[0]!),
      maxMs: round(times.at(-1)!),
    };
    log(JSON.stringify(result));
    return result;
  } finally {
    await system.stop();
  }
}

const dataDir = await mkdtemp(join(tmpdir(), "p06-bench-"));
const database = await startFerretDB({ port: await freePort(), dataDir, log });
try {
  const uri = process.env.MONGODB_URI?.trim() || database.uri;
  // the first run loads the demo data (the same seed every time)
  const cached = await run("figures cache on (30 s)", "30000", 200, uri);
  const uncached = await run("figures cache off", "0", 20, uri);
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    database: process.env.MONGODB_URI ? "MONGODB_URI" : "FerretDB 1.24.2 (SQLite)",
    demoSeed: 6,
    runs: [cached, uncached],
  };
  await writeFile(
    new URL("./city-scorecard.results.json", import.meta.url),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  log("wrote scripts/bench/city-scorecard.results.json");
} finally {
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
