// The playground's query plans (POST /playground/plan): the gateway's own planner says which subgraphs
// an operation asks and in what order, without running it; a plan request is let in, parsed, limited
// and refused exactly as the same request to /graphql. Through the gateway in process, over two small
// subgraphs in memory (`catalogue` holds items, `stock` their counts).
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningGateway } from "../src/gateway.js";
import type { PlanAnswer } from "../src/engine/query-plan.js";
import { startTestFederation, type TestFederation } from "./support/federation.js";

// Apollo's packages load graphql's CommonJS build: one instance for both, as under Node
vi.mock("graphql", () => createRequire(import.meta.url)("graphql"));

let federation: TestFederation;
let gateway: RunningGateway;
let ioc: string;
const LIMITS = { MAX_TOKENS: "200", MAX_ALIASES: "3", MAX_COST: "100", MAX_BODY_BYTES: "4000" };

beforeAll(async () => {
  federation = await startTestFederation();
  gateway = await federation.startGateway({ ...LIMITS, INTROSPECTION: "0" });
  ioc = await federation.token("IOC");
});

afterAll(async () => {
  await federation?.stop();
});

const planUrl = (url: string) => url.replace(/\/graphql$/, "/playground/plan");

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } & {
    extensions?: { queryPlan?: PlanAnswer };
  };
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${ioc}` },
): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Answer["body"],
  };
}
const plan = (body: unknown, headers?: Record<string, string>) =>
  post(planUrl(gateway.url), body, headers);
const refusalOf = ({ status, body }: Answer) => [
  status,
  body.errors?.map((error) => [error.extensions?.code, error.message]),
];

describe("the plan of an operation", () => {
  it("names the subgraphs an operation asks, in order: the items, then their counts from stock", async () => {
    const answer = await plan({ query: "query Stock { items { id name count } }" });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeUndefined();
    const queryPlan = answer.body.extensions!.queryPlan!;
    expect(queryPlan.subgraphs).toEqual([
      { name: "catalogue", fetches: 1 },
      { name: "stock", fetches: 1 },
    ]);
    expect(queryPlan.outline).toEqual({
      kind: "Sequence",
      steps: [
        { kind: "Fetch", service: "catalogue", fields: ["items"] },
        {
          kind: "Flatten",
          path: "items.@",
          steps: [{ kind: "Fetch", service: "stock", fields: ["Item.count"] }],
        },
      ],
    });
    // the planner's own print, as `npm run plan` shows it
    expect(queryPlan.text).toMatch(
      /^QueryPlan \{\n {2}Sequence \{\n {4}Fetch\(service: "catalogue"\)/,
    );
    expect(queryPlan.text).toContain('Flatten(path: "items.@")');
    expect(queryPlan.text).toContain('Fetch(service: "stock")');
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });

  it("is the plan the gateway runs: the same as @apollo/gateway's own print when it executes", async () => {
    const query = "query Same { items { name count } }";
    const executed = await fetch(gateway.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${ioc}`,
        // @apollo/gateway's experimental header (outside production): the plan it ran, printed
        "apollo-query-plan-experimental": "1",
        "apollo-query-plan-experimental-format": "prettified",
      },
      body: JSON.stringify({ query }),
    });
    const ran = (await executed.json()) as { extensions?: { __queryPlanExperimental?: string } };
    expect(ran.extensions?.__queryPlanExperimental).toContain("QueryPlan {");
    const planned = await plan({ query });
    expect(planned.body.extensions?.queryPlan?.text).toBe(ran.extensions?.__queryPlanExperimental);
  });

  it("plans one subgraph's fields as one fetch, and `__typename` alone as no fetch at all", async () => {
    const one = await plan({ query: "{ items { name } }" });
    expect(one.body.extensions?.queryPlan?.outline).toEqual({
      kind: "Fetch",
      service: "catalogue",
      fields: ["items"],
    });
    const none = await plan({ query: "{ __typename }" });
    expect(none.body.extensions?.queryPlan).toMatchObject({ subgraphs: [], outline: null });
  });

  it("plans the operation named where the document holds several", async () => {
    const query = "query Names { items { name } } query Counts { items { count } }";
    const answer = await plan({ query, operationName: "Counts" });
    expect(answer.body.extensions?.queryPlan?.subgraphs.map((s) => s.name)).toEqual([
      "catalogue",
      "stock",
    ]);
  });

  it("plans a mutation without running it: nothing changes and no subgraph is asked", async () => {
    const asked = federation.catalogue.received.length + federation.stock.received.length;
    const answer = await plan({
      query: `mutation Rename { renameItem(id: "1", name: "renamed") { name count } }`,
    });
    expect(answer.body.extensions?.queryPlan?.outline).toEqual({
      kind: "Sequence",
      steps: [
        { kind: "Fetch", service: "catalogue", fields: ["renameItem"] },
        {
          kind: "Flatten",
          path: "renameItem",
          steps: [{ kind: "Fetch", service: "stock", fields: ["Item.count"] }],
        },
      ],
    });
    expect(federation.items.get("1")!.name).toBe("ledger");
    expect(federation.catalogue.received.length + federation.stock.received.length).toBe(asked);
  });
});

describe("a plan request is checked as /graphql checks it", () => {
  // each answered by /graphql and by the plan with the same status, codes and messages
  const refused: [string, unknown, Record<string, string>?][] = [
    ["no token", { query: "{ items { id } }" }, {}],
    ["a token that is not one", { query: "{ items { id } }" }, { authorization: "Bearer a.b.c" }],
    ["a syntax error", { query: "{ items { id " }],
    ["a document over the token limit", { query: `{ ${"__typename ".repeat(200)} }` }],
    ["a field the graph does not have", { query: "{ items { id price } }" }],
    ["an argument of the wrong type", { query: `{ items(first: 2) { id } }` }],
    [
      "more aliases than the limit",
      { query: "{ a: items { id } b: items { id } c: items { id } d: items { id } }" },
    ],
    [
      "a cost over the limit",
      { query: "{ a: items { id name count } b: items { id name count } }" },
    ],
    ["a name not in the document", { query: "query A { items { id } }", operationName: "B" }],
    [
      "several operations, none named",
      { query: "query A { items { id } } query B { items { id } }" },
    ],
    ["introspection where it is off", { query: "{ __schema { queryType { name } } }" }],
    ["no query at all", { operationName: "A" }],
  ];

  it.each(refused)("refuses %s as /graphql does", async (_, body, headers) => {
    const viaGraphql = await post(gateway.url, body, headers);
    const viaPlan = await plan(body, headers);
    expect(viaGraphql.status).toBeGreaterThanOrEqual(400);
    expect(refusalOf(viaPlan)).toEqual(refusalOf(viaGraphql));
    expect(viaPlan.body.extensions?.queryPlan).toBeUndefined();
  });

  it("names what is wrong: the missing token, the unknown field, the cost", async () => {
    expect(refusalOf(await plan({ query: "{ items { id } }" }, {}))).toEqual([
      401,
      [["UNAUTHENTICATED", expect.stringMatching(/a token is required/)]],
    ]);
    expect(refusalOf(await plan({ query: "{ items { id price } }" }))).toEqual([
      400,
      [["GRAPHQL_VALIDATION_FAILED", 'Cannot query field "price" on type "Item".']],
    ]);
    const costly = await plan({
      query: "{ a: items { id name count } b: items { id name count } }",
    });
    expect(refusalOf(costly)[0]).toBe(400);
    expect(costly.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COSTLY");
  });

  it("refuses a body too large, not JSON, or not a POST, as /graphql's body checks do", async () => {
    const large = await plan({ query: `{ items { id } } # ${"x".repeat(5000)}` });
    expect(refusalOf(large)[0]).toBe(413);
    expect(large.body.errors?.[0]?.extensions?.code).toBe("PAYLOAD_TOO_LARGE");
    const malformed = await plan("{ not json");
    expect([malformed.status, malformed.body.errors?.[0]?.extensions?.code]).toEqual([
      400,
      "BAD_REQUEST",
    ]);
    const text = await fetch(planUrl(gateway.url), {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${ioc}` },
      body: "{ items { id } }",
    });
    expect(text.status).toBe(415);
    expect((await fetch(planUrl(gateway.url))).status).toBe(404);
  });
});

describe("where the plans are served", () => {
  it("plans for an anonymous caller only where anonymous callers may read", async () => {
    const open = await federation.startGateway({ ANONYMOUS_READ: "1" });
    const answer = await post(planUrl(open.url), { query: "{ items { id count } }" }, {});
    expect(answer.body.extensions?.queryPlan?.subgraphs).toHaveLength(2);
  });

  it("serves no plans, and no panel, where the playground is off", async () => {
    const closed = await federation.startGateway({ PLAYGROUND: "0" });
    const answer = await fetch(planUrl(closed.url), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ioc}` },
      body: JSON.stringify({ query: "{ items { id } }" }),
    });
    expect(answer.status).toBe(404);
  });

  it("offers the panel on the playground page, from its own files", async () => {
    const base = gateway.url.replace(/\/graphql$/, "");
    const html = await (await fetch(`${base}/playground/`)).text();
    expect(html).toContain('<script src="assets/query-plan.js"></script>');
    expect(html).toContain('"plan":"plan"');
    const script = await fetch(`${base}/playground/assets/query-plan.js`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(await script.text()).toContain('title: "Query plan"');
    expect(html).toContain('<link rel="stylesheet" href="assets/query-plan.css">');
    const style = await fetch(`${base}/playground/assets/query-plan.css`);
    expect(style.headers.get("content-type")).toMatch(/css/);
  });
});
