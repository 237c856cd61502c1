// Nothing lost, nothing half-written: a stream of figures and a whole month's report are sent to the
// health subgraph, which is killed hard (SIGKILL) in the middle; after a restart every acknowledged
// figure is there, and the report is stored whole or not at all.
import { randomBytes } from "node:crypto";
import { afterAll, expect, inject, it } from "vitest";
import { reportingUnitCodes } from "@p06/catalogue";
import { connectDatabase, signRequest } from "@p06/subgraph-kit";
import { freePort } from "../scripts/lib/ferretdb.js";
import { spawnService, type RunningService, type SpawnOptions } from "../scripts/lib/processes.js";
import "./support/provided.js";

const uri = inject("mongodbUri");
const database = `test_crash_${randomBytes(3).toString("hex")}`;
const secret = randomBytes(32).toString("hex");
let service: RunningService | undefined;

afterAll(async () => {
  await service?.stop("SIGKILL");
  const db = await connectDatabase(uri, database);
  await db.dropDatabase();
  await db.close();
});

it(
  "keeps every acknowledged write and never a half-written report across a SIGKILL",
  { timeout: 120_000 },
  async () => {
    const options: SpawnOptions = {
      name: "health",
      entry: "subgraphs/health/src/index.ts",
      port: await freePort(),
      env: {
        MONGODB_URI: uri,
        MONGODB_DATABASE: database,
        SUBGRAPH_SECRET: secret,
        LOG_LEVEL: "warn",
      },
    };
    service = await spawnService(options);
    const communes = reportingUnitCodes().filter((code) => code !== "31");
    const send = async (query: string, variables: Record<string, unknown>) => {
      const body = JSON.stringify({ query, variables });
      const response = await fetch(service!.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...signRequest(secret, { sub: "DOH", roles: ["data-officer"] }, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };

    // a stream of single figures, one after another, each acknowledged before the next
    const acknowledged = new Map<string, number>();
    let streaming = true;
    const stream = (async () => {
      for (let i = 0; streaming; i += 1) {
        const unit = communes[i % communes.length]!;
        const period = `2026-0${1 + (Math.floor(i / communes.length) % 8)}`;
        const numerator = (i * 7) % 100;
        try {
          const result = await send(
            `mutation ($input: DataValueInput!) { submitHealthValue(input: $input) { version } }`,
            { input: { indicator: "II.12", unit, period, numerator, denominator: 100 } },
          );
          if (!result.errors) acknowledged.set(`${unit}|${period}`, numerator);
        } catch {
          return; // the process is gone
        }
      }
    })();
    // and a whole month's report for every commune, in flight when the process dies
    let reportAcknowledged = false;
    const report = send(
      `mutation ($input: MonthlyReportInput!) { submitHealthReport(input: $input) { created } }`,
      {
        input: {
          period: "2026-09",
          values: communes.map((unit, i) => ({
            indicator: "II.5",
            unit,
            numerator: i % 40,
            denominator: 40,
          })),
        },
      },
    ).then(
      (result) => (reportAcknowledged = !result.errors),
      () => undefined,
    );

    await new Promise((resolve) => setTimeout(resolve, 700 + Math.floor(Math.random() * 600)));
    service.child.kill("SIGKILL");
    streaming = false;
    await Promise.all([stream, report]);
    expect(acknowledged.size).toBeGreaterThan(0);

    service = await spawnService(options);
    const db = await connectDatabase(uri, database);
    const values = await db.collection("figure_versions").find({}).toArray();
    // a figure is its latest version
    const stored = new Map<string, (typeof values)[number]>();
    for (const v of values.filter((v) => v.indicator === "II.12")) {
      const key = `${v.unit}|${v.period}`;
      if ((stored.get(key)?.version ?? 0) < v.version) stored.set(key, v);
    }
    for (const [key, numerator] of acknowledged) {
      expect(stored.get(key)?.numerator, `acknowledged ${key}`).toBe(numerator);
    }
    // every stored figure is whole
    for (const value of values) {
      expect(value).toMatchObject({
        indicator: expect.any(String),
        unit: expect.any(String),
        period: expect.stringMatching(/^\d{4}-\d{2}$/),
        numerator: expect.any(Number),
        denominator: expect.any(Number),
        value: expect.any(Number),
        reportedBy: "DOH",
        version: expect.any(Number),
      });
    }
    // the report: all of it or none of it, and all of it if it was acknowledged
    const reported = values.filter((v) => v.indicator === "II.5").length;
    expect([0, communes.length]).toContain(reported);
    if (reportAcknowledged) expect(reported).toBe(communes.length);
    // recovery left nothing pending
    expect(await db.collection("staged_values").countDocuments()).toBe(0);
    expect(await db.collection("value_batches").countDocuments({ state: "committed" })).toBe(0);
    await db.close();
    console.log(
      `crash run: ${acknowledged.size} figures acknowledged before the kill, all found; report ${reported ? "stored whole" : "not stored"} (${reportAcknowledged ? "acknowledged" : "not acknowledged"})`,
    );
  },
);
