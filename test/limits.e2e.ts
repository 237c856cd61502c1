// Limits against abuse at the gateway: depth, cost (what the lists' arguments ask for), body size,
// malformed JSON, CSRF, introspection and the playground switched off, and a rate limit per caller (a
// person, or an agency's service account); each refusal a GraphQL error with a code, counted in the
// metrics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type RunningSystem } from "./support/system.js";

let system: RunningSystem;
let token: string;
const RATE = 60;
const base = () => system.gatewayUrl.replace(/\/graphql$/, "");

beforeAll(async () => {
  system = await startSystem("limits", {
    INTROSPECTION: "0",
    PLAYGROUND: "0",
    MAX_BODY_BYTES: "20000",
    RATE_LIMIT_PER_MINUTE: String(RATE),
  });
  token = await system.token("IOC");
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

async function send(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(system.gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    json: JSON.parse(text) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}
const ask = (query: string) => send(JSON.stringify({ query }));

describe("limits", () => {
  it("refuses an operation nested too deep", async () => {
    const deep = `{ taskGroups { ${"tasks { group { ".repeat(8)} code ${"} } ".repeat(8)} } }`;
    const { json } = await ask(deep);
    expect(json.errors?.[0]?.message).toMatch(/depth limit of 15 exceeded/);
    expect(json.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("refuses an operation whose lists multiply past the cost limit, before asking any subgraph", async () => {
    const costly = `{ indicators { ... on IdentityIndicator { values { unit period value breakdown { category value } } } } }`;
    const { status, json } = await ask(costly);
    expect(status).toBe(400);
    expect(json.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COSTLY");
    expect(json.errors?.[0]?.message).toMatch(/above the limit of 100000/);
    // the IOC's own questions cost far less
    expect(
      (await ask(`{ review(year: 2026, period: "2026-10") { scorecard { byStatus { count } } } }`))
        .json.errors,
    ).toBeUndefined();
    // as do figures asked for by unit and months, whatever the types they are asked on
    const figures = `values(unit: "10507", from: "2026-09", to: "2026-10") { period value breakdown { category value } }`;
    for (const query of [
      `{ healthIndicators { ${figures} } }`,
      `{ indicators(agency: "DOH") { code ... on HealthIndicator { ${figures} } ... on IdentityIndicator { ${figures} } ... on PlanIndicator { ${figures} } } }`,
    ]) {
      const { status, json } = await ask(query);
      expect([status, json.errors], query).toEqual([200, undefined]);
    }
  });

  it("refuses a body over the size limit and a body that is not JSON", async () => {
    const big = await send(
      JSON.stringify({ query: `{ agencies { code } }`, variables: { pad: "x".repeat(30_000) } }),
    );
    expect([big.status, big.json.errors?.[0]?.extensions?.code]).toEqual([
      413,
      "PAYLOAD_TOO_LARGE",
    ]);
    const broken = await send('{"query": "{ agencies { code } }"');
    expect([broken.status, broken.json.errors?.[0]?.extensions?.code]).toEqual([
      400,
      "BAD_REQUEST",
    ]);
  });

  it("refuses a request a browser could send cross-site (CSRF prevention)", async () => {
    // a POST that is not JSON never reaches GraphQL
    const posted = await send(JSON.stringify({ query: "{ agencies { code } }" }), {
      "content-type": "text/plain",
    });
    expect([posted.status, posted.json.errors?.[0]?.extensions?.code]).toEqual([
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    ]);
    // a GET without a header a browser cannot send cross-site
    const query = encodeURIComponent("{ agencies { code } }");
    const got = await fetch(`${system.gatewayUrl}?query=${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(got.status).toBe(400);
    expect(await got.text()).toMatch(/CSRF/);
  });

  it("switches introspection and the playground off", async () => {
    const { json } = await ask(`{ __schema { types { name } } }`);
    expect(json.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await fetch(`${base()}/playground/`)).status).toBe(404);
  });

  it("limits each caller's requests that reach the subgraphs a minute, and counts every refusal", async () => {
    // a kept answer costs the subgraphs nothing: asked again and again, it is never throttled
    expect((await ask(`{ agencies { code } }`)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < RATE + 5; i += 1) {
      statuses.push((await ask(`{ agencies { code } }`)).status);
      // a new question each time: each one reaches the subgraphs
      statuses.push((await ask(`{ asked${i}: agencies { code } }`)).status);
    }
    const kept = statuses.filter((_, i) => i % 2 === 0);
    const asked = statuses.filter((_, i) => i % 2 === 1);
    expect(kept.every((status) => status === 200)).toBe(true);
    expect(asked.at(-1)).toBe(429);
    const limited = await ask(`{ again: agencies { code } }`);
    expect(limited.json.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect((await ask(`{ agencies { code } }`)).status).toBe(200);
    // another caller still gets through
    const other = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await system.token("DOH")}`,
      },
      body: JSON.stringify({ query: "{ agencies { code } }" }),
    });
    expect(other.status).toBe(200);
    // so does a person acting for the IOC: their budget is their own, not the IOC account's
    const person = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await system.token({ agency: "IOC", person: { id: "pham.thi.d", name: "Phạm Thị D" } })}`,
      },
      // a question not asked before: it reaches the subgraphs, and counts
      body: JSON.stringify({ query: "{ asPerson: agencies { code } }" }),
    });
    expect(person.status).toBe(200);
    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).toMatch(/p06_gateway_refusals_total\{reason="RATE_LIMITED"\} [1-9]/);
    expect(metrics).toMatch(/p06_gateway_refusals_total\{reason="PAYLOAD_TOO_LARGE"\} 1/);
    expect(metrics).toMatch(
      /p06_gateway_request_errors_total\{operation="other",code="QUERY_TOO_COSTLY"\} 1/,
    );
  });
});
