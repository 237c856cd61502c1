// `npm run bench:engine`: the gateway's engine against stock @apollo/gateway, on a federation of its
// own (scripts/bench/engine/: three subgraphs answering from memory, entity joins two levels deep
// through lists), one deep query, 50 connections, the answer cache always off. Every answer of every
// run is checked byte for byte against stock's. Results in scripts/bench/engine.results.json.
import { parseArgs } from "node:util";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { composeServices } from "@apollo/composition";
import autocannon from "autocannon";
import { parse } from "graphql";
import { ensureDevKeys } from "../../gateway/src/trust/keys.js";
import { issueToken } from "../../gateway/src/trust/tokens.js";
import { buildPackages, COMPILED_NODE_FLAGS, compiledPath } from "../lib/build.js";
import { freePort, repoRoot } from "../lib/ferretdb.js";
import { processTree } from "../lib/processes.js";
import { GATEWAY_NODE_FLAGS } from "../lib/system.js";
import { DEEP_QUERY } from "./engine/federation.js";

// it takes no options: an unknown one is refused before anything starts
parseArgs({ options: {} });

const SECONDS = Number(process.env.ENGINE_BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.ENGINE_BENCH_ROUNDS ?? 3);
// long enough for both engines to reach their steady state (with 3 s the JIT was still warming)
const WARMUP_SECONDS = Number(process.env.ENGINE_BENCH_WARMUP_SECONDS ?? 10);
const CONNECTIONS = 50;
const WORKERS = availableParallelism();
const ALL_CPUS = `0-${WORKERS - 1}`;
/** One-worker runs get a core of their own where there are two or more (ENGINE_BENCH_PIN=0: never). */
const PIN_ONE_WORKER = WORKERS >= 2 && process.env.ENGINE_BENCH_PIN !== "0";
const resultsFile = join(repoRoot, "scripts", "bench", "engine.results.json");

interface Run {
  label: string;
  /** Null: stock @apollo/gateway. */
  workers: number | null;
  dedup: boolean | null;
}

/** ENGINE_BENCH_ONLY=text: stock and the runs whose label contains it (e.g. "1 worker, no dedup"). */
const only = process.env.ENGINE_BENCH_ONLY;
const runs: Run[] = [
  { label: "stock @apollo/gateway", workers: null, dedup: null },
  { label: "gateway, 1 worker, no dedup", workers: 1, dedup: false },
  { label: "gateway, 1 worker, dedup", workers: 1, dedup: true },
  { label: `gateway, ${WORKERS} workers, no dedup`, workers: WORKERS, dedup: false },
  { label: `gateway, ${WORKERS} workers, dedup`, workers: WORKERS, dedup: true },
].filter((run) => run.workers === null || !only || run.label.includes(only));

const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

/** ENGINE_BENCH_CPU_PROF=dir: the gateway runs with --cpu-prof, profiles written there. */
const profileDir = process.env.ENGINE_BENCH_CPU_PROF;

/** Starts a TypeScript entry with tsx, or, `compiled`, the gateway from the build as in production. */
function start(
  entry: string,
  env: Record<string, string>,
  { profile = false, compiled = false } = {},
): ChildProcess {
  const flags = profile && profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
  const run = compiled
    ? [...COMPILED_NODE_FLAGS, ...GATEWAY_NODE_FLAGS, join(repoRoot, compiledPath(entry))]
    : ["--import", "tsx", join(repoRoot, entry)];
  const child = spawn(process.execPath, [...flags, ...run], {
    cwd: repoRoot,
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
    });
    child.once("exit", () => reject(new Error(`exited before it was ready:\n${text}`)));
  });
}

/** CPU time (ms) a process and its children (the workers) have used so far, from /proc. */
async function cpuMs(pid: number): Promise<number> {
  let ticks = 0;
  for (const p of await processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks * 10;
}

/**
 * Moves processes (every thread) onto the given CPUs, e.g. "0" or "0-1". A one-worker run measures
 * what one core does: the gateway measured gets core 0 to itself, as on a host of its own, and the
 * subgraphs and the load generator share core 1, for stock and ours alike.
 */
function pin(pids: number[], cpuList: string): void {
  for (const pid of pids)
    execFileSync("taskset", ["-a", "-cp", cpuList, String(pid)], { stdio: "ignore" });
}

async function ask(url: string, headers: Record<string, string>): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: DEEP_QUERY }),
      });
      const text = await response.text();
      if (response.ok) return text;
      if (Date.now() > deadline) throw new Error(`${url} answered ${response.status}: ${text}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function load(url: string, headers: Record<string, string>, seconds: number, expectBody?: string) {
  return autocannon({
    url,
    method: "POST",
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    body: JSON.stringify({ query: DEEP_QUERY }),
    ...(expectBody !== undefined && { expectBody }),
  });
}

const dir = await mkdtemp(join(tmpdir(), "p06-bench-engine-"));
await buildPackages(); // the gateway runs compiled, as in production
const subgraphsProcess = start("scripts/bench/engine/subgraphs.ts", {});
try {
  const subgraphs = JSON.parse(await firstLine(subgraphsProcess)) as Record<
    string,
    { url: string; sdl: string }
  >;
  const composed = composeServices(
    Object.entries(subgraphs).map(([name, s]) => ({ name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join("\n"));
  const supergraphPath = join(dir, "supergraph.graphql");
  await writeFile(supergraphPath, composed.supergraphSdl);
  const keys = await ensureDevKeys(dir);
  const token = await issueToken({
    privateKeyFile: keys.privateKeyFile,
    agency: "IOC",
    days: 1,
  });
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const gatewayEnv = {
    SUPERGRAPH_PATH: supergraphPath,
    JWT_PUBLIC_KEY_FILE: keys.publicKeyFile,
    LOG_LEVEL: "warn",
    // it measures the engine, not the answer cache
    ANSWER_CACHE: "0",
    RATE_LIMIT_PER_MINUTE: "1000000000",
    // the cost limit assumes the plan's list sizes (values: 1,500), not this federation's
    MAX_COST: "1000000000",
    ...Object.fromEntries(
      Object.keys(subgraphs).map((name) => [
        `P06_${name.toUpperCase()}_SECRET`,
        randomBytes(32).toString("hex"),
      ]),
    ),
  };

  interface Target {
    label: string;
    url: string;
    child: ChildProcess;
    output: () => string;
  }
  const launch = async (run: Run): Promise<Target> => {
    const port = await freePort();
    const child =
      run.workers === null
        ? start(
            "scripts/bench/engine/stock-gateway.ts",
            { SUPERGRAPH_PATH: supergraphPath, PORT: String(port) },
            { profile: true },
          )
        : start(
            "gateway/src/index.ts",
            {
              ...gatewayEnv,
              GATEWAY_PORT: String(port),
              GATEWAY_WORKERS: String(run.workers),
              DEDUP: run.dedup ? "1" : "0",
            },
            { profile: true, compiled: true },
          );
    let output = "";
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return {
      label: run.label,
      url: `http://127.0.0.1:${port}/graphql`,
      child,
      output: () => output,
    };
  };
  /** One measured load; every answer under load must be stock's, byte for byte. */
  const measure = async (target: Target, expected: string, oneCore: boolean) => {
    const measured = await processTree(target.child.pid!);
    const others = [process.pid, ...(await processTree(subgraphsProcess.pid!))];
    if (oneCore) {
      pin(measured, "0");
      pin(others, "1");
    }
    try {
      const cpuBefore = await cpuMs(target.child.pid!);
      const result = await load(target.url, headers, SECONDS, expected);
      const cpu = (await cpuMs(target.child.pid!)) - cpuBefore;
      return {
        requestsPerSecond: Math.round(result.requests.average),
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
        answers: result.requests.total,
        mismatches: result.mismatches,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        // the gateway's own CPU per answer: steadier than throughput when other work shares the cores
        cpuMsPerAnswer: Number((cpu / Math.max(1, result.requests.total)).toFixed(3)),
      };
    } finally {
      if (oneCore) pin([...measured, ...others], ALL_CPUS);
    }
  };
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };

  const [stockRun, ...ours] = runs;
  const stock = await launch(stockRun!);
  const report = [];
  let reference = "";
  try {
    reference = await ask(stock.url, headers);
    await load(stock.url, headers, WARMUP_SECONDS);
    for (const run of ours) {
      const target = await launch(run);
      try {
        const body = await ask(target.url, headers);
        if (!isDeepStrictEqual(JSON.parse(body), JSON.parse(reference))) {
          throw new Error(`${run.label} answers differently from stock:\n${body.slice(0, 500)}`);
        }
        await load(target.url, headers, WARMUP_SECONDS);
        // stock and this configuration in turns, so that other work on the machine weighs on both
        const rounds = [];
        for (let round = 0; round < ROUNDS; round += 1) {
          const oneCore = run.workers === 1 && PIN_ONE_WORKER;
          const stockRound = await measure(stock, reference, oneCore);
          const oursRound = await measure(target, reference, oneCore);
          rounds.push({ stock: stockRound, gateway: oursRound });
          console.log(
            `${run.label.padEnd(30)} round ${round + 1}: stock ${stockRound.requestsPerSecond} req/s (${stockRound.cpuMsPerAnswer} ms CPU/answer), gateway ${oursRound.requestsPerSecond} req/s (${oursRound.cpuMsPerAnswer} ms CPU/answer, p99 ${oursRound.latencyMs.p99} ms)`,
          );
        }
        const all = rounds.flatMap((r) => [r.stock, r.gateway]);
        report.push({
          label: run.label,
          workers: run.workers,
          dedup: run.dedup,
          // measured on one core of its own, as was stock for this comparison
          oneCore: run.workers === 1 && PIN_ONE_WORKER,
          ratioToStock: Number(
            median(
              rounds.map((r) => r.gateway.requestsPerSecond / r.stock.requestsPerSecond),
            ).toFixed(2),
          ),
          cpuRatioToStock: Number(
            median(rounds.map((r) => r.stock.cpuMsPerAnswer / r.gateway.cpuMsPerAnswer)).toFixed(2),
          ),
          answersChecked: all.reduce((sum, m) => sum + m.answers, 0),
          answersDiffering: all.reduce((sum, m) => sum + m.mismatches, 0),
          non2xx: all.reduce((sum, m) => sum + m.non2xx, 0),
          errors: all.reduce((sum, m) => sum + m.errors, 0),
          rounds,
        });
      } catch (error) {
        console.error(target.output());
        throw error;
      } finally {
        await stop(target.child);
      }
    }
  } catch (error) {
    console.error(stock.output());
    throw error;
  } finally {
    await stop(stock.child);
  }
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    query: DEEP_QUERY,
    answerBytes: Buffer.byteLength(reference),
    connections: CONNECTIONS,
    secondsPerMeasure: SECONDS,
    rounds: ROUNDS,
    answerCache: false,
    runs: report,
  };
  // a partial run (ENGINE_BENCH_ONLY) is printed, not recorded
  if (!only) await writeFile(resultsFile, JSON.stringify(results, null, 2) + "\n");
  for (const r of report)
    console.log(
      `${r.label.padEnd(30)} ${r.ratioToStock}× stock's throughput, ${r.cpuRatioToStock}× its answers per CPU second (medians of ${ROUNDS} rounds); ${r.answersChecked} answers checked, ${r.answersDiffering} differing from stock's, ${r.non2xx} non-2xx, ${r.errors} errors`,
    );
} finally {
  await stop(subgraphsProcess);
  await rm(dir, { recursive: true, force: true });
}
