// Child services for `npm start` and the end-to-end tests: spawn, wait until ready, stop.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { COMPILED_NODE_FLAGS, compiledPath } from "./build.js";
import { repoRoot } from "./ferretdb.js";

export interface RunningService {
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
  const child = spawn(process.execPath, [...flags, entry], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, PORT: String(options.port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-8000);
    for (const line of text.split("\n")) if (line) options.onLine?.(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? (signal ? null : 0))),
  );
  // never outlive the process that started it, whichever way that process ends
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  void exited.then(() => process.removeListener("exit", killOnExit));
  const base = `http://127.0.0.1:${options.port}`;
  const service: RunningService = {
    name: options.name,
    url: `${base}/graphql`,
    child,
    output: () => tail,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return child.exitCode;
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
