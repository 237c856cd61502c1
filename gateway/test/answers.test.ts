// Answers kept while provably fresh, and identical work done once: through the gateway in process,
// over two small subgraphs in memory that keep the data version contract.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/gateway.js";
import { startTestFederation, type TestFederation } from "./support/federation.js";

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
const fetchesOf = (subgraph: { received: unknown[] }) => subgraph.received.length;

describe("answers kept while provably fresh", () => {
  it("serves a repeated read from the kept answer, and a write through the gateway is seen by the next read", async () => {
    const gateway = await federation.startGateway();
    const first = await post(gateway, ITEMS, ioc);
    console.log(JSON.stringify(first));
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
});
