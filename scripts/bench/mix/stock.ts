// --stock: starts stock @apollo/gateway in a child process over the system's own subgraphs.
import { readFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { subgraphs } from "@p06/catalogue";
import { freePort, repoRoot } from "../../lib/ferretdb.js";
import { log, round, type BenchDatabase, type BenchSystem } from "../harness.js";

/** The benchmark's entry point: run with P06_MIX_STOCK_GATEWAY=1, it serves the stock gateway. */
const ENTRY = fileURLToPath(new URL("../mix.ts", import.meta.url));

/** Starts the stock gateway beside the system's own, over its subgraphs; resolves once it answers. */
export async function startStockGateway(database: BenchDatabase, system: BenchSystem) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      APOLLO_TELEMETRY_DISABLED: "1",
      P06_MIX_STOCK_GATEWAY: "1",
      PORT: String(port),
      JWT_PUBLIC_KEY_FILE: database.keys.publicKeyFile,
      P06_MIX_STOCK_SUBGRAPHS: JSON.stringify(
        Object.fromEntries(
          subgraphs.map((spec) => [
            spec.name,
            {
              url: system.processes.services[spec.name]!.url,
              secret: database.secrets[spec.name]!,
            },
          ]),
        ),
      ),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-8000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}/graphql`;
  const token = await system.token("IOC");
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the stock gateway exited before it was ready:\n${tail}`);
    }
    const ready = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ __typename }" }),
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the stock gateway did not answer in time:\n${tail}`);
    }
    await sleep(200);
  }
  log(`stock @apollo/gateway answering on ${url}`);
  return {
    url,
    output: () => tail,
    stop,
    async memoryMiB(): Promise<number | null> {
      const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
      const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
      return kib ? round(kib / 1024) : null;
    },
  };
}
