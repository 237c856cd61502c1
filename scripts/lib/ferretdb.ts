// The embedded database: FerretDB 1.24 (MongoDB wire protocol over SQLite), built from the Go module
// proxy with the machine's Go into .tools/, and run on loopback with its data on disk.
import { execFile, type ChildProcess } from "node:child_process";
import { cp, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { runInGroup, spawnInGroup, stopGroup } from "./process-groups.js";
import { withProgress } from "./progress.js";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const FERRETDB_VERSION = "v1.24.2";
const toolsDir = join(repoRoot, ".tools");
export const ferretdbBinary = join(toolsDir, "bin", "ferretdb");
const pinnedModule = join(repoRoot, "scripts", "ferretdb");
const run = promisify(execFile);

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function builtVersion(): Promise<string | undefined> {
  if (!(await exists(ferretdbBinary))) return undefined;
  try {
    const { stdout } = await run(ferretdbBinary, ["--version"]);
    return /^version: (\S+)/m.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Builds FerretDB once; later calls return at once. The module zip on the proxy lacks the
 * build/version/version.txt that `cmd/ferretdb` insists on (the FerretDB release process generates it
 * from git), so the build vendors the pinned module, writes that file, and `go install`s from the
 * vendor tree. It takes minutes on a first build (an empty Go cache): it says so, how long it has run
 * every 15 s with the packages compiled so far, and the time it took.
 */
export async function ensureFerretDB(log: (line: string) => void = () => {}): Promise<string> {
  if ((await builtVersion()) === FERRETDB_VERSION) return ferretdbBinary;
  log(
    `FerretDB ${FERRETDB_VERSION} is not built yet: building it once into .tools/ with ${(await run("go", ["version"])).stdout.trim()} (minutes on a first build)`,
  );
  const src = join(toolsDir, "ferretdb-src");
  await rm(src, { recursive: true, force: true });
  await mkdir(src, { recursive: true });
  await cp(join(pinnedModule, "go.mod"), join(src, "go.mod"));
  await cp(join(pinnedModule, "go.sum"), join(src, "go.sum"));
  const env = {
    ...process.env,
    GOBIN: join(toolsDir, "bin"),
    GOFLAGS: "-mod=vendor",
    GOTOOLCHAIN: "local",
    CGO_ENABLED: "0",
  };
  // with -v, go names each module vendored and each package compiled, one a line on stderr
  let done = 0;
  let doing = "vendored";
  const go = (args: string[]) =>
    runInGroup("go", args, {
      cwd: src,
      env,
      what: `FerretDB build at \`go ${args.join(" ")}\``,
      onOutput: (text) => {
        done += text.split("\n").filter((line) => /^\S+$/.test(line)).length;
      },
    });
  await withProgress(
    "building FerretDB",
    log,
    async () => {
      log("building FerretDB: fetching the pinned modules (go mod vendor)");
      await go(["mod", "vendor", "-v"]);
      await writeFile(
        join(src, "vendor/github.com/FerretDB/FerretDB/build/version/version.txt"),
        `${FERRETDB_VERSION}\n`,
      );
      log(`building FerretDB: ${done} packages vendored; compiling (go install)`);
      done = 0;
      doing = "compiled";
      await go(["install", "-v", "github.com/FerretDB/FerretDB/cmd/ferretdb"]);
    },
    { detail: () => `${done} packages ${doing}` },
  );
  await rm(src, { recursive: true, force: true });
  const version = await builtVersion();
  if (version !== FERRETDB_VERSION) {
    throw new Error(`built FerretDB reports version ${version ?? "none"}, not ${FERRETDB_VERSION}`);
  }
  return ferretdbBinary;
}

/**
 * A port free now, picked at random below the kernel's ephemeral range (32768-60999 on Linux): a port
 * the kernel handed out and took back (bind to 0, then close) can be handed to the next process
 * asking, or to an outgoing connection, before the service it was for binds it, and two systems
 * starting side by side (the test files run in parallel) then met on one port.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      return await new Promise<number>((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(port)));
      });
    } catch (error) {
      if (attempt >= 50) throw error;
    }
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export interface RunningDatabase {
  /** A MongoDB connection string without a database name. */
  uri: string;
  pid: number | undefined;
  /** Settles once FerretDB has ended, however it ended (supervise, in processes.ts, waits on it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  port: number;
  /** Folder for the SQLite files (one per database) and FerretDB's state. */
  dataDir: string;
  log?: (line: string) => void;
  /** Where FerretDB's own log lines go; by default they are dropped unless it fails to start. */
  output?: NodeJS.WritableStream;
}

/** Starts FerretDB on loopback and resolves once it accepts connections. */
export async function startFerretDB(options: StartOptions): Promise<RunningDatabase> {
  const binary = await ensureFerretDB(options.log);
  await mkdir(options.dataDir, { recursive: true });
  if (await canConnect(options.port)) {
    throw new Error(`port ${options.port} is already in use: is another database running there?`);
  }
  const child: ChildProcess = spawnInGroup(
    binary,
    [
      "--handler=sqlite",
      `--sqlite-url=file:${options.dataDir}/`,
      `--state-dir=${options.dataDir}`,
      `--listen-addr=127.0.0.1:${options.port}`,
      // no metrics/pprof listener: it would take a fixed port, and nothing here reads it
      "--debug-addr=-",
      // the machines have no internet, and the city's data stays in the city
      "--telemetry=disable",
      "--log-level=WARN",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    options.output?.write(chunk);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 30_000;
  let exitCode: number | null | undefined;
  void exited.then(({ code }) => (exitCode = code));
  while (!(await canConnect(options.port))) {
    if (exitCode !== undefined) {
      throw new Error(`FerretDB exited with code ${exitCode} before it answered:\n${output}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`FerretDB did not answer on port ${options.port} within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  options.log?.(`FerretDB listening on 127.0.0.1:${options.port}, data in ${options.dataDir}`);
  return {
    uri: `mongodb://127.0.0.1:${options.port}/`,
    pid: child.pid,
    exited,
    async stop(signal = "SIGTERM") {
      await stopGroup(child, signal, 5_000);
    },
  };
}
