// Answers kept while provably fresh, and identical work done once: through the gateway in process,
// over two small subgraphs in memory that keep the data version contract.
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningGateway } from "../src/gateway.js";
import { startTestFederation, type TestFederation } from "./support/federation.js";

// Apollo's packages load graphql's CommonJS build, and vite would hand the gateway's sources its ES
// build: one instance for both, as under Node
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
  etag: string | null;
  json: { data?: Record<string, unknown>; errors?: { message: string }[] } | null;
}

async function post(
  gateway: RunningGateway,
  query: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get("etag"),
    json: text ? JSON.parse(text) : null,
  };
}

const ITEMS = `{ items { id name count } }`;
const counts = (answer: Answer) =>
  (answer.json?.data?.items as { count: number }[]).map((item) => item.count);
const fetchesOf = (subgraph: { received: unknown[] }) => subgraph.received.length;

describe("answers kept while provably fresh", () => {
  it("serves a repeated read from the kept answer, and a write through the gateway is seen by the next read", async () => {
    const gateway = await federation.startGateway();
    const first = await post(gateway, ITEMS, ioc);
    expect(first.json?.data).toEqual({
      items: [
        { id: "1", name: "ledger", count: 10 },
        { id: "2", name: "stamp", count: 20 },
      ],
    });
    const before = [fetchesOf(federation.catalogue), fetchesOf(federation.stock)];
    const again = await post(gateway, ITEMS, ioc);
    expect(again.json).toEqual(first.json);
    // kept: neither subgraph was asked again
    expect([fetchesOf(federation.catalogue), fetchesOf(federation.stock)]).toEqual(before);

    const write = await post(
      gateway,
      `mutation { setCount(id: "1", count: 11) { id count } }`,
      doh,
    );
    expect(write.json?.errors).toBeUndefined();
    const after = await post(gateway, ITEMS, ioc);
    expect((after.json?.data?.items as { count: number }[])[0]!.count).toBe(11);
    await gateway.close();
  });

  it("answers a request seen before from its kept answer, but never past its token's expiry", async () => {
    const gateway = await federation.startGateway();
    const shortLived = await federation.token("IOC", 2);
    const expires = Date.now() + 2000;
    const first = await post(gateway, ITEMS, shortLived);
    const before = [fetchesOf(federation.catalogue), fetchesOf(federation.stock)];
    // the same request, byte for byte: answered before express, from the kept answer
    for (let i = 0; i < 3; i += 1) expect(await post(gateway, ITEMS, shortLived)).toEqual(first);
    expect([fetchesOf(federation.catalogue), fetchesOf(federation.stock)]).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, expires - Date.now() + 1200));
    const late = await post(gateway, ITEMS, shortLived);
    expect(late.status).toBe(401);
    expect(late.json?.errors?.[0]?.message).toMatch(/expired/);
    await gateway.close();
  });

  it("answers a write made through another gateway instance within a second", async () => {
    const one = await federation.startGateway();
    const other = await federation.startGateway();
    const before = await post(other, ITEMS, ioc);
    const kept = await post(other, ITEMS, ioc);
    expect(kept.json).toEqual(before.json);
    const count = counts(before)[1]! + 1;
    const written = Date.now();
    await post(one, `mutation { setCount(id: "2", count: ${count}) { id } }`, doh);
    let seenAfter = Infinity;
    while (Date.now() - written < 3000) {
      if (counts(await post(other, ITEMS, ioc))[1] === count) {
        seenAfter = Date.now() - written;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seenAfter).toBeLessThan(1000);
    await Promise.all([one.close(), other.close()]);
  });

  it("never hands a caller an answer, or a 304, kept for another caller's visibility", async () => {
    const gateway = await federation.startGateway();
    const query = `{ whoami items { id } }`;
    const asDoh = await post(gateway, query, doh);
    const asIoc = await post(gateway, query, ioc);
    const asDohAgain = await post(gateway, query, doh);
    expect(asDoh.json?.data?.whoami).toBe("DOH");
    expect(asIoc.json?.data?.whoami).toBe("IOC");
    expect(asDohAgain.json?.data?.whoami).toBe("DOH");
    // DOH's ETag is no validator of the IOC's answer, even where the data are the same
    const items = `{ items { id name } }`;
    const dohItems = await post(gateway, items, doh);
    const iocItems = await post(gateway, items, ioc, { "if-none-match": dohItems.etag! });
    expect(iocItems.status).toBe(200);
    expect(iocItems.etag).not.toBe(dohItems.etag);
    expect(iocItems.json).toEqual(dohItems.json);
    await gateway.close();
  });

  it("answers 304 to a poll whose data has not changed, and 200 with a new ETag after a write", async () => {
    const gateway = await federation.startGateway();
    const first = await post(gateway, ITEMS, ioc);
    expect(first.etag).toMatch(/^"[\w-]+"$/);
    const unchanged = await post(gateway, ITEMS, ioc, { "if-none-match": first.etag! });
    expect([unchanged.status, unchanged.json]).toEqual([304, null]);
    // a GET poll (with the header Apollo's CSRF prevention asks of GETs) gets the same
    const url = `${gateway.url}?query=${encodeURIComponent(ITEMS)}`;
    const get = await fetch(url, {
      headers: {
        authorization: `Bearer ${ioc}`,
        "apollo-require-preflight": "1",
        "if-none-match": first.etag!,
      },
    });
    expect(get.status).toBe(304);
    await post(
      gateway,
      `mutation { renameItem(id: "1", name: "ledger ${Date.now()}") { id } }`,
      doh,
    );
    const changed = await post(gateway, ITEMS, ioc, { "if-none-match": first.etag! });
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(first.etag);
    await gateway.close();
  });

  it("keeps nothing read from a subgraph that does not say its data version", async () => {
    const gateway = await federation.startGateway();
    federation.stock.withoutVersions = true;
    try {
      await post(gateway, ITEMS, ioc);
      const asked = fetchesOf(federation.stock);
      const again = await post(gateway, ITEMS, ioc);
      expect(fetchesOf(federation.stock)).toBe(asked + 1);
      expect(again.etag).toBeNull();
    } finally {
      federation.stock.withoutVersions = false;
      await gateway.close();
    }
  });
});

describe("subgraph fetches kept by their own subgraph's version", () => {
  it("keeps every other subgraph's fetch in use after a write to one, and sees a change made elsewhere", async () => {
    const gateway = await federation.startGateway();
    await post(gateway, ITEMS, ioc);
    const catalogueAsked = fetchesOf(federation.catalogue);
    const stockAsked = fetchesOf(federation.stock);
    await post(gateway, `mutation { setCount(id: "2", count: 31) { id } }`, doh);
    const after = await post(gateway, ITEMS, ioc);
    expect(counts(after)[1]).toBe(31);
    // the write dropped the kept answer, but only stock was asked again (the write, then the read)
    expect(fetchesOf(federation.catalogue)).toBe(catalogueAsked);
    expect(fetchesOf(federation.stock)).toBe(stockAsked + 2);
    const metrics = await (await fetch(gateway.url.replace(/\/graphql$/, "/metrics"))).text();
    expect(metrics).toMatch(
      /p06_gateway_subgraph_fetches_kept_total\{subgraph="catalogue"\} [1-9]/,
    );

    // a change to catalogue made elsewhere (another gateway, another instance) drops its kept fetch
    // within a poll of its version
    federation.items.get("1")!.name = "journal";
    federation.catalogue.bump();
    await expect
      .poll(
        async () =>
          ((await post(gateway, ITEMS, ioc)).json?.data?.items as { name: string }[])[0]?.name,
        {
          timeout: 2000,
          interval: 50,
        },
      )
      .toBe("journal");
    federation.items.get("1")!.name = "ledger";
    federation.catalogue.bump();
    await gateway.close();
  });

  it("never hands one caller a fetch kept for another", async () => {
    const gateway = await federation.startGateway({ ANSWER_CACHE: "0" });
    const asIoc = await post(gateway, `{ whoami }`, ioc);
    const asDoh = await post(gateway, `{ whoami }`, doh);
    expect([asIoc.json?.data?.whoami, asDoh.json?.data?.whoami]).toEqual(["IOC", "DOH"]);
    await gateway.close();
  });
});

describe("a write whose version is unknown", () => {
  it("drops what was kept from that subgraph at once", async () => {
    const gateway = await federation.startGateway();
    await post(gateway, ITEMS, ioc);
    const asked = fetchesOf(federation.stock);
    await post(gateway, ITEMS, ioc);
    expect(fetchesOf(federation.stock)).toBe(asked);
    federation.stock.withoutVersions = true;
    try {
      await post(gateway, `mutation { setCount(id: "2", count: 77) { id } }`, doh);
    } finally {
      federation.stock.withoutVersions = false;
    }
    const after = await post(gateway, ITEMS, ioc);
    expect(counts(after)[1]).toBe(77);
    await gateway.close();
  });
});

describe("identical work done once", () => {
  it("sends identical concurrent queries to each subgraph once, and shares identical subgraph fetches", async () => {
    const gateway = await federation.startGateway({ ANSWER_CACHE: "0", FETCH_CACHE: "0" });
    federation.catalogue.delayMs = federation.stock.delayMs = 150;
    try {
      const before = [fetchesOf(federation.catalogue), fetchesOf(federation.stock)];
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => post(gateway, ITEMS, ioc)),
      );
      expect(new Set(answers.map((a) => JSON.stringify(a.json))).size).toBe(1);
      expect(answers[0]!.json?.errors).toBeUndefined();
      expect([fetchesOf(federation.catalogue), fetchesOf(federation.stock)]).toEqual([
        before[0]! + 1,
        before[1]! + 1,
      ]);
      // two different operations whose plans fetch the same entities from stock: one fetch
      const stockBefore = fetchesOf(federation.stock);
      const [a, b] = await Promise.all([
        post(gateway, `{ items { id count } }`, ioc),
        post(gateway, `{ items { id name count } }`, ioc),
      ]);
      expect(counts(a)).toEqual(counts(b));
      expect(fetchesOf(federation.stock)).toBe(stockBefore + 1);
    } finally {
      federation.catalogue.delayMs = federation.stock.delayMs = 0;
      await gateway.close();
    }
  });

  it("never shares a mutation, and a read arriving after a write does not join a read from before it", async () => {
    const gateway = await federation.startGateway({ ANSWER_CACHE: "0", FETCH_CACHE: "0" });
    federation.stock.delayMs = 300;
    try {
      const before = fetchesOf(federation.stock);
      const write = `mutation { setCount(id: "1", count: 500) { id count } }`;
      const writes = await Promise.all([post(gateway, write, doh), post(gateway, write, doh)]);
      expect(writes.map((w) => w.json?.errors)).toEqual([undefined, undefined]);
      expect(fetchesOf(federation.stock)).toBe(before + 2);

      // a read is in flight (stock read 500, answers in 300 ms), a write lands through the gateway,
      // then an identical read starts: it must not be handed the read from before the write
      const stockAsked = fetchesOf(federation.stock);
      const early = post(gateway, ITEMS, ioc);
      await expect.poll(() => fetchesOf(federation.stock), { interval: 5 }).toBe(stockAsked + 1);
      await post(gateway, `mutation { setCount(id: "1", count: 501) { id } }`, doh);
      const late = post(gateway, ITEMS, ioc);
      expect(counts(await early)[0]).toBe(500);
      expect(counts(await late)[0]).toBe(501);
    } finally {
      federation.stock.delayMs = 0;
      await gateway.close();
    }
  });
});

describe("the rate limit", () => {
  it("counts only what reaches the subgraphs: fifty polls of a kept answer are not throttled", async () => {
    const gateway = await federation.startGateway({ RATE_LIMIT_PER_MINUTE: "5" });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i += 1)
      statuses.push((await post(gateway, `{ items { id } }`, ioc)).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    // distinct queries each reach the subgraphs, and are limited
    const distinct: number[] = [];
    for (let i = 0; i < 6; i += 1)
      distinct.push(
        (await post(gateway, `{ items { id${i === 0 ? "" : ` a${i}: name`} } }`, ioc)).status,
      );
    expect(distinct.at(-1)).toBe(429);
    await gateway.close();
  });

  it("refuses identical requests over the limit each, never leaving one waiting on a refused one", async () => {
    const gateway = await federation.startGateway({
      RATE_LIMIT_PER_MINUTE: "1",
      ANSWER_CACHE: "0",
    });
    expect((await post(gateway, `{ items { id } }`, ioc)).status).toBe(200);
    const statuses = await Promise.all(
      Array.from(
        { length: 5 },
        async () => (await post(gateway, `{ items { name } }`, ioc)).status,
      ),
    );
    expect(statuses).toEqual(Array(5).fill(429));
    await gateway.close();
  });
});
