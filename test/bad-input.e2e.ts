// A few thousand malformed requests against the gateway: broken JSON, huge strings, deep nesting,
// wrong types, injection attempts. The process stays up, every answer is a clean error, and the
// database is unchanged.
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectDatabase } from "@p06/subgraph-kit";
import { inject } from "vitest";
import { startSystem, type RunningSystem } from "./support/system.js";

let system: RunningSystem;
const REQUESTS = 3000;

beforeAll(async () => {
  system = await startSystem("badinput", {
    RATE_LIMIT_PER_MINUTE: "100000",
    MAX_BODY_BYTES: "200000",
  });
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

/** A reproducible stream of malformed requests (seeded). */
function* malformed(seed: number): Generator<{ body: string; contentType: string }> {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const injections = [
    '{"$gt": ""}',
    '{"$ne": null}',
    "'; DROP TABLE values; --",
    "$where: 1",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "\u0000",
    "🔥".repeat(50),
  ];
  const mutations = [
    (v: string) =>
      `mutation { submitHealthValue(input: { indicator: ${JSON.stringify(v)}, unit: "10507", period: "2026-10", numerator: 1, denominator: 2 }) { version } }`,
    (v: string) =>
      `mutation { submitHealthValue(input: { indicator: "II.12", unit: ${JSON.stringify(v)}, period: "2026-10", numerator: 1, denominator: 2 }) { version } }`,
    (v: string) =>
      `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10507", period: ${JSON.stringify(v)}, numerator: 1, denominator: 2 }) { version } }`,
    (v: string) =>
      `mutation { updateTaskStatus(input: { code: ${JSON.stringify(v)}, status: DONE }) { code } }`,
    (v: string) => `{ indicator(code: ${JSON.stringify(v)}) { code } }`,
    (v: string) => `{ indicators(group: ${JSON.stringify(v)}) { code } }`,
    (v: string) => `{ review(year: 2026, period: ${JSON.stringify(v)}) { period } }`,
  ];
  for (let i = 0; ; i += 1) {
    const kind = i % 8;
    if (kind === 0)
      yield {
        body: pick([
          '{"query": "{ agencies { code }',
          "{",
          "null",
          "[]",
          '{"query": 42}',
          '"just a string"',
          "",
          '{"query":"{ agencies { code } }","variables":"x"}',
        ]),
        contentType: "application/json",
      };
    else if (kind === 1)
      yield {
        body: JSON.stringify({
          query: `{ indicator(code: "${"A".repeat(100_000 + Math.floor(random() * 50_000))}") { code } }`,
        }),
        contentType: "application/json",
      };
    else if (kind === 2) {
      const depth = 20 + Math.floor(random() * 200);
      yield {
        body: JSON.stringify({
          query: `{ taskGroups { ${"tasks { group { ".repeat(depth)} code ${"} } ".repeat(depth)} } }`,
        }),
        contentType: "application/json",
      };
    } else if (kind === 3)
      yield {
        body: JSON.stringify({
          query: pick([
            `{ indicator(code: true) { code } }`,
            `{ review(year: "2026") { year } }`,
            `{ review(year: 99999999999) { year } }`,
            `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10507", period: "2026-10", numerator: "many", denominator: 2 }) { version } }`,
            `{ nosuchfield }`,
            `query ($y: Int!) { review(year: $y) { year } }`,
          ]),
          variables: { y: pick(["x", null, 1.5, [], {}]) },
        }),
        contentType: "application/json",
      };
    else if (kind === 4)
      yield {
        body: JSON.stringify({ query: pick(mutations)(pick(injections)) }),
        contentType: "application/json",
      };
    else if (kind === 5)
      yield {
        body: JSON.stringify({
          query: `mutation ($input: DataValueInput!) { submitHealthValue(input: $input) { version } }`,
          variables: {
            input: {
              indicator: { $gt: "" },
              unit: { $ne: null },
              period: pick(injections),
              numerator: pick([-1, 1e308, "1", null]),
              denominator: pick([0, -5, "2", null]),
            },
          },
        }),
        contentType: "application/json",
      };
    else if (kind === 6)
      yield {
        body: JSON.stringify({ query: `{ agencies { code } }` }),
        contentType: pick([
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data",
        ]),
      };
    else
      yield {
        body: JSON.stringify({
          query: `{ ${Array.from({ length: 100 }, (_, j) => `a${j}: agencies { code }`).join(" ")} }`,
        }),
        contentType: "application/json",
      };
  }
}

async function snapshot() {
  const uri = inject("mongodbUri");
  const db = await connectDatabase(uri, "admin");
  const { databases } = await db.db!.admin().listDatabases();
  const counts: Record<string, number> = {};
  for (const { name } of databases.filter((d) => d.name.includes("badinput"))) {
    for (const collection of await db.useDb(name).db!.listCollections().toArray()) {
      counts[`${name}.${collection.name}`] = await db
        .useDb(name)
        .db!.collection(collection.name)
        .countDocuments();
    }
  }
  await db.close();
  return counts;
}

it(
  `answers ${REQUESTS} malformed requests with clean errors, stays up and changes nothing`,
  { timeout: 240_000 },
  async () => {
    const before = await snapshot();
    const token = await system.token("DOH");
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const unclean: string[] = [];
    const stream = malformed(20261126);
    const send = async () => {
      const { body, contentType } = stream.next().value!;
      const response = await fetch(system.gatewayUrl, {
        method: "POST",
        headers: {
          "content-type": contentType,
          authorization: `Bearer ${token}`,
          "apollo-require-preflight": "false",
        },
        body,
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      // every answer is JSON with errors, never a stack trace or an HTML page
      let json: {
        errors?: { message: string; extensions?: { code?: string; stacktrace?: unknown } }[];
      };
      try {
        json = JSON.parse(text);
      } catch {
        unclean.push(`not JSON (${response.status}): ${text.slice(0, 120)}`);
        return;
      }
      if (!json.errors?.length) {
        unclean.push(`no error for ${body.slice(0, 160)} (${contentType}): ${text.slice(0, 160)}`);
        return;
      }
      for (const error of json.errors) {
        if (error.extensions?.stacktrace) unclean.push(`a stack trace for ${body.slice(0, 120)}`);
        codes.set(
          String(error.extensions?.code),
          (codes.get(String(error.extensions?.code)) ?? 0) + 1,
        );
      }
    };
    // eight at a time
    for (let i = 0; i < REQUESTS; i += 8)
      await Promise.all(Array.from({ length: Math.min(8, REQUESTS - i) }, send));

    expect(unclean.slice(0, 5)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(system.services.gateway!.child.exitCode).toBeNull();
    expect((await fetch(system.gatewayUrl.replace(/graphql$/, "healthz"))).status).toBe(200);
    expect(await snapshot()).toEqual(before);
    console.log(
      `bad-input run: ${REQUESTS} requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}; codes ${JSON.stringify(Object.fromEntries(codes))}`,
    );
  },
);
