// When the database goes away: the City Police stream figures through the gateway and the test's own
// FerretDB is killed hard (SIGKILL) in the middle. While it is away every write is refused within a
// second with DATABASE_UNAVAILABLE (never an internal error, never the gateway's timeout), reads are
// still answered from memory (marked possibly stale) and no subgraph exits; the supervisor that
// `npm start` uses starts the database again, the stack heals by itself, new writes succeed, and every
// acknowledged figure is there.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reportingUnitCodes } from "@p06/catalogue";
import {
  connectDatabase,
  insertOnce,
  isDatabaseUnavailable,
  POSSIBLY_STALE_HEADER,
  signRequest,
} from "@p06/subgraph-kit";
import type { Connection } from "mongoose";
import { freePort, startFerretDB, type RunningDatabase } from "../scripts/lib/ferretdb.js";
import { supervise, type Supervised } from "../scripts/lib/processes.js";
import { startSystem, type RunningSystem } from "./support/system.js";

/** How long the database stays away: the supervisor's first back-off, long enough to write into. */
const AWAY_MS = 3000;
const PERIOD = "2026-10";
/** The month of the whole report in flight when the database dies. */
const REPORT_PERIOD = "2026-09";

let dataDir: string;
let database: Supervised<RunningDatabase> | undefined;
let system: RunningSystem | undefined;
const log: string[] = [];
let restartedAt = 0;
/** A connection of the test's own, open when the database dies. */
let connection: Connection | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "p06-outage-db-"));
  const options = { port: await freePort(), dataDir };
  const first = await startFerretDB(options);
  database = supervise("database", first, () => startFerretDB(options), {
    log: (line) => log.push(`${new Date().toISOString()} ${line}`),
    minDelayMs: AWAY_MS,
    onRestart: () => (restartedAt = Date.now()),
  });
  system = await startSystem("outage", {}, { mongodbUri: first.uri });
  connection = await connectDatabase(first.uri, "test_outage_own");
}, 180_000);

afterAll(async () => {
  await connection?.close();
  await system?.stop();
  await database?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

type Outcome = {
  at: number;
  ms: number;
  unit: string;
  numerator: number;
  code: string | null;
  message?: string;
  retryAfterSeconds?: unknown;
};

it(
  "refuses writes at once while the database is away, answers reads, heals by itself and loses nothing acknowledged",
  { timeout: 90_000 },
  async () => {
    const s = system!;
    const pids = Object.fromEntries(
      Object.entries(s.services).map(([name, service]) => [name, service.pid]),
    );
    const communes = reportingUnitCodes().filter((code) => code !== "31");
    // one figure after another, each acknowledged (or refused) before the next
    const outcomes: Outcome[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i += 1) {
        const unit = communes[i % communes.length]!;
        const numerator = 1 + ((i * 7) % 99);
        const started = Date.now();
        const result = await s.query(
          `mutation ($input: DataValueInput!) { submitIdentityValue(input: $input) { version } }`,
          { input: { indicator: "III.3", unit, period: PERIOD, numerator, denominator: 100 } },
          "POLICE",
        );
        const error = result.errors?.[0];
        outcomes.push({
          at: started,
          ms: Date.now() - started,
          unit,
          numerator,
          code: error ? String(error.extensions?.code ?? "NONE") : null,
          message: error?.message,
          retryAfterSeconds: error?.extensions?.retryAfterSeconds,
        });
        // a refusal is immediate: pace the retries a little, as a client told to wait would
        if (error) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const until = async (what: string, check: () => boolean | Promise<boolean>, ms: number) => {
      const deadline = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const acknowledgedCount = () => outcomes.filter((o) => o.code === null).length;

    try {
      await until("writes acknowledged before the outage", () => acknowledgedCount() >= 10, 30_000);
      const before = acknowledgedCount();
      // and a whole month's report for every commune, under way when the database dies
      const reportStarted = Date.now();
      const report = s
        .query(
          `mutation ($input: MonthlyReportInput!) { submitIdentityReport(input: $input) { created } }`,
          {
            input: {
              period: REPORT_PERIOD,
              values: communes.map((unit, i) => ({
                indicator: "III.3",
                unit,
                numerator: i % 40,
                denominator: 40,
              })),
            },
          },
          "POLICE",
        )
        .then((result) => ({
          ms: Date.now() - reportStarted,
          code: result.errors ? String(result.errors[0]!.extensions?.code) : null,
          message: result.errors?.[0]!.message,
        }));
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 60)));
      const killedAt = Date.now();
      process.kill(database!.current().pid!, "SIGKILL");
      const reported = await report;
      expect([null, "DATABASE_UNAVAILABLE"]).toContain(reported.code);
      // the write under way when it died ends when the driver has found the server gone and retried
      // it once (server selection's 0.5 s, or the restarted server taking it); the refusals of the
      // writes after it are timed below
      expect(reported.ms).toBeLessThan(killedAt - reportStarted + 3000);

      // while away: a read from memory through the gateway, marked possibly stale by the subgraph,
      // whose /readyz says degraded
      await until(
        "identity reports the database away",
        async () => (await readyz(s, "identity")).status === "degraded",
        2000,
      );
      const read = await s.query<{ identityIndicators: { code: string; values: unknown[] }[] }>(
        `{ identityIndicators { code values(from: "${PERIOD}", to: "${PERIOD}", limit: 5000) { unit numerator } } }`,
      );
      expect(read.errors).toBeUndefined();
      const readDuringOutage = read.data!.identityIndicators.find((i) => i.code === "III.3")!.values
        .length;
      expect(readDuringOutage).toBeGreaterThanOrEqual(before);
      expect(await possiblyStale(s)).toBe("1");
      // a batch insert the server never answers fails, recognisably, and is never taken for done
      const inserted = await insertOnce(connection!.collection("figures"), [{ _id: "a" }]).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isDatabaseUnavailable(inserted)).toBe(true);

      await until("the supervisor restarted the database", () => database!.restarts() > 0, 20_000);
      const lastRefusal = () =>
        outcomes.filter((o) => o.code !== null).reduce((last, o) => Math.max(last, o.at), 0);
      await until(
        "five writes acknowledged after the restart",
        () => outcomes.filter((o) => o.code === null && o.at > lastRefusal()).length >= 5,
        30_000,
      );
      const healedAt = outcomes.find((o) => o.code === null && o.at > killedAt)!.at;
      writing = false;
      await writer;

      const during = outcomes.filter((o) => o.at >= killedAt && o.at < healedAt);
      const refused = during.filter((o) => o.code !== null);
      const slowest = Math.max(...refused.map((o) => o.ms));
      const atTheGate = refused.filter((o) => o.message?.includes("nothing was written")).length;
      console.log(
        `database outage: ${before} figures acknowledged before the kill; ${refused.length} writes refused while away ` +
          `(${atTheGate} at the gate, ${refused.length - atTheGate} cut short), ` +
          `slowest refusal ${slowest} ms (median ${median(refused.map((o) => o.ms))} ms); ` +
          `database restarted ${restartedAt - killedAt} ms after the kill, writes accepted again ` +
          `${healedAt - restartedAt} ms after its restart; ${acknowledgedCount()} acknowledged in all; ` +
          `the report in flight: ${reported.code ?? "acknowledged"} after ${reported.ms} ms (${reported.message ?? ""}); ` +
          `a refusal: "${refused[0]?.message}"\n  ${log.join("\n  ")}`,
      );
      // every write while away: refused with the code, quickly, never an internal error
      expect(refused.length).toBeGreaterThan(0);
      expect(new Set(refused.map((o) => o.code))).toEqual(new Set(["DATABASE_UNAVAILABLE"]));
      for (const o of refused) expect(o.retryAfterSeconds).toBeGreaterThan(0);
      expect(slowest).toBeLessThan(1000);
      expect(healedAt - restartedAt).toBeLessThan(30_000);
      expect(outcomes.every((o) => o.code === null || o.code === "DATABASE_UNAVAILABLE")).toBe(
        true,
      );
      // no subgraph, nor the gateway, exited: they outlived the database
      for (const [name, service] of Object.entries(s.services)) {
        expect(service.pid, name).toBe(pids[name]);
        expect(service.child.exitCode, name).toBeNull();
      }
      expect((await readyz(s, "identity")).status).toBe("ready");
      expect(await possiblyStale(s)).toBeNull();

      // every acknowledged figure is there: in the read model, through the gateway...
      const latest = new Map<string, number>();
      // a write the kill cut short may have been committed (and finished once the database was
      // back) or not; one refused at the gate never is
      const interrupted = new Map<string, number[]>();
      for (const o of outcomes) {
        if (o.code === null) {
          latest.set(o.unit, o.numerator);
          interrupted.delete(o.unit);
        } else if (!o.message?.includes("nothing was written")) {
          interrupted.set(o.unit, [...(interrupted.get(o.unit) ?? []), o.numerator]);
        }
      }
      const after = await s.query<{
        identityIndicators: { code: string; values: { unit: string; numerator: number }[] }[];
      }>(
        `{ identityIndicators { code values(from: "${PERIOD}", to: "${PERIOD}", limit: 5000) { unit numerator } } }`,
      );
      expect(after.errors).toBeUndefined();
      const served = new Map(
        after
          .data!.identityIndicators.find((i) => i.code === "III.3")!
          .values.map((v) => [v.unit, v.numerator]),
      );
      // ...and in the database, as the latest version of each figure
      const db = await connectDatabase(database!.current().uri, s.databases.identity!);
      const versions = await db
        .collection<{ unit: string; period: string; version: number; numerator: number }>(
          "figure_versions",
        )
        .find({ indicator: "III.3", period: PERIOD })
        .toArray();
      // the report: whole or not at all, whole if acknowledged, and nothing left half-applied
      const reportStored = await db
        .collection("figure_versions")
        .countDocuments({ indicator: "III.3", period: REPORT_PERIOD });
      expect([0, communes.length]).toContain(reportStored);
      if (reported.code === null) expect(reportStored).toBe(communes.length);
      expect(await db.collection("value_batches").countDocuments({ state: "committed" })).toBe(0);
      await db.close();
      const stored = new Map<string, { version: number; numerator: number }>();
      for (const v of versions) {
        if ((stored.get(v.unit)?.version ?? 0) < v.version) stored.set(v.unit, v);
      }
      for (const [unit, numerator] of latest) {
        const possible = [numerator, ...(interrupted.get(unit) ?? [])];
        expect(possible, `served ${unit}`).toContain(served.get(unit));
        expect(possible, `stored ${unit}`).toContain(stored.get(unit)?.numerator);
        expect(served.get(unit), `served as stored ${unit}`).toBe(stored.get(unit)?.numerator);
      }
    } finally {
      writing = false;
      await writer.catch(() => {});
    }
  },
);

async function readyz(s: RunningSystem, name: string): Promise<{ status?: string }> {
  const response = await fetch(s.services[name]!.url.replace(/\/graphql$/, "/readyz"));
  return (await response.json()) as { status?: string };
}

/** The identity subgraph's possibly-stale header on a read, asked as the gateway does. */
async function possiblyStale(s: RunningSystem): Promise<string | null> {
  const body = JSON.stringify({ query: `{ identityIndicators { code } }` });
  const response = await fetch(s.services.identity!.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...signRequest(s.secrets.identity!, { sub: "IOC", roles: ["ioc-viewer"] }, body),
    },
    body,
  });
  expect(response.status).toBe(200);
  return response.headers.get(POSSIBLY_STALE_HEADER);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
