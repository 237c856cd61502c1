// The gateway as a real process in front of the six subgraphs: the offline playground in headless
// Chromium, health and readiness, metrics, and request ids that reach the subgraphs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { launchChromium, requestsElsewhere } from "../../test/support/browser.js";
import { startSystem, type RunningSystem } from "../../test/support/system.js";

let system: RunningSystem;
const base = () => system.gatewayUrl.replace(/\/graphql$/, "");

beforeAll(async () => {
  // the playground reads without a token here, as on a development machine
  system = await startSystem("gateway", { LOG_LEVEL: "info", ANONYMOUS_READ: "1" });
  const submitted = await system.query(
    `mutation { submitIdentityValue(input: { indicator: "III.3", unit: "10507", period: "2026-10", numerator: 70, denominator: 100 }) { version } }`,
    {},
    "POLICE",
  );
  expect(submitted.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

describe("the playground", () => {
  it("runs the preloaded city scorecard in headless Chromium and shows data, loading nothing from elsewhere", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const elsewhere = requestsElsewhere(page);
      await page.goto(`${base()}/playground/`);
      // the client operations (the IOC's six and the web application's) are preloaded as tabs, the
      // city scorecard first
      const operations = readdirSync(new URL("../operations/", import.meta.url)).filter((name) =>
        name.endsWith(".graphql"),
      );
      await expect
        .poll(() => page.locator(".graphiql-tab").count(), { timeout: 15_000 })
        .toBe(operations.length);
      await expect
        .poll(() => page.locator(".graphiql-query-editor").innerText())
        .toContain("query CityScorecard");
      await page.locator(".graphiql-execute-button").click();
      await expect
        .poll(() => page.locator(".graphiql-response").innerText(), { timeout: 15_000 })
        .not.toBe("");
      await expect
        .poll(() => page.locator(".graphiql-response").innerText(), { timeout: 15_000 })
        .toMatch(/"NEEDS_ACCELERATION"|"ACHIEVED"|"LIMITED_PROGRESS"|"NOT_ASSESSABLE"/);
      const response = await page.locator(".graphiql-response").innerText();
      expect(response).toContain('"byStatus"');
      expect(response).toContain('"period": "2026-10"');
      expect(response).not.toContain('"errors"');
      await page.screenshot({ path: "test-results-playground.png" });
      expect(elsewhere).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe("operations", () => {
  it("answers health and readiness, naming each subgraph's state", async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({
      status: "ok",
      service: "gateway",
    });
    const ready = (await (await fetch(`${base()}/readyz`)).json()) as {
      status: string;
      subgraphs: Record<string, string>;
    };
    expect(ready.status).toBe("ready");
    expect(Object.values(ready.subgraphs)).toEqual(Array(6).fill("ready"));
  });

  it("passes the request id to every subgraph it calls and returns it", async () => {
    const response = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "ioc-trace-42" },
      body: JSON.stringify({
        query: `query CityScorecard { review(year: 2026, period: "2026-10") { scorecard { byStatus { count } } } }`,
      }),
    });
    expect(response.headers.get("x-request-id")).toBe("ioc-trace-42");
    expect((await response.json()) as object).toHaveProperty("data.review.scorecard");
    for (const name of ["plan", "identity", "health"]) {
      await expect
        .poll(() => system.services[name]!.output())
        .toContain('"requestId":"ioc-trace-42"');
    }
  });

  it("counts requests, errors and latency per operation and per subgraph", async () => {
    await system.query(`query IndicatorSeries { indicator(code: "NOPE") { code } }`);
    await system.query(`query CityScorecard { review(year: 1999) { year } }`);
    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).toMatch(/p06_gateway_requests_total\{operation="CityScorecard"\} \d+/);
    expect(metrics).toMatch(
      /p06_gateway_request_errors_total\{operation="CityScorecard",code="BAD_USER_INPUT"\} 1/,
    );
    expect(metrics).toMatch(
      /p06_gateway_request_duration_seconds_count\{operation="IndicatorSeries"\} 1/,
    );
    expect(metrics).toMatch(
      /p06_gateway_subgraph_duration_seconds_count\{subgraph="identity"\} \d+/,
    );
  });
});
