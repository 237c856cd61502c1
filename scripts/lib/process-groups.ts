// Every service, database and command the scripts and tests start runs in a process group of its own
// (a gateway's workers in its group too), so that stopping it stops everything it started, and nothing
// the scripts started outlives them: the groups still running are killed when this process exits,
// however it exits short of SIGKILL (an uncaught failure included), and, for the test processes, on
// SIGINT and SIGTERM. A process's children also carry a mark in their environment
// (P06_PROCESS_MARK), by which the test run's teardown finds and kills whatever is left even of a
// process killed with SIGKILL (killMarked).
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** The variable whose value marks every process started under one test run (or one start). */
export const PROCESS_MARK = "P06_PROCESS_MARK";

/**
 * The groups started by this process and still running, by their leader's pid; one registry a
 * process, however many copies of this module it loads (a test runner loads one per test file).
 */
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("p06.process-groups")] ??= {
  groups: new Set<number>(),
  exitHandler: false,
  signalHandlers: false,
}) as { groups: Set<number>; exitHandler: boolean; signalHandlers: boolean };
const { groups } = state;

/** Sends a signal to every process of a group; false when none is left. */
export function signalGroup(leader: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-leader, signal);
    return true;
  } catch {
    return false;
  }
}

/** Kills every group this process started that is still running (synchronous: it runs at exit). */
export function killGroups(signal: NodeJS.Signals = "SIGKILL"): number[] {
  const killed = [...groups].filter((leader) => signalGroup(leader, signal));
  groups.clear();
  return killed;
}

/**
 * Starts a program as the leader of a process group of its own; the group is killed when this process
 * exits. Stop it with `stopGroup`.
 */
export function spawnInGroup(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const leader = child.pid;
  if (leader === undefined) return child;
  groups.add(leader);
  // the leader gone, what is left of its group goes too (a gateway's worker, say)
  child.once("exit", () => {
    signalGroup(leader, "SIGKILL");
    groups.delete(leader);
  });
  if (!state.exitHandler) {
    state.exitHandler = true;
    process.on("exit", () => killGroups("SIGKILL"));
  }
  return child;
}

export interface RunOptions extends Pick<SpawnOptions, "cwd" | "env"> {
  /** Each chunk of its output (stdout and stderr), as it comes. */
  onOutput?: (text: string) => void;
  /** What failed, for the error: `\`command args\`` by default. */
  what?: string;
}

/**
 * Runs a command to its end in a process group of its own (a build, a download), so that it dies
 * with this process; a failure's error ends with the last lines it printed.
 */
export function runInGroup(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnInGroup(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      options.onOutput?.(text);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${options.what ?? `\`${[command, ...args].join(" ")}\``} failed (code ${code}):\n${tail}`,
            ),
          ),
    );
  });
}

/**
 * Stops a group: `signal` to its leader (the program stops what it runs, its own way), SIGKILL to the
 * whole group after `graceMs` or once the leader is gone.
 */
export async function stopGroup(
  child: ChildProcess,
  signal: NodeJS.Signals = "SIGTERM",
  graceMs = 10_000,
): Promise<void> {
  const leader = child.pid;
  if (leader === undefined) return;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  const timer = setTimeout(() => signalGroup(leader, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup(leader, "SIGKILL");
}

/**
 * Runs `cleanUp` on SIGINT and SIGTERM, then lets the signal take its course: with no other handler of
 * it, it ends this process as it would have without this one.
 */
export function onInterrupt(cleanUp: () => void): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const handler = () => {
      cleanUp();
      process.removeListener(signal, handler);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}

/**
 * For a process that must not leave anything behind when it is interrupted (a test process): on
 * SIGINT or SIGTERM, every group it started is killed, then the signal takes its course.
 */
export function killGroupsOnSignals(): void {
  if (state.signalHandlers) return;
  state.signalHandlers = true;
  onInterrupt(() => killGroups("SIGKILL"));
}

/** A process's parent, from /proc; null when it is gone. */
function parentOf(pid: number): number | null {
  try {
    // "pid (command) state ppid ...": the command may hold spaces and parentheses
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/**
 * The processes whose environment carries the mark, but this one (read from /proc, this machine's
 * Linux; synchronous, so that it can run at exit).
 */
export function markedProcesses(mark: string): number[] {
  const wanted = `${PROCESS_MARK}=${mark}`;
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      if (pid === process.pid) return false;
      try {
        return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(wanted);
      } catch {
        return false;
      }
    });
}

/**
 * Kills every process that carries the mark but this process's own children (a test runner's
 * workers and what it started itself, which stop their own way); returns those killed.
 */
export function killMarked(mark: string): number[] {
  const killed: number[] = [];
  for (const pid of markedProcesses(mark)) {
    if (parentOf(pid) === process.pid) continue;
    try {
      process.kill(pid, "SIGKILL");
      killed.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}
