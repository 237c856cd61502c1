// Admission control at the gateway, through the gateway in process over two small subgraphs in memory
// whose one thread serves requests one at a time (a saturated event loop): writes go first, and reads
// with no room are refused at once and clearly, never left to time out.
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningGateway } from "../src/gateway.js";
import { startTestFederation, type TestFederation } from "./support/federation.js";

// Apollo's packages load graphql's CommonJS build: one instance for the sources and the gateway
vi.mock("graphql", () => createRequire(import.meta.url)("graphql"));

let federation: TestFederation;
let ioc: string;
let doh: string;

beforeAll(async () => {
  federation = await startTestFederation();
  ioc = await federation.token("IOC");
  doh = await federation.token("DOH");
});

afterAll(async () => {
  await federation?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  ms: number;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

async function post(gateway: RunningGateway, query: string, token: string): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const json = (await response.json()) as Answer["json"];
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    ms: performance.now() - started,
    json,
  };
}

/** Nothing kept or shared: every read reaches the subgraphs. */
const UNKEPT = {
  ANSWER_CACHE: "0",
  FETCH_CACHE: "0",
  DEDUP: "0",
  RATE_LIMIT_PER_MINUTE: "100000",
};

/** `n` reads that differ (an alias each), so that none could be shared with another. */
const distinctReads = (n: number, fields: string) =>
  Array.from({ length: n }, (_, i) => `{ read${i}: items { ${fields} } }`);

describe("admission control per subgraph", () => {
  it("takes a write to a saturated subgraph ahead of the reads waiting for it", async () => {
    const gateway = await federation.startGateway({
      ...UNKEPT,
      SUBGRAPH_CONCURRENCY: "2",
      SUBGRAPH_QUEUE_MS: "20000",
    });
    federation.stock.busyMs = 300;
    let reads: Promise<Answer>[] = [];
    try {
      // 20 reads each need 300 ms of stock's one thread: 6 s of work, 2 of them in flight at a time
      reads = distinctReads(20, "id count").map((query) => post(gateway, query, ioc));
      await expect
        .poll(() => federation.stock.received.length, { interval: 5, timeout: 10_000 })
        .toBeGreaterThan(0);
      const write = await post(gateway, `mutation { setCount(id: "1", count: 7) { count } }`, doh);
      expect(write.json.errors).toBeUndefined();
      expect(write.json.data).toEqual({ setCount: { count: 7 } });
      // behind at most the 2 reads in flight (and its own 300 ms: 0.9 s, with room for a busy
      // machine), never behind the 20 (6 s)
      expect(write.ms).toBeLessThan(2500);
      const answers = await Promise.all(reads);
      expect(answers.every((answer) => answer.status === 200 && !answer.json.errors)).toBe(true);
    } finally {
      federation.stock.busyMs = 0;
      // a failed test's reads end before their gateway: none is left to fail after it
      await Promise.allSettled(reads);
      await gateway.close();
    }
  });

  it("refuses the reads it has no room for at once, with SUBGRAPH_BUSY, 503 and Retry-After", async () => {
    const gateway = await federation.startGateway({
      ...UNKEPT,
      SUBGRAPH_CONCURRENCY: "1",
      SUBGRAPH_QUEUE: "2",
      SUBGRAPH_QUEUE_MS: "200",
    });
    // long enough that all ten have arrived while the first is served, however busy the machine
    federation.catalogue.busyMs = 2000;
    try {
      const answers = await Promise.all(
        distinctReads(10, "id name").map((query) => post(gateway, query, ioc)),
      );
      const served = answers.filter((answer) => answer.status === 200);
      const refused = answers.filter((answer) => answer.status === 503);
      // one in flight; two waited 200 ms and seven had no place in line: refused, none timed out
      expect(served).toHaveLength(1);
      expect(refused).toHaveLength(9);
      for (const answer of refused) {
        expect(answer.retryAfter).toBe("1");
        expect(answer.json.data ?? null).toBeNull();
        expect(answer.json.errors?.[0]?.extensions).toMatchObject({
          code: "SUBGRAPH_BUSY",
          subgraph: "catalogue",
          retryAfterSeconds: 1,
        });
        expect(answer.json.errors?.[0]?.message).toMatch(/catalogue is busy/);
        // refused, not served: well before the one in flight is done
        expect(answer.ms).toBeLessThan(1500);
      }
      const metrics = await (await fetch(gateway.url.replace(/\/graphql$/, "/metrics"))).text();
      expect(metrics).toMatch(/p06_gateway_subgraph_refusals_total\{subgraph="catalogue"\} 9/);
      expect(metrics).toMatch(/p06_gateway_subgraph_in_flight\{subgraph="catalogue"\} 0/);
      expect(metrics).toMatch(/p06_gateway_subgraph_queued\{subgraph="catalogue"\} 0/);
      // once it has room again, it answers
      federation.catalogue.busyMs = 0;
      const after = await post(gateway, `{ items { id } }`, ioc);
      expect(after.status).toBe(200);
    } finally {
      federation.catalogue.busyMs = 0;
      await gateway.close();
    }
  });

  it("sends a write its deadline, and a subgraph silent past the timeout is SUBGRAPH_TIMEOUT", async () => {
    const gateway = await federation.startGateway({
      ...UNKEPT,
      WRITE_BUDGET_MS: "1500",
      SUBGRAPH_TIMEOUT_MS: "300",
    });
    try {
      const sent = Date.now();
      const first = await post(gateway, `mutation { setCount(id: "1", count: 8) { count } }`, doh);
      expect(first.json.data).toEqual({ setCount: { count: 8 } });
      const deadline = Number(federation.stock.received.at(-1)?.headers["x-p06-write-deadline"]);
      expect(deadline).toBeGreaterThanOrEqual(sent + 1500);
      expect(deadline).toBeLessThanOrEqual(Date.now() + 1500);

      federation.stock.busyMs = 3000;
      const late = await post(gateway, `mutation { setCount(id: "1", count: 9) { count } }`, doh);
      expect(late.ms).toBeLessThan(2000);
      expect(late.json.errors?.[0]).toMatchObject({
        message:
          "subgraph stock did not answer within 300 ms; the write may or may not have been applied: read it back before writing it again",
        extensions: { code: "SUBGRAPH_TIMEOUT", subgraph: "stock" },
      });
    } finally {
      federation.stock.busyMs = 0;
      await gateway.close();
    }
  });
});
