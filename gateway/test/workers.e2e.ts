// The gateway as a process with two workers (node:cluster) in front of two subgraphs in memory: a
// write through one worker is known to every worker before the writer gets its answer, /metrics adds
// up every worker's counts, and SIGTERM to the primary stops the workers and the process.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Agent } from "undici";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { COMPILED_NODE_FLAGS } from "../../scripts/lib/build.js";
import { freePort } from "../../scripts/lib/ferretdb.js";
import { signalGroup } from "../../scripts/lib/process-groups.js";
import { startTestFederation, type TestFederation } from "./support/federation.js";

// @apollo/subgraph loads graphql's CommonJS build; the subgraphs here must execute with the same one
vi.mock("graphql", () => createRequire(import.meta.url)("graphql"));

let federation: TestFederation;
let gateway: ChildProcess;
let url: string;
let output = "";
let token: string;

beforeAll(async () => {
  federation = await startTestFederation();
  token = await federation.token("DOH");
  const port = await freePort();
  url = `http://127.0.0.1:${port}/graphql`;
  // in a group of its own, killed whole at the end whatever became of the test (not at the primary's
  // exit, as spawnInGroup would: the last test sees whether the primary stops its workers itself)
  gateway = spawn(
    process.execPath,
    // from the build, as in production (the test setup builds every package)
    [...COMPILED_NODE_FLAGS, fileURLToPath(new URL("../dist/index.js", import.meta.url))],
    {
      env: {
        ...process.env,
        ...federation.env,
        GATEWAY_PORT: String(port),
        GATEWAY_WORKERS: "2",
        LOG_LEVEL: "info", // each worker says when it listens
        // only a write's acknowledgement through the primary can tell the other worker in time
        GATEWAY_VERSION_POLL_MS: "60000",
        P06_CATALOGUE_URL: federation.catalogue.url,
        P06_STOCK_URL: federation.stock.url,
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  gateway.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  gateway.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  // ready once both workers listen (they start one after the other) and answer
  for (;;) {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(url.replace("/graphql", "/healthz"), { headers: { connection: "close" } }).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    const listening = output.match(/gateway listening/g)?.length ?? 0;
    if (answers.every(Boolean) && listening === 2 && workerPids().length === 2) break;
    if (Date.now() > deadline) throw new Error(`the gateway did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 90_000);

afterAll(async () => {
  if (gateway?.pid) signalGroup(gateway.pid, "SIGKILL");
  await federation?.stop();
});

function workerPids(): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(gateway.pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Each request on a connection of its own, so the primary spreads them over the workers. */
async function post(query: string) {
  const dispatcher = new Agent({ pipelining: 0 });
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
      dispatcher,
    } as RequestInit);
    return (await response.json()) as { data?: { items: { count: number }[] }; errors?: unknown[] };
  } finally {
    await dispatcher.close();
  }
}

const ITEMS = `{ items { id count } }`;

it("makes every worker know a write before the writer gets its answer", async () => {
  // every worker keeps the answer
  for (let i = 0; i < 8; i += 1) expect((await post(ITEMS)).data?.items[0]?.count).toBe(10);
  const stockAsked = federation.stock.received.length;
  for (let i = 0; i < 8; i += 1) await post(ITEMS);
  expect(federation.stock.received.length).toBe(stockAsked);

  for (const count of [11, 12, 13]) {
    const write = await post(`mutation { setCount(id: "1", count: ${count}) { id } }`);
    expect(write.errors).toBeUndefined();
    // right after the answer, whichever worker takes the read knows
    const reads = await Promise.all(Array.from({ length: 6 }, () => post(ITEMS)));
    expect(reads.map((read) => read.data?.items[0]?.count)).toEqual(Array(6).fill(count));
  }
});

it("counts every worker's requests in /metrics", async () => {
  const metrics = await (await fetch(url.replace("/graphql", "/metrics"))).text();
  const answers = [
    ...metrics.matchAll(/^p06_gateway_answers_total\{[^}]*source="(\w+)"[^}]*\} (\d+)$/gm),
  ];
  const total = answers.reduce((sum, [, , n]) => sum + Number(n), 0);
  // 8 + 8 reads, then 3 × (1 write + 6 reads)
  expect(total).toBe(37);
  expect(metrics).toMatch(/p06_gateway_answers_total\{operation="\w+",source="kept"\} \d+/);
  // both workers listen and serve: a load balancer, or a benchmark, can wait for that
  expect(metrics).toMatch(/^p06_gateway_workers_serving 2$/m);
});

it("stops both workers and itself on SIGTERM", async () => {
  const workers = workerPids();
  expect(workers).toHaveLength(2);
  const exited = new Promise<number | null>((resolve) => gateway.once("exit", resolve));
  gateway.kill("SIGTERM");
  expect(await exited).toBe(0);
  for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
});
