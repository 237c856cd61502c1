// What the benchmarks share: the command line (--size, --duration), a FerretDB of their own per data
// size, the system started on it with the development trust (keys and secrets made for the run),
// tokens, GraphQL calls that fail loudly, resident memory, and percentiles.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { connectDatabase } from "@p06/subgraph-kit";
import { ensureDevKeys, type DevKeyFiles } from "../../gateway/src/trust/keys.js";
import { issueToken } from "../../gateway/src/trust/tokens.js";
import { buildPackages } from "../lib/build.js";
import { freePort, startFerretDB } from "../lib/ferretdb.js";
import { subgraphs } from "@p06/catalogue";
import { processTree } from "../lib/processes.js";
import { startSystemProcesses, type RunningSystemProcesses } from "../lib/system.js";

export const log = (line: string) => console.log(`[bench] ${line}`);

/**
 * The demo data sizes: as it stands today (to the month before this one), or the plan's five years
 * (P06_DEMO_YEARS=5).
 */
export const SIZES = {
  today: {
    demoYears: "",
    describe: "January 2026 to the month before this one, as it stands today (~20,000 figures)",
  },
  "five-years": { demoYears: "5", describe: "January 2026 to December 2030 (~119,000 figures)" },
} as const;
export type Size = keyof typeof SIZES;

export interface BenchArgs {
  sizes: Size[];
  /** Seconds: the load's length, or the cap on each timed series (undefined: no cap). */
  durationS: number | undefined;
  /** The script's own options, as `parseArgs` read them. */
  values: Record<string, string | boolean | undefined>;
}

type ExtraOptions = Record<string, { type: "string" | "boolean"; default?: string | boolean }>;

/** `--size today|five-years|both` (default both), `--duration SECONDS`, and a script's own options. */
export function readArgs(defaultSize: Size | "both" = "both", extra: ExtraOptions = {}): BenchArgs {
  const { values } = parseArgs({
    options: {
      ...extra,
      size: { type: "string", default: defaultSize },
      duration: { type: "string" },
    },
  });
  const size = values.size as string;
  if (size !== "both" && !(size in SIZES)) {
    throw new Error(`--size must be today, five-years or both, got "${size}"`);
  }
  const durationS = values.duration === undefined ? undefined : Number(values.duration);
  if (durationS !== undefined && !(durationS > 0)) {
    throw new Error(`--duration must be a positive number of seconds, got "${values.duration}"`);
  }
  return {
    sizes: size === "both" ? (Object.keys(SIZES) as Size[]) : [size as Size],
    durationS,
    values,
  };
}

export const machine = () => ({
  cpus: cpus().length,
  model: cpus()[0]?.model,
  node: process.version,
  note: "shared with other work: timings vary with the machine's load",
});

export const scorecardOperation = await readFile(
  new URL("../../gateway/operations/1-city-scorecard.graphql", import.meta.url),
  "utf8",
);
export const scorecardVariables = { year: 2026, period: "2026-10" };

/** A database of the benchmark's own, for one data size: its FerretDB, keys and subgraph secrets. */
export interface BenchDatabase {
  size: Size;
  uri: string;
  keys: DevKeyFiles;
  secrets: Record<string, string>;
  /** The subgraphs' database names (only set on a MONGODB_URI, where sizes share one server). */
  databaseOf?: (name: string) => string;
  stop(): Promise<void>;
}

/**
 * Starts FerretDB in a temporary folder (or, with MONGODB_URI, uses databases named for the size on
 * that server, emptied before and dropped after).
 */
export async function openBenchDatabase(size: Size): Promise<BenchDatabase> {
  await buildPackages(log); // the system runs compiled, as in production
  const dir = await mkdtemp(join(tmpdir(), `p06-bench-${size}-`));
  const secrets = Object.fromEntries(
    subgraphs.map((spec) => [spec.name, randomBytes(32).toString("hex")]),
  );
  try {
    const keys = await ensureDevKeys(join(dir, "keys"));
    const external = process.env.MONGODB_URI?.trim();
    if (external) {
      const databaseOf = (name: string) => `p06bench_${size}_${name}`.replaceAll("-", "_");
      const drop = async () => {
        const connection = await connectDatabase(external, databaseOf("plan"));
        for (const spec of subgraphs) await connection.useDb(databaseOf(spec.name)).dropDatabase();
        await connection.close();
      };
      await drop();
      log(`${size}: using MONGODB_URI, databases ${databaseOf("<subgraph>")}`);
      return {
        size,
        uri: external,
        keys,
        secrets,
        databaseOf,
        async stop() {
          await drop().finally(() => rm(dir, { recursive: true, force: true }));
        },
      };
    }
    const database = await startFerretDB({
      port: await freePort(),
      dataDir: join(dir, "ferretdb"),
      log,
    });
    return {
      size,
      uri: database.uri,
      keys,
      secrets,
      async stop() {
        await database.stop().finally(() => rm(dir, { recursive: true, force: true }));
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface BenchSystem {
  processes: RunningSystemProcesses;
  gatewayUrl: string;
  /** Milliseconds from the start until each service answered /readyz (the gateway last). */
  readyMs: Record<string, number>;
  /** A token for an agency's code, or IOC (cached). */
  token(sub: string): Promise<string>;
  /** The last lines each service printed, for a failure's report. */
  lastLines(lines?: number): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  subgraphLogLevel?: string;
  gatewayEnv?: Record<string, string>;
  /** Environment of every service, subgraphs and gateway (tracing's OTEL_*, say). */
  env?: Record<string, string>;
  /** Node flags of every service (e.g. --cpu-prof); the gateway's workers inherit them. */
  nodeFlags?: string[];
  onLine?: (service: string, line: string) => void;
}

/** The six subgraphs with demo data of the size, then the gateway, verifying tokens. */
export async function startBenchSystem(
  database: BenchDatabase,
  options: StartOptions = {},
): Promise<BenchSystem> {
  const readyMs: Record<string, number> = {};
  const processes = await startSystemProcesses({
    mongodbUri: database.uri,
    secrets: database.secrets,
    publicKeyFile: database.keys.publicKeyFile,
    subgraphEnv: (spec) => ({
      LOG_LEVEL: options.subgraphLogLevel ?? "warn",
      P06_DEMO_DATA: "1",
      P06_DEMO_SEED: "6",
      P06_DEMO_YEARS: SIZES[database.size].demoYears,
      ...(database.databaseOf && { MONGODB_DATABASE: database.databaseOf(spec.name) }),
      ...options.env,
    }),
    gatewayEnv: { LOG_LEVEL: "warn", ANONYMOUS_READ: "0", ...options.env, ...options.gatewayEnv },
    ...(options.onLine && { onLine: options.onLine }),
    ...(options.nodeFlags && { nodeFlags: options.nodeFlags }),
    onReady: (service, ms) => (readyMs[service] = ms),
  });
  const tokens = new Map<string, Promise<string>>();
  return {
    processes,
    gatewayUrl: processes.gateway.url,
    readyMs,
    token(sub) {
      if (!tokens.has(sub)) {
        tokens.set(
          sub,
          issueToken({ privateKeyFile: database.keys.privateKeyFile, agency: sub, days: 1 }),
        );
      }
      return tokens.get(sub)!;
    },
    lastLines: (lines = 15) =>
      Object.values(processes.services)
        .map((service) => {
          const tail = service.output().trimEnd().split("\n").slice(-lines);
          return `--- ${service.name}\n${tail.join("\n")}`;
        })
        .join("\n"),
    stop: () => processes.stop(),
  };
}

/**
 * Resident memory of each service in MiB: VmRSS of its process plus its children's (the gateway's
 * workers), from /proc.
 */
export async function residentMemoryMiB(
  processes: RunningSystemProcesses,
): Promise<Record<string, number | null>> {
  const entries = await Promise.all(
    Object.entries(processes.services).map(async ([name, service]) => {
      if (service.child.pid === undefined) return [name, null] as const;
      let kib = 0;
      for (const pid of await processTree(service.child.pid)) {
        const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
        kib += Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
      }
      return [name, kib === 0 ? null : round(kib / 1024)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Clock ticks a second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * Processor milliseconds the whole machine has spent busy so far, every core counted (/proc/stat:
 * all but idle and I/O wait; the kernel's network work and the database included, which no service's
 * own count holds).
 */
export async function machineBusyMs(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8").catch(() => "")).split("\n")[0] ?? "";
  const [, ...ticks] = line.trim().split(/\s+/).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  // user nice system idle iowait irq softirq steal: guest time is counted in user already
  const total = ticks.slice(0, 8).reduce((sum, n) => sum + (Number.isFinite(n) ? n : 0), 0);
  return ((total - idle) * 1000) / TICKS_PER_SECOND;
}

/** Processor milliseconds each service (with its children: the gateway's workers) has used so far. */
export async function cpuMsByService(
  processes: RunningSystemProcesses,
): Promise<Record<string, number>> {
  const used: Record<string, number> = {};
  for (const [name, service] of Object.entries(processes.services)) {
    if (service.child.pid === undefined) continue;
    let ticks = 0;
    for (const pid of await processTree(service.child.pid)) {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
      // the fields after the command's closing parenthesis: utime and stime are the 12th and 13th
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    }
    used[name] = (ticks * 1000) / TICKS_PER_SECOND;
  }
  return used;
}

/** Each subgraph's GET /version: its data version. */
export async function dataVersions(
  processes: RunningSystemProcesses,
): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    subgraphs.map(async (spec) => {
      const url = processes.services[spec.name]!.url.replace(/\/graphql$/, "/version");
      const body = (await (await fetch(url)).json()) as { version?: unknown };
      return [spec.name, body.version ?? null] as const;
    }),
  );
  return Object.fromEntries(entries);
}

export interface GraphQLAnswer<Data> {
  data: Data;
  ms: number;
}

/** POSTs an operation to the gateway; throws on anything but a 200 without errors. */
export async function ask<Data = Record<string, unknown>>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLAnswer<Data>> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: { data?: Data; errors?: unknown[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`the gateway answered ${response.status} without JSON: ${text.slice(0, 500)}`);
  }
  if (!response.ok || body.errors || !body.data) {
    throw new Error(
      `the gateway answered ${response.status} with errors: ${JSON.stringify(body.errors ?? body).slice(0, 2000)}`,
    );
  }
  return { data: body.data, ms };
}

export const round = (x: number) => Math.round(x * 10) / 10;

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Milliseconds of a series: count, p50/p90/p99, min, max, mean. */
export function summarize(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    minMs: round(sorted[0]!),
    maxMs: round(sorted.at(-1)!),
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}

/**
 * Runs `step(i)` one after another `count` times, or until `capS` seconds have passed (at least
 * once), and returns each step's milliseconds.
 */
export async function series(
  count: number,
  capS: number | undefined,
  step: (i: number) => Promise<number>,
): Promise<number[]> {
  const deadline = capS === undefined ? Infinity : Date.now() + capS * 1000;
  const times: number[] = [];
  for (let i = 0; i < count && (i === 0 || Date.now() < deadline); i += 1) {
    times.push(await step(i));
  }
  return times;
}

/** The sizes a results file holds already: a run of one size replaces only its own entry. */
export async function previousSizes(resultsUrl: URL): Promise<Record<string, unknown>> {
  if (!existsSync(resultsUrl)) return {};
  const previous = JSON.parse(await readFile(resultsUrl, "utf8")) as {
    sizes?: Record<string, unknown>;
  };
  return { ...previous.sizes };
}

/** Writes a benchmark's results file: when, on what machine and database, then its own results. */
export async function writeResults(
  resultsUrl: URL,
  results: Record<string, unknown>,
): Promise<void> {
  const header = {
    date: new Date().toISOString(),
    machine: machine(),
    database: process.env.MONGODB_URI ? "MONGODB_URI" : "FerretDB 1.24.2 (SQLite)",
    demoSeed: 6,
  };
  await writeFile(resultsUrl, `${JSON.stringify({ ...header, ...results }, null, 2)}\n`);
  log(`wrote scripts/bench/${basename(resultsUrl.pathname)}`);
}
