// `npm run bench:engine`: the gateway's engine against stock @apollo/gateway, on a federation of its
// own (scripts/bench/engine/: three subgraphs answering from memory, entity joins two levels deep
// through lists), one deep query, 50 connections, the answer cache always off. Every answer of every
// run is checked byte for byte against stock's. Results in scripts/bench/engine.results.json.
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
import { ensureDevKeys } from "../../gateway/src/keys.js";
import { issueToken } from "../../gateway/src/tokens.js";
import { freePort, repoRoot } from "../lib/ferretdb.js";
import { DEEP_QUERY } from "./engine/federation.js";

const SECONDS = Number(process.env.ENGINE_BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.ENGINE_BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = 50;
const WORKERS = availableParallelism();
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

function start(entry: string, env: Record<string, string>, profile = false): ChildProcess {
  const flags = profile && profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
  const child = spawn(process.execPath, [...flags, "--import", "tsx", join(repoRoot, entry)], {
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
function cpuMs(pid: number): number {
  const pids = [pid];
  try {
    pids.push(
      ...execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    // no children
  }
  let ticks = 0;
  for (const p of pids) {
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
    sub: "IOC",
    role: "ioc",
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

  let reference: string | undefined;
  const results = [];
  for (const run of runs) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const child =
      run.workers === null
        ? start(
            "scripts/bench/engine/stock-gateway.ts",
            { SUPERGRAPH_PATH: supergraphPath, PORT: String(port) },
            true,
          )
        : start(
            "gateway/src/index.ts",
            {
              ...gatewayEnv,
              GATEWAY_PORT: String(port),
              GATEWAY_WORKERS: String(run.workers),
              DEDUP: run.dedup ? "1" : "0",
            },
            true,
          );
    let output = "";
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      const body = await ask(url, headers);
      reference ??= body;
      const parsed = JSON.parse(body) as { data?: unknown; errors?: unknown };
      if (parsed.errors || !isDeepStrictEqual(parsed, JSON.parse(reference))) {
        throw new Error(`${run.label} answers differently from stock:\n${body.slice(0, 500)}`);
      }
      await load(url, headers, WARMUP_SECONDS);
      // every answer under load must be stock's, byte for byte
      const cpuBefore = cpuMs(child.pid!);
      const result = await load(url, headers, SECONDS, reference);
      const cpu = cpuMs(child.pid!) - cpuBefore;
      const entry = {
        label: run.label,
        workers: run.workers,
        dedup: run.dedup,
        requestsPerSecond: Math.round(result.requests.average),
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
        answers: result.requests.total,
        mismatches: result.mismatches,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        // the gateway's own CPU per answer: steadier than throughput when other work shares the cores
        cpuMsPerAnswer: Number((cpu / result.requests.total).toFixed(3)),
      };
      results.push(entry);
      console.log(
        `${run.label.padEnd(32)} ${String(entry.requestsPerSecond).padStart(6)} req/s  p50 ${entry.latencyMs.p50} ms  p99 ${entry.latencyMs.p99} ms  CPU ${entry.cpuMsPerAnswer} ms/answer  answers ${entry.answers}, differing ${entry.mismatches}, non-2xx ${entry.non2xx}, errors ${entry.errors}`,
      );
    } catch (error) {
      console.error(output);
      throw error;
    } finally {
      await stop(child);
    }
  }
  const stock = results[0]!.requestsPerSecond;
  const stockCpu = results[0]!.cpuMsPerAnswer;
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    query: DEEP_QUERY,
    answerBytes: Buffer.byteLength(reference!),
    connections: CONNECTIONS,
    seconds: SECONDS,
    answerCache: false,
    runs: results.map((r) => ({
      ...r,
      ratioToStock: Number((r.requestsPerSecond / stock).toFixed(2)),
      cpuRatioToStock: Number((stockCpu / r.cpuMsPerAnswer).toFixed(2)),
    })),
  };
  // a partial run (ENGINE_BENCH_ONLY) is printed, not recorded
  if (!only) await writeFile(resultsFile, JSON.stringify(report, null, 2) + "\n");
  for (const r of report.runs)
    console.log(
      `${r.label.padEnd(32)} ${r.ratioToStock}× stock's throughput, ${r.cpuRatioToStock}× its answers per CPU second`,
    );
} finally {
  await stop(subgraphsProcess);
  await rm(dir, { recursive: true, force: true });
}
