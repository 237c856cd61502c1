// Each midnight in Hai Phong is recorded as a change of the plan (src/day-changes.ts): what is judged
// as of today (an explanation request's OVERDUE, a task's standing) is never kept from yesterday.
import { describe, expect, it } from "vitest";
import { nextDayChange } from "../src/day-changes.js";

describe("the plan's day changes", () => {
  it("falls at the next midnight in Hai Phong (UTC+7), naming the day it begins", () => {
    // 23:59:59 on 8 December in Hai Phong
    expect(nextDayChange(new Date("2026-12-08T16:59:59Z"))).toEqual({
      at: new Date("2026-12-08T17:00:00Z"),
      records: [{ day: "2026-12-09" }],
    });
    // midnight itself has begun the 9th: the next is the 10th
    expect(nextDayChange(new Date("2026-12-08T17:00:00Z")).at).toEqual(
      new Date("2026-12-09T17:00:00Z"),
    );
    // across a month and a year
    expect(nextDayChange(new Date("2026-12-31T18:00:00Z")).records).toEqual([
      { day: "2027-01-02" },
    ]);
  });
});
