// Requests the gateway cannot run are the client's mistake and are answered so: a 4xx with a code that
// says what is wrong, never a 500. Through the gateway in process, over two small subgraphs in memory.
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningGateway } from "../src/gateway.js";
import { startTestFederation, type TestFederation } from "./support/federation.js";

// Apollo's packages load graphql's CommonJS build: one instance for both, as under Node
vi.mock("graphql", () => createRequire(import.meta.url)("graphql"));

let federation: TestFederation;
let gateway: RunningGateway;
let ioc: string;
const MAX_TOKENS = 60;

beforeAll(async () => {
  federation = await startTestFederation();
  gateway = await federation.startGateway({ MAX_TOKENS: String(MAX_TOKENS) });
  ioc = await federation.token("IOC");
});

afterAll(async () => {
  await federation?.stop();
});

interface Refusal {
  status: number;
  headers: Headers;
  errors: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(body: string, headers: Record<string, string> = {}): Promise<Refusal> {
  const response = await fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ioc}`, ...headers },
    body,
  });
  const json = (await response.json()) as { errors?: Refusal["errors"] };
  return { status: response.status, headers: response.headers, errors: json.errors ?? [] };
}
const ask = (query: string, extra: Record<string, unknown> = {}) =>
  post(JSON.stringify({ query, ...extra }));
const refusal = ({ status, errors }: Refusal) => [status, errors[0]?.extensions?.code];

describe("documents that do not parse", () => {
  it.each([
    ["an opening brace where a field goes", "{ {", /Expected Name, found "{"/],
    ["a document cut short", "{ __typename", /Expected Name, found <EOF>/],
    ["a selection cut short", "{ items { id ", /Expected Name, found <EOF>/],
    ["a stray closing brace", "}", /Unexpected "}"/],
    ["an unterminated string", '{ items(id: "1) { id } }', /Unterminated string/],
  ])("answers %s with 400 GRAPHQL_PARSE_FAILED", async (_, query, message) => {
    const answer = await ask(query);
    expect(refusal(answer)).toEqual([400, "GRAPHQL_PARSE_FAILED"]);
    expect(answer.errors[0]?.message).toMatch(/^Syntax Error: /);
    expect(answer.errors[0]?.message).toMatch(message);
  });

  it("answers a syntax error sent by GET the same way", async () => {
    const response = await fetch(`${gateway.url}?query=${encodeURIComponent("{ items { id")}`, {
      headers: { authorization: `Bearer ${ioc}`, "apollo-require-preflight": "1" },
    });
    const json = (await response.json()) as Refusal;
    expect([response.status, json.errors[0]?.extensions?.code]).toEqual([
      400,
      "GRAPHQL_PARSE_FAILED",
    ]);
  });

  it("refuses a document over the token limit as one that does not parse", async () => {
    const answer = await ask(`{ ${"__typename ".repeat(MAX_TOKENS)} }`);
    expect(refusal(answer)).toEqual([400, "GRAPHQL_PARSE_FAILED"]);
    // graphql's wording ("more that"), whichever way a later version spells it
    expect(answer.errors[0]?.message).toMatch(new RegExp(`more tha[nt] ${MAX_TOKENS} tokens`));
  });
});

describe("documents whose operation cannot be picked", () => {
  it("names the operation asked for that the document does not have", async () => {
    const answer = await ask("query Items { items { id } }", { operationName: "Stock" });
    expect(refusal(answer)).toEqual([400, "OPERATION_RESOLUTION_FAILURE"]);
    expect(answer.errors[0]?.message).toBe(
      'the document has no operation named "Stock" (it has Items)',
    );
  });

  it("asks which one of several operations to run", async () => {
    const answer = await ask("query A { items { id } } query B { whoami }");
    expect(refusal(answer)).toEqual([400, "OPERATION_RESOLUTION_FAILURE"]);
    expect(answer.errors[0]?.message).toMatch(/2 operations \(A, B\): name one in operationName/);
  });
});

describe("bodies that are not JSON", () => {
  it.each([
    ["text/plain", JSON.stringify({ query: "{ items { id } }" })],
    ["application/graphql", "{ items { id } }"],
    ["application/x-www-form-urlencoded", "query=%7B%20items%20%7B%20id%20%7D%20%7D"],
    ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1'],
    ["application/xml", "<query>{ items { id } }</query>"],
  ])("answers %s with 415 UNSUPPORTED_MEDIA_TYPE", async (contentType, body) => {
    const answer = await post(body, { "content-type": contentType });
    expect(refusal(answer)).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    expect(answer.errors[0]?.message).toContain("Content-Type: application/json");
  });

  it("answers a body without a content type the same way", async () => {
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: { authorization: `Bearer ${ioc}` },
      body: new Uint8Array(Buffer.from('{"query":"{ items { id } }"}')),
    });
    const json = (await response.json()) as Refusal;
    expect([response.status, json.errors[0]?.extensions?.code]).toEqual([
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    ]);
    expect(json.errors[0]?.message).toMatch(/\(got none\)$/);
  });
});

describe("tokens that are not good", () => {
  it.each([
    [undefined, "TOKEN_MISSING", /a token is required/],
    ["Basic dXNlcjpwYXNz", "NOT_BEARER", /must be Bearer <token>, not a Basic credential/],
    ["Bearer", "TOKEN_MALFORMED", /no token after Bearer/],
    ["Bearer abc", "TOKEN_MALFORMED", /three base64url parts joined by dots/],
    ["Bearer a.b.c", "TOKEN_MALFORMED", /^the token is malformed: /],
  ])(
    "answers Authorization %s with 401 UNAUTHENTICATED, reason %s",
    async (auth, reason, message) => {
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(auth && { authorization: auth }) },
        body: JSON.stringify({ query: "{ items { id } }" }),
      });
      const json = (await response.json()) as Refusal;
      expect(response.status).toBe(401);
      expect(json.errors[0]?.extensions).toEqual({ code: "UNAUTHENTICATED", reason });
      expect(json.errors[0]?.message).toMatch(message);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="p06"/);
    },
  );

  it("takes the scheme in any case, as HTTP does", async () => {
    const answer = await post(JSON.stringify({ query: "{ whoami }" }), {
      authorization: `bearer ${ioc}`,
    });
    expect(answer.status).toBe(200);
  });
});
