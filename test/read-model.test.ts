// The read path of a reporting subgraph: figures served from memory, kept current through the change
// log across instances, restored from a snapshot at start-up, and moved once to natural keys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "mongoose";
import { Types } from "mongoose";
import {
  connectDatabase,
  createLogger,
  type KitContext,
  type SubgraphRuntime,
} from "@p06/subgraph-kit";
import { buildHealthSubgraph } from "@p06/health";
import { useTestDatabase } from "./support/database.js";
import { inProcessServer } from "./support/execute.js";
import { NOW } from "./support/reporting-suite.js";

const logger = createLogger("health", "silent");
const subgraph = buildHealthSubgraph({ now: () => NOW });
const DOH = { "x-p06-agency": "DOH" };

/** One instance of the health subgraph on its own connection, as a separate process would have. */
async function instance(uri: string, name: string, followMs: number, reads?: string[]) {
  const db = await connectDatabase(uri, name, { monitorCommands: reads !== undefined });
  db.getClient().on("commandStarted", (event) => {
    if (event.commandName === "find") reads?.push(String(event.command.find));
  });
  const runtime = await subgraph.open(db, logger, { demo: false, followMs });
  const server = inProcessServer(subgraph.schema, runtime.context);
  return {
    db,
    runtime,
    submit: (unit: string, period: string, numerator: number) =>
      server.execute<{ submitHealthValue: { version: number } }>(
        `mutation ($input: DataValueInput!) { submitHealthValue(input: $input) { version } }`,
        { input: { indicator: "II.12", unit, period, numerator, denominator: 100 } },
        DOH,
      ),
    numerator: async (unit: string, period: string) => {
      const result = await server.execute<{ _entities: ({ numerator: number } | null)[] }>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on HealthValue { numerator } } }`,
        { r: [{ __typename: "HealthValue", indicator: "II.12", unit, period }] },
      );
      return result.data?._entities[0]?.numerator ?? null;
    },
    async close() {
      await runtime.close();
      await db.close();
    },
  };
}

describe("two instances of one subgraph", () => {
  const database = useTestDatabase("replicas");
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;

  beforeAll(async () => {
    a = await instance(database.uri, database.name, 50);
    b = await instance(database.uri, database.name, 50);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it("each sees the other's acknowledged writes within a second, at the same data version", async () => {
    const before = b.runtime.version();
    const written = await a.submit("10507", "2026-09", 41);
    expect(written.errors).toBeUndefined();
    expect(await a.numerator("10507", "2026-09")).toBe(41);
    expect(a.runtime.version()).toBeGreaterThan(before);
    const started = performance.now();
    while ((await b.numerator("10507", "2026-09")) !== 41) {
      expect(performance.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    console.log(`replica delay: ${Math.round(performance.now() - started)} ms`);
    expect(b.runtime.version()).toBe(a.runtime.version());
  });

  it("replaces from the version the other instance wrote, keeping the history", async () => {
    await b.runtime.sync();
    const replaced = await b.submit("10507", "2026-09", 44);
    expect(replaced.data?.submitHealthValue.version).toBe(2);
    await a.runtime.sync();
    expect(await a.numerator("10507", "2026-09")).toBe(44);
  });

  it("refuses the second of two writes of one figure at one moment, and logs only the first", async () => {
    await Promise.all([a.runtime.sync(), b.runtime.sync()]);
    const logged = database.db.collection<{ seq: number; payload: string }>("change_log");
    const lastLogged = async () => (await logged.find().sort({ seq: -1 }).limit(1).toArray())[0]!;
    const before = (await lastLogged()).seq;
    // both read the figure's history before either stores its version
    const answers = await Promise.all([
      a.submit("10507", "2026-06", 51),
      b.submit("10507", "2026-06", 52),
    ]);
    const codes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? null);
    expect(codes.filter((code) => code === "CONFLICT")).toHaveLength(1);
    expect(codes.filter((code) => code === null)).toHaveLength(1);
    const [winner, loser] = codes[0] === null ? [a, b] : [b, a];
    const stored = codes[0] === null ? 51 : 52;
    // the refused write logs a change that records nothing; its records stored ahead never count
    await Promise.all([a.runtime.sync(), b.runtime.sync()]);
    const changes = await logged.find({ seq: { $gt: before } }).toArray();
    expect(changes).toHaveLength(2);
    const recorded = await database.db
      .collection<{ _id: string; records: string }>("change_payloads")
      .find({ _id: { $in: changes.map((change) => change.payload) } })
      .toArray();
    expect(recorded.map((doc) => JSON.parse(doc.records).length).sort()).toEqual([0, 1]);
    for (const side of [winner, loser])
      expect(await side.numerator("10507", "2026-06")).toBe(stored);
    // submitted again, the refused figure is the next version
    const again = await loser.submit("10507", "2026-06", 53);
    expect(again.data?.submitHealthValue.version).toBe(2);
    await winner.runtime.sync();
    expect(await winner.numerator("10507", "2026-06")).toBe(53);
  });
});

describe("a follower that fell behind the pruned log", () => {
  const database = useTestDatabase("pruned");

  it("reloads its figures instead of skipping the changes it missed", async () => {
    const writer = await instance(database.uri, database.name, 0);
    const follower = await instance(database.uri, database.name, 0);
    try {
      for (const [i, unit] of ["10507", "10525", "10532"].entries()) {
        expect((await writer.submit(unit, "2026-08", 10 + i)).errors).toBeUndefined();
      }
      // what pruning does: the floor moves up, the old changes go
      const log = database.db.collection("change_log");
      await database.db
        .collection<{ _id: string; value: number }>("change_log_marks")
        .updateOne({ _id: "floor" }, { $set: { value: 3 } }, { upsert: true });
      await log.deleteMany({ seq: { $lt: 3 } });
      await follower.runtime.sync();
      expect(await follower.numerator("10507", "2026-08")).toBe(10);
      expect(await follower.numerator("10532", "2026-08")).toBe(12);
      expect(follower.runtime.version()).toBe(writer.runtime.version());
    } finally {
      await writer.close();
      await follower.close();
    }
  });
});

describe("start-up", () => {
  const database = useTestDatabase("snapshot");

  it("restores the figures from a snapshot and the log after it, without reading every figure", async () => {
    const first = await instance(database.uri, database.name, 0);
    await first.submit("10507", "2026-07", 30);
    // the first start read the collection whole: it leaves a snapshot for the next
    await first.close();
    const writer = await instance(database.uri, database.name, 0);
    await writer.submit("10525", "2026-07", 31);
    await writer.close();
    const read: string[] = [];
    const again = await instance(database.uri, database.name, 0, read);
    try {
      expect(await again.numerator("10507", "2026-07")).toBe(30);
      expect(await again.numerator("10525", "2026-07")).toBe(31);
      expect(read).toContain("read_model_snapshots");
      expect(read).not.toContain("figure_versions");
    } finally {
      await again.close();
    }
  });
});

describe("figures stored under the old layout (generated ids)", () => {
  const database = useTestDatabase("old_layout");
  let db: Connection;

  beforeAll(async () => {
    db = database.db;
    const old = {
      indicator: "II.12",
      period: "2026-05",
      denominator: 100,
      breakdown: [],
      comment: null,
      met: null,
      reportedBy: "DOH",
      reportedAt: new Date("2026-06-05T02:00:00Z"),
      firstReportedAt: new Date("2026-06-03T02:00:00Z"),
    };
    const values = db.collection("datavalues");
    await values.createIndex({ indicator: 1, unit: 1, period: 1 }, { unique: true });
    await values.insertMany([
      { _id: new Types.ObjectId(), ...old, unit: "10507", numerator: 25, value: 25, version: 2 },
      { _id: new Types.ObjectId(), ...old, unit: "10525", numerator: 35, value: 35, version: 1 },
    ]);
    await db.collection("data_value_history").insertOne({
      _id: new Types.ObjectId(),
      ...old,
      unit: "10507",
      numerator: 20,
      value: 20,
      version: 1,
      reportedAt: old.firstReportedAt,
      replacedAt: old.reportedAt,
      replacedBy: "DOH",
    });
    await db
      .collection("value_batches")
      .insertOne({ _id: "old" as never, state: "applied", actor: "DOH", action: "x", count: 1 });
  });

  it("moves them once to one document per version under natural keys, losing nothing", async () => {
    const runtime: SubgraphRuntime<KitContext> = await subgraph.open(db, logger, {
      demo: false,
      followMs: 0,
    });
    try {
      const versions = db.collection("figure_versions");
      const ids = (await versions.find().toArray()).map((d) => d._id).sort();
      expect(ids).toEqual([
        "II.12|10507|2026-05|1",
        "II.12|10507|2026-05|2",
        "II.12|10525|2026-05|1",
      ]);
      const collections = (await db.listCollections()).map((c) => c.name);
      expect(collections).not.toContain("datavalues");
      expect(collections).not.toContain("data_value_history");
      expect(await db.collection("value_batches").countDocuments()).toBe(0);
      const server = inProcessServer(subgraph.schema, runtime.context);
      const found = await server.execute<{ _entities: { history: unknown[] }[] }>(
        `query { _entities(representations: [{ __typename: "HealthIndicator", code: "II.12" }]) {
          ... on HealthIndicator { history(unit: "10507", period: "2026-05") { numerator version } } } }`,
      );
      expect(found.data?._entities[0]?.history).toEqual([
        { numerator: 20, version: 1 },
        { numerator: 25, version: 2 },
      ]);
      // the write path works on the moved figures: a replacement finds its figure by its key
      const written = await server.execute<{ submitHealthValue: { version: number } }>(
        `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10525", period: "2026-05", numerator: 40, denominator: 100 }) { version } }`,
        {},
        DOH,
      );
      expect(written.data?.submitHealthValue.version).toBe(2);
      expect(await versions.countDocuments()).toBe(4);
    } finally {
      await runtime.close();
    }
  });
});
