// Two gateway instances over the same six subgraphs, as behind a load balancer: each keeps answers
// while the subgraphs' data versions hold. A write through one is in its very next answer, and the
// other answers with it within a second (it learns the new version by polling /version).
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort } from "../scripts/lib/ferretdb.js";
import { spawnService, type RunningService } from "../scripts/lib/processes.js";
import { startSystem, type RunningSystem } from "./support/system.js";

let system: RunningSystem;
let second: RunningService;

const FIGURE = `{ indicator(code: "III.3") { ... on IdentityIndicator {
  values(unit: "10507", from: "2026-10", to: "2026-10") { numerator } } } }`;

async function numeratorThrough(url: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await system.token("IOC")}`,
    },
    body: JSON.stringify({ query: FIGURE }),
  });
  const body = (await response.json()) as {
    data?: { indicator: { values: { numerator: number }[] } };
    errors?: unknown[];
  };
  expect(body.errors).toBeUndefined();
  return body.data!.indicator.values[0]?.numerator ?? null;
}

async function write(numerator: number) {
  const result = await system.query(
    `mutation { submitIdentityValue(input: { indicator: "III.3", unit: "10507", period: "2026-10", numerator: ${numerator}, denominator: 100 }) { version } }`,
    {},
    "POLICE",
  );
  expect(result.errors).toBeUndefined();
}

beforeAll(async () => {
  system = await startSystem("gateways");
  const port = await freePort();
  second = await spawnService({
    name: "gateway-2",
    entry: "gateway/src/index.ts",
    port,
    env: {
      ...system.gatewayEnv,
      GATEWAY_PORT: String(port),
      LOG_LEVEL: "warn",
      APOLLO_TELEMETRY_DISABLED: "1",
    },
  });
}, 180_000);

afterAll(async () => {
  await second?.stop();
  await system?.stop();
});

it("a write through one gateway is in its next answer, and in the other's within a second", async () => {
  await write(40);
  for (const numerator of [55, 61]) {
    // both instances hold the figure as an answer they may reuse
    const before = numerator === 55 ? 40 : 55;
    expect(await numeratorThrough(system.gatewayUrl)).toBe(before);
    expect(await numeratorThrough(second.url)).toBe(before);
    expect(await numeratorThrough(second.url)).toBe(before);
    await write(numerator);
    expect(await numeratorThrough(system.gatewayUrl)).toBe(numerator);
    const started = performance.now();
    while ((await numeratorThrough(second.url)) !== numerator) {
      expect(performance.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    console.log(
      `the second gateway answered the write after ${Math.round(performance.now() - started)} ms`,
    );
  }
});
