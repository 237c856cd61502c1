// A test process that is interrupted or fails leaves no process behind. A stand-in for one
// (test/support/stack-helper.ts) starts a stack as the tests do; it is then stopped by SIGTERM, by
// SIGINT, and by an uncaught failure, and every process it started is gone. SIGKILL cannot be
// caught: what it leaves is what the run's global teardown kills, by the mark in their environment.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { killMarked, PROCESS_MARK } from "../scripts/lib/process-groups.js";

/** A process's start time (clock ticks after boot), which tells it from a later one with its pid. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // a zombie has ended: only its exit status is left for its parent to read
    return fields[0] === "Z" ? null : fields[19]!;
  } catch {
    return null;
  }
}

/** Starts the stand-in and waits for the processes it started: the pids with their start times. */
async function startHelper(mode: "wait" | "throw", mark: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/stack-helper.ts", mode], {
    cwd: repoRoot,
    env: { ...process.env, [PROCESS_MARK]: mark },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  await expect
    .poll(() => output.includes('"started"') || child.exitCode !== null, { timeout: 60_000 })
    .toBe(true);
  const { dataDir, started } = JSON.parse(output.split("\n").find((l) => l.startsWith("{"))!) as {
    dataDir: string;
    started: number[];
  };
  const processes = started.map((pid) => ({ pid, since: startTimeOf(pid) }));
  return { child, exited, dataDir, processes, output: () => output };
}

type Started = Awaited<ReturnType<typeof startHelper>>["processes"];
const alive = (processes: Started) =>
  processes.filter(({ pid, since }) => since !== null && startTimeOf(pid) === since);

it.each([
  ["SIGTERM", "wait", { code: null, signal: "SIGTERM" }],
  ["SIGINT", "wait", { code: null, signal: "SIGINT" }],
  ["an uncaught failure", "throw", { code: 1, signal: null }],
] as const)(
  "leaves no process behind when a test process ends by %s",
  { timeout: 90_000 },
  async (how, mode, ended) => {
    const mark = `test-${randomBytes(6).toString("hex")}`;
    const helper = await startHelper(mode, mark);
    try {
      // the database, the subgraph, the shell and its child
      expect(helper.processes.length, helper.output()).toBeGreaterThanOrEqual(4);
      expect(alive(helper.processes)).toHaveLength(helper.processes.length);
      if (how !== "an uncaught failure") helper.child.kill(how);
      // the signal took its course: the process ended of it, as without the handlers
      expect(await helper.exited).toEqual(ended);
      await expect.poll(() => alive(helper.processes), { timeout: 5_000 }).toEqual([]);
    } finally {
      // whatever the outcome, nothing of it stays (a mark of its own: not the run's sweep's)
      helper.child.kill("SIGKILL");
      killMarked(mark);
      await rm(helper.dataDir, { recursive: true, force: true });
    }
  },
);

it(
  "kills what a test process killed hard (SIGKILL) left behind, by the mark in their environment",
  { timeout: 90_000 },
  async () => {
    const mark = `test-${randomBytes(6).toString("hex")}`;
    const helper = await startHelper("wait", mark);
    try {
      helper.child.kill("SIGKILL");
      await helper.exited;
      // nothing could catch it: everything it started still runs
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(alive(helper.processes)).toHaveLength(helper.processes.length);
      const killed = killMarked(mark);
      expect(killed.sort()).toEqual(expect.arrayContaining(helper.processes.map((p) => p.pid)));
      await expect.poll(() => alive(helper.processes), { timeout: 5_000 }).toEqual([]);
    } finally {
      killMarked(mark);
      await rm(helper.dataDir, { recursive: true, force: true });
    }
  },
);
