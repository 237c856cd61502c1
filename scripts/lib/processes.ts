// Child services for `npm start` and the end-to-end tests: spawn, wait until ready, stop, and keep
// alive: a process that dies unexpectedly is started again (supervise). Each runs in a process group of
// its own (process-groups.ts): stopping it stops its workers too, and none outlives this process.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { COMPILED_NODE_FLAGS, compiledPath } from "./build.js";
import { repoRoot } from "./ferretdb.js";
import { spawnInGroup, stopGroup } from "./process-groups.js";

/** How a process ended: its exit code, or the signal that ended it. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A process that can be watched and stopped: a service, the database. */
export interface Supervisable {
  readonly pid: number | undefined;
  /** Settles once the process has ended, however it ended. */
  readonly exited: Promise<Exit>;
  stop(signal?: NodeJS.Signals): Promise<unknown>;
}

export interface RunningService extends Supervisable {
  name: string;
  url: string;
  child: ChildProcess;
  /** The last lines the service printed (kept for error reports). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnOptions {
  name: string;
  /** The service's TypeScript entry point, relative to the repository root; it runs compiled. */
  entry: string;
  /** Node flags of its own, before the entry (the gateway's young generation, say). */
  nodeFlags?: string[];
  port: number;
  env: Record<string, string>;
  /** Receives each output line of the service, e.g. to print it prefixed. */
  onLine?: (line: string) => void;
  readyTimeoutMs?: number;
}

/**
 * Starts a service from the build (`npm run build`), with node as in production, and resolves once
 * its /readyz answers 200.
 */
export async function spawnService(options: SpawnOptions): Promise<RunningService> {
  const entry = join(repoRoot, compiledPath(options.entry));
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  const flags = [...COMPILED_NODE_FLAGS, ...(options.nodeFlags ?? [])];
  const child = spawnInGroup(process.execPath, [...flags, entry], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, PORT: String(options.port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  // a chunk may end inside a line: each stream keeps its unfinished line for the next chunk
  const lineReader = () => {
    let rest = "";
    return (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-8000);
      const lines = (rest + text).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) if (line) options.onLine?.(line);
    };
  };
  child.stdout?.on("data", lineReader());
  child.stderr?.on("data", lineReader());
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const base = `http://127.0.0.1:${options.port}`;
  const service: RunningService = {
    name: options.name,
    url: `${base}/graphql`,
    child,
    pid: child.pid,
    exited,
    output: () => tail,
    async stop(signal = "SIGTERM") {
      await stopGroup(child, signal);
      return (await exited).code;
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.name} exited before it was ready:\n${tail}`);
    }
    const ready = await fetch(`${base}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return service;
    if (Date.now() > deadline) {
      await service.stop("SIGKILL");
      throw new Error(`${options.name} was not ready on ${base} in time:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface SuperviseOptions {
  log: (line: string) => void;
  /** The wait before the first restart, doubled at each death in a row (default 0.5 s)... */
  minDelayMs?: number;
  /** ...up to this (default 15 s). */
  maxDelayMs?: number;
  /** A process up this long was healthy: its death waits `minDelayMs` again (default 30 s). */
  stableMs?: number;
  /** Called with each process started in place of a dead one. */
  onRestart?: (started: Supervisable) => void;
}

export interface Supervised<T extends Supervisable> {
  /** The process running now (or the dead one, while its replacement waits or starts). */
  current(): T;
  /** How many times it was started again. */
  restarts(): number;
  /** Stops supervising, so nothing is started again, then stops the process. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const describeExit = ({ code, signal }: Exit) => (signal ? `signal ${signal}` : `code ${code}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Keeps a process running: when it dies without being asked to stop, `start` starts it again (same
 * port, same data), after a back-off that doubles at each death in a row and resets once it has stayed
 * up a while. Each death and restart is logged with its exit code or signal.
 */
export function supervise<T extends Supervisable>(
  name: string,
  first: T,
  start: () => Promise<T>,
  options: SuperviseOptions,
): Supervised<T> {
  const { log, minDelayMs = 500, maxDelayMs = 15_000, stableMs = 30_000 } = options;
  let current = first;
  let startedAt = Date.now();
  let restarts = 0;
  let delay = minDelayMs;
  let stopping = false;
  let starting: Promise<T> | null = null;
  let wake = () => {};
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const keepAlive = async () => {
    for (;;) {
      const exit = await current.exited;
      if (stopping) return;
      if (Date.now() - startedAt >= stableMs) delay = minDelayMs;
      log(
        `${name} (pid ${current.pid}) exited unexpectedly with ${describeExit(exit)} after ${seconds(Date.now() - startedAt)}; restarting in ${seconds(delay)}`,
      );
      for (;;) {
        await sleep(delay);
        delay = Math.min(delay * 2, maxDelayMs);
        if (stopping) return;
        try {
          starting = start();
          current = await starting;
          break;
        } catch (error) {
          if (stopping) return;
          const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
          log(`${name} did not start again (${reason}); trying again in ${seconds(delay)}`);
        } finally {
          starting = null;
        }
      }
      restarts += 1;
      startedAt = Date.now();
      log(`${name} restarted (pid ${current.pid}), restart ${restarts}`);
      options.onRestart?.(current);
    }
  };
  const supervising = keepAlive();
  return {
    current: () => current,
    restarts: () => restarts,
    async stop(signal) {
      stopping = true;
      wake();
      // a replacement being started is stopped too, once it is up
      const started = await starting?.catch(() => undefined);
      await started?.stop(signal);
      await current.stop(signal);
      await supervising;
    },
  };
}

/** A process and every process below it (the gateway's primary forks its workers). */
export async function processTree(pid: number): Promise<number[]> {
  const parentOf = new Map<number, number>();
  const pids = (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry));
  await Promise.all(
    pids.map(async (entry) => {
      // "pid (command) state ppid ...": the command may hold spaces and parentheses
      const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid) parentOf.set(Number(entry), ppid);
    }),
  );
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}
