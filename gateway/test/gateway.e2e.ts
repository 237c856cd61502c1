// The gateway as a real process in front of the six subgraphs: the offline playground in headless
// Chromium (its example tabs, and the query plan of the operation being edited), health and
// readiness, metrics, and request ids that reach the subgraphs.
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

  it("shows the plan of the operation being edited in its Query plan panel, as it changes", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const elsewhere = requestsElsewhere(page);
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(String(error)));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      await page.goto(`${base()}/playground/`);
      await expect
        .poll(() => page.locator(".graphiql-query-editor").innerText(), { timeout: 15_000 })
        .toContain("query CityScorecard");
      await page.getByRole("button", { name: "Show Query plan" }).click();
      const panel = page.locator(".p06-plan");
      const subgraphs = () => page.locator(".p06-plan-subgraphs li").allInnerTexts();
      // the city scorecard: one fetch, the plan's review (it holds the agencies' figures it reads)
      await expect.poll(subgraphs, { timeout: 15_000 }).toEqual(["plan"]);
      expect(await page.locator(".p06-plan-outline").innerText()).toBe("Fetch plan review");
      await page.locator(".p06-plan-text summary").click();
      expect(await page.locator(".p06-plan-text pre").innerText()).toMatch(
        /^QueryPlan \{\n {2}Fetch\(service: "plan"\)/,
      );

      const editor = page.locator(".graphiql-query-editor .CodeMirror");
      const edit = async (query: string) => {
        await editor.click();
        await page.keyboard.press("Control+A");
        await page.keyboard.insertText(query);
      };
      // edited: an indicator's series (the plan holds the police's) and its communes' figures (the
      // police's own subgraph), one after the other
      await edit(
        `query Series { indicator(code: "III.3") { ... on IdentityIndicator { series { period value } values(from: "2026-10", to: "2026-10") { unit value } } } }`,
      );
      await expect.poll(subgraphs, { timeout: 10_000 }).toEqual(["plan", "identity"]);
      const steps = (await page.locator(".p06-plan-outline").innerText()).split("\n");
      expect(steps[0]).toBe("Sequence, in order");
      expect(steps[1]).toBe("Fetch plan indicator");
      expect(steps.slice(2).join("\n")).toMatch(/Fetch identity IdentityIndicator\.values/);

      // edited: an indicator's title is the plan's alone
      await edit(`query Title { indicator(code: "III.3") { title } }`);
      await expect.poll(subgraphs, { timeout: 10_000 }).toEqual(["plan"]);
      expect(await page.locator(".p06-plan-outline").innerText()).toBe("Fetch plan indicator");
      // a field the graph does not have: no plan, and why
      await page.keyboard.press("Control+A");
      await page.keyboard.insertText(`query Title { indicator(code: "III.3") { colour } }`);
      await expect
        .poll(() => panel.innerText(), { timeout: 10_000 })
        .toContain('Cannot query field "colour" on type "Indicator".');
      expect(problems).toEqual([]);

      // the plan is asked with the headers editor's headers: a token that is not one is refused
      await page.keyboard.press("Control+A");
      await page.keyboard.insertText(`query Title { indicator(code: "III.3") { title } }`);
      await expect.poll(subgraphs, { timeout: 10_000 }).toEqual(["plan"]);
      await page.getByText("Headers", { exact: true }).click();
      await page.locator(".graphiql-editor-tool .CodeMirror").last().click();
      await page.keyboard.insertText(`{ "Authorization": "Bearer not.a.token" }`);
      await expect
        .poll(() => panel.innerText(), { timeout: 10_000 })
        .toMatch(/the gateway refuses this operation[\s\S]*UNAUTHENTICATED/);
      // the browser reports the refusal itself (401), and nothing else went wrong
      expect(problems).toEqual([
        expect.stringMatching(/Failed to load resource: .* status of 401/),
      ]);
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
    // a review no other test asks, so that no subgraph fetch of it is kept
    const response = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "ioc-trace-42" },
      body: JSON.stringify({
        query: `query CityScorecard { review(year: 2030, period: "2026-07") { scorecard { byStatus { count } } } }`,
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
