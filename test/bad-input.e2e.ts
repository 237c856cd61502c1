// A few thousand malformed requests against the gateway: broken JSON, huge strings, deep nesting,
// wrong types, injection attempts, syntax errors, documents cut short, bodies that are not JSON. The
// process stays up, every answer is a clean error (a syntax error 400 GRAPHQL_PARSE_FAILED, a body
// that is not JSON 415 UNSUPPORTED_MEDIA_TYPE), never a 500, and the database is unchanged.
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "graphql";
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

/** Whether a document is valid GraphQL syntax. */
function parses(query: string): boolean {
  try {
    parse(query);
    return true;
  } catch {
    return false;
  }
}

/** The client operations, to be cut short. */
const operationsDir = new URL("../gateway/operations/", import.meta.url);
const operations = readdirSync(operationsDir)
  .filter((name) => name.endsWith(".graphql"))
  .map((name) => readFileSync(new URL(name, operationsDir), "utf8").trim());

interface Malformed {
  body: string;
  /** Null: sent without one. */
  contentType: string | null;
  /** The status and code it must be answered with, where only one is right. */
  expected?: [number, string];
}

/** A reproducible stream of malformed requests (seeded). */
function* malformed(seed: number): Generator<Malformed> {
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
  const parseFailed: [number, string] = [400, "GRAPHQL_PARSE_FAILED"];
  const notJson: [number, string] = [415, "UNSUPPORTED_MEDIA_TYPE"];
  for (let i = 0; ; i += 1) {
    const kind = i % 11;
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
        expected: notJson,
      };
    else if (kind === 8) {
      // a client operation cut short anywhere before its last brace: a syntax error, unless the cut
      // falls between two whole definitions (an operation with its fragments after it), which leaves
      // a document that parses and names a fragment it lacks
      const operation = pick(operations);
      const query = operation.slice(0, 1 + Math.floor(random() * (operation.length - 1)));
      yield {
        body: JSON.stringify({ query }),
        contentType: "application/json",
        expected: parses(query) ? [400, "GRAPHQL_VALIDATION_FAILED"] : parseFailed,
      };
    } else if (kind === 9)
      yield {
        body: JSON.stringify({
          query: pick([
            "{ {",
            "{ __typename",
            "}",
            "{ agencies { code } } }",
            "query { indicator(code: ) { code } }",
            '{ indicator(code: "III.3) { code } }',
            "{ agencies { code ",
            "mutation { submitHealthValue(input: { indicator: } ) }",
            "query Q($x: ) { agencies { code } }",
            "{ agencies { ...on } }",
            "{ agencies { code } } \u0000",
            "#",
            "{ agencies(,) { code } }",
          ]),
        }),
        contentType: "application/json",
        expected: parseFailed,
      };
    else if (kind === 10)
      yield pick<Malformed>([
        { body: "{ agencies { code } }", contentType: "application/graphql", expected: notJson },
        { body: "<query>{ agencies }</query>", contentType: "application/xml", expected: notJson },
        { body: '{"query":"{ agencies { code } }"}', contentType: null, expected: notJson },
        { body: '{"query":"{ agencies { code } }"}', contentType: "image/png", expected: notJson },
        { body: '{"query":"{ agencies { code } }"}', contentType: "json", expected: notJson },
        {
          body: '{"query":"{ agencies { code } }"}',
          contentType: "application/octet-stream",
          expected: notJson,
        },
      ]);
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
      const { body, contentType, expected } = stream.next().value!;
      const response = await fetch(system.gatewayUrl, {
        method: "POST",
        headers: {
          ...(contentType !== null && { "content-type": contentType }),
          authorization: `Bearer ${token}`,
          "apollo-require-preflight": "false",
        },
        // bytes: fetch would give a string body a content type of its own
        body: new Uint8Array(Buffer.from(body)),
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
      const answered: [number, string] = [
        response.status,
        String(json.errors[0]?.extensions?.code),
      ];
      if (expected && answered.join(" ") !== expected.join(" ")) {
        unclean.push(
          `${answered.join(" ")} (${json.errors[0]?.message}), not ${expected.join(" ")}, for ${body.slice(0, 120)}`,
        );
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
