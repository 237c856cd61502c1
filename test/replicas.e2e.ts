// Two instances of one subgraph, as an agency would run behind a load balancer: separate processes on
// one database of the embedded server. A write through one is answered by the other within a second,
// at the same data version.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { connectDatabase, DATA_VERSION_HEADER, signRequest, type Claims } from "@p06/subgraph-kit";
import { freePort } from "../scripts/lib/ferretdb.js";
import { spawnService, type RunningService } from "../scripts/lib/processes.js";
import "./support/provided.js";

const secret = randomBytes(32).toString("hex");
const database = `test_replicas_${randomBytes(3).toString("hex")}`;
const instances: RunningService[] = [];

/** A signed request straight to one instance, as the gateway sends it. */
async function ask(instance: RunningService, query: string, agency: string | null = null) {
  const body = JSON.stringify({ query });
  const claims: Claims | null = agency ? { sub: agency, roles: ["data-officer"] } : null;
  const response = await fetch(instance.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...signRequest(secret, claims, body) },
    body,
  });
  return {
    version: Number(response.headers.get(DATA_VERSION_HEADER)),
    body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] },
  };
}

const figureOn = async (instance: RunningService) => {
  const { body, version } = await ask(
    instance,
    `{ _entities(representations: [{ __typename: "HealthValue", indicator: "II.12", unit: "10507", period: "2026-10" }]) { ... on HealthValue { numerator } } }`,
  );
  const entity = (body.data?._entities as ({ numerator: number } | null)[])[0];
  return { numerator: entity?.numerator ?? null, version };
};

beforeAll(async () => {
  for (const name of ["health-a", "health-b"]) {
    instances.push(
      await spawnService({
        name,
        entry: "subgraphs/health/src/index.ts",
        port: await freePort(),
        env: {
          MONGODB_URI: inject("mongodbUri"),
          MONGODB_DATABASE: database,
          SUBGRAPH_SECRET: secret,
          LOG_LEVEL: "warn",
          P06_DEMO_DATA: "0",
          APOLLO_TELEMETRY_DISABLED: "1",
        },
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  const db = await connectDatabase(inject("mongodbUri"), database);
  await db.dropDatabase();
  await db.close();
});

it("a write through one instance is answered by the other within a second", async () => {
  const [a, b] = instances as [RunningService, RunningService];
  for (const [i, numerator] of [41, 57].entries()) {
    const written = await ask(
      a,
      `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10507", period: "2026-10", numerator: ${numerator}, denominator: 100 }) { version } }`,
      "DOH",
    );
    expect(written.body).toEqual({ data: { submitHealthValue: { version: i + 1 } } });
    const started = performance.now();
    let seen = await figureOn(b);
    while (seen.numerator !== numerator) {
      expect(performance.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await figureOn(b);
    }
    console.log(
      `instance b answered the write after ${Math.round(performance.now() - started)} ms`,
    );
    // an answer carries the version its request started at (one that began just before b applied
    // the write may show it under the older version, which only makes it look older); the next
    // answer carries the version the write reached: one data version for both instances
    seen = await figureOn(b);
    expect(seen).toEqual({ numerator, version: written.version });
    // and one account of where the changes fell: October's figures, on both
    for (const instance of [a, b]) {
      const version = await fetch(instance.url.replace(/graphql$/, "version")).then((r) =>
        r.json(),
      );
      expect(version).toEqual({
        subgraph: "health",
        version: written.version,
        steps: `*:0;2026-10:${written.version}`,
      });
    }
  }
});
