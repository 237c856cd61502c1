// A reminder attempt that never reported back turns UNCONFIRMED ten minutes on, with no write
// (src/reminders/unconfirmed-changes.ts): the instant is recorded as a change placed at the month
// the digest reminds of, so a kept answer never says SENDING after it, and other months' answers
// stay kept.
import { createLogger, lastChangeUpTo } from "@p06/subgraph-kit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { useTestDatabase } from "../../../test/support/database.js";
import { UNCONFIRMED_AFTER_MS, reminderProgress } from "../src/reminders/status.js";
import { nextUnconfirmed, UNCONFIRMED_CHANGE } from "../src/reminders/unconfirmed-changes.js";
import { openPlan, PLAN_CHANGES } from "../src/schema.js";

const database = useTestDatabase("plan_unconfirmed_changes");
let plan: Awaited<ReturnType<typeof openPlan>>;

beforeAll(async () => {
  plan = await openPlan(database.db, createLogger("plan", "silent"), {
    followMs: 0,
    graphReader: null,
    // looked at often, so that an attempt made here is seen well before its instant
    unconfirmedRecheckMs: 50,
  });
});

afterAll(() => plan?.close());

const digestOf = (agency: string, period: string) => ({
  _id: `${agency}|${period}|LATE`,
  agency,
  period,
  occasion: "LATE",
  opensAt: new Date("2026-12-11T01:00:00Z"),
  dueAt: new Date("2026-12-10T17:00:00Z"),
  claimedAt: new Date(),
  to: ["so-y-te@haiphong.gov.vn"],
  cc: [],
  subject: "Nhắc báo cáo",
  text: "",
  expected: 3,
  outstanding: [],
});

const attemptOf = (digest: string, at: Date) => ({ _id: `${digest}#1`, digest, attempt: 1, at });

it("names the next instant an attempt with no outcome turns UNCONFIRMED, with each digest's month", async () => {
  const { replica } = plan.runtime.values;
  const at = new Date("2026-12-11T01:00:00Z");
  const [october, november, september] = [
    digestOf("DOH", "2026-10"),
    digestOf("DOET", "2026-11"),
    digestOf("DOLISA", "2026-09"),
  ];
  await replica.publish(PLAN_CHANGES.reminderDigest, [october, november, september]);
  // October's and November's attempts at the same moment, September's a minute later and answered
  await replica.publish(PLAN_CHANGES.reminderAttempt, [
    { ...attemptOf(october._id, at), period: "2026-10" },
    { ...attemptOf(november._id, at), period: "2026-11" },
    { ...attemptOf(september._id, new Date(at.getTime() + 60_000)), period: "2026-09" },
  ]);
  await replica.publish(PLAN_CHANGES.reminderOutcome, [
    { _id: `${september._id}#1`, digest: september._id, ok: true, response: "250 OK", at },
  ]);
  const turns = new Date(at.getTime() + UNCONFIRMED_AFTER_MS + 1);
  expect(nextUnconfirmed(plan.state, new Date(at.getTime() + 1_000))).toEqual({
    at: turns,
    records: [
      { digest: october._id, period: "2026-10" },
      { digest: november._id, period: "2026-11" },
    ],
  });
  // the instant is when status.ts says so, not a millisecond before
  expect(reminderProgress(plan.state, october._id, new Date(turns.getTime() - 1)).status).toBe(
    "SENDING",
  );
  expect(reminderProgress(plan.state, october._id, turns).status).toBe("UNCONFIRMED");
  // once passed, nothing is waiting
  expect(nextUnconfirmed(plan.state, turns)).toBeNull();
});

it("records the instant as a change at the digest's month, leaving the months before it", async () => {
  const { replica } = plan.runtime.values;
  const digest = digestOf("DOST", "2026-10");
  await replica.publish(PLAN_CHANGES.reminderDigest, [digest]);
  // an attempt made just under ten minutes ago: it turns UNCONFIRMED in 300 ms
  const at = new Date(Date.now() - UNCONFIRMED_AFTER_MS + 300);
  await replica.publish(PLAN_CHANGES.reminderAttempt, [
    { ...attemptOf(digest._id, at), period: "2026-10" },
  ]);
  const before = replica.version;
  const septemberAt = lastChangeUpTo(plan.steps!(), "2026-09");
  expect(reminderProgress(plan.state, digest._id, new Date()).status).toBe("SENDING");

  const log = database.db.collection<{ seq: number; kind: string }>("change_log");
  const started = Date.now();
  while (replica.version === before) {
    expect(Date.now() - started).toBeLessThan(3_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // recorded at its instant, not before
  expect(Date.now()).toBeGreaterThan(at.getTime() + UNCONFIRMED_AFTER_MS);
  const change = await log.findOne({ seq: replica.version });
  expect(change?.kind).toBe(UNCONFIRMED_CHANGE);
  expect(reminderProgress(plan.state, digest._id, new Date()).status).toBe("UNCONFIRMED");
  // October's answers (and later months') are no longer fresh; September's still are
  expect(lastChangeUpTo(plan.steps!(), "2026-10")).toBe(replica.version);
  expect(lastChangeUpTo(plan.steps!(), "2026-09")).toBe(septemberAt);
});
