// Where the plan's changes fall (the kit's changes/steps.ts): a reminder's digest, attempt and outcome
// at the month reminded of, so that sending the 10th's reminders keeps every other month's answers;
// any other change to the plan's state (a task's update) reaches every month.
import { createLogger, lastChangeUpTo } from "@p06/subgraph-kit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { useTestDatabase } from "../../../test/support/database.js";
import { openPlan, PLAN_CHANGES } from "../src/schema.js";

const database = useTestDatabase("plan_change_places");
let plan: Awaited<ReturnType<typeof openPlan>>;

beforeAll(async () => {
  plan = await openPlan(database.db, createLogger("plan", "silent"), {
    followMs: 0,
    graphReader: null,
  });
});

afterAll(() => plan?.close());

it("places a reminder's changes at the month reminded of, and a task's update at every month", async () => {
  const { replica } = plan.runtime.values;
  const steps = () => plan.steps!();
  const septemberAt = lastChangeUpTo(steps(), "2026-09");
  const digest = "DOH|2026-10|LATE";
  await replica.publish(PLAN_CHANGES.reminderAttempt, [
    { _id: `${digest}#1`, digest, attempt: 1, at: new Date(), period: "2026-10" },
  ]);
  await replica.publish(PLAN_CHANGES.reminderOutcome, [
    { _id: `${digest}#1`, digest, ok: true, response: "250 OK", at: new Date(), period: "2026-10" },
  ]);
  // October's answers (and later months') are no longer fresh; September's still are
  expect(lastChangeUpTo(steps(), "2026-10")).toBe(replica.version);
  expect(lastChangeUpTo(steps(), "2026-09")).toBe(septemberAt);

  await replica.publish(PLAN_CHANGES.taskUpdate, [
    { _id: "update-1", task: "T1", status: "IN_PROGRESS", at: new Date() },
  ]);
  expect(lastChangeUpTo(steps(), "")).toBe(replica.version);
});
