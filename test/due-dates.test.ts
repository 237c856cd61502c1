// A month falling due changes what is owed from DUE to MISSING with no write: it is recorded as a
// change at that instant (subgraphs/kit/src/values/due-dates.ts), so that nothing kept from before
// says DUE after it. Run on the health subgraph with a clock set a moment before November's due date.
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  connectDatabase,
  createLogger,
  dueDate,
  lastChangeUpTo,
  nextDue,
  type KitContext,
  type SubgraphRuntime,
} from "@p06/subgraph-kit";
import { buildHealthSubgraph } from "@p06/health";
import { useTestDatabase } from "./support/database.js";
import { inProcessServer } from "./support/execute.js";

const database = useTestDatabase("due_dates");
const DUE = dueDate("2026-11");
/** The subgraph's clock: running, from 1.5 s before November's due date. */
const startedAt = Date.now();
const now = () => new Date(DUE.getTime() - 1500 + (Date.now() - startedAt));

let runtime: SubgraphRuntime<KitContext>;
let db: Awaited<ReturnType<typeof connectDatabase>>;
const subgraph = buildHealthSubgraph({ now });

beforeAll(async () => {
  db = await connectDatabase(database.uri, database.name);
  runtime = await subgraph.open(db, createLogger("health", "silent"), { demo: false, followMs: 0 });
});

afterAll(async () => {
  await runtime?.close();
  await db?.close();
});

const statuses = async (period: string) => {
  const { data, errors } = await inProcessServer(subgraph.schema, runtime.context).execute<{
    healthMonth: { obligations: { status: string }[] };
  }>(
    `query ($period: String!) { healthMonth(agency: "DOH", period: $period) { obligations(limit: 5) { status } } }`,
    { period },
    { "x-p06-agency": "DOH" },
  );
  expect(errors).toBeUndefined();
  return new Set(data!.healthMonth.obligations.map((row) => row.status));
};

it("finds the next month to fall due: the last one until the 10th is over, Vietnam time", () => {
  expect(nextDue(new Date("2026-12-08T00:00:00Z"))).toBe("2026-11");
  // 23:59 on the 10th in Hai Phong is still November's last minute
  expect(nextDue(new Date("2026-12-10T16:59:00Z"))).toBe("2026-11");
  expect(nextDue(new Date("2026-12-10T17:00:00Z"))).toBe("2026-12");
  expect(nextDue(new Date("2027-01-01T00:00:00Z"))).toBe("2026-12");
});

it("records a month falling due as a change to that month, and what was due is missing after it", async () => {
  expect(await statuses("2026-11")).toEqual(new Set(["DUE"]));
  const version = runtime.version();
  const octoberAt = lastChangeUpTo(runtime.steps!(), "2026-10");

  await expect.poll(() => runtime.version(), { timeout: 5000, interval: 50 }).toBe(version + 1);
  // placed at November: what was read of October still holds
  expect(lastChangeUpTo(runtime.steps!(), "2026-11")).toBe(version + 1);
  expect(lastChangeUpTo(runtime.steps!(), "2026-10")).toBe(octoberAt);
  expect(await statuses("2026-11")).toEqual(new Set(["MISSING"]));
  expect(await db.collection("change_log").countDocuments({ kind: "month.due" })).toBe(1);
});
