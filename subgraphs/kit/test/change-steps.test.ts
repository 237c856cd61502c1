// Where a subgraph's changes fell by month (changes/steps.ts): a read of a month holds through changes
// to later months, never through one to its own month, an earlier one, or any month.
import { describe, expect, it } from "vitest";
import {
  allAt,
  earliestPeriod,
  formatSteps,
  lastChangeUpTo,
  mergeSteps,
  parseSteps,
  withChange,
} from "../src/changes/steps.js";
import {
  bothReads,
  formatStamps,
  parseStamps,
  readAsOf,
  stillHolds,
} from "../src/read-versions.js";

describe("steps of changes by month", () => {
  // loaded at 3, then figures of October (4), November (5, 6), and a plan edit (7)
  const loaded = allAt(3);
  const october = withChange(loaded, "2026-10", 4);
  const november = withChange(withChange(october, "2026-11", 5), "2026-11", 6);

  it("gives the last change that reached each month", () => {
    expect(november).toEqual([
      ["", 3],
      ["2026-10", 4],
      ["2026-11", 6],
    ]);
    expect(lastChangeUpTo(november, "2026-09")).toBe(3);
    expect(lastChangeUpTo(november, "2026-10")).toBe(4);
    expect(lastChangeUpTo(november, "2026-12")).toBe(6);
    expect(lastChangeUpTo(november)).toBe(6);
  });

  it("folds later months into a change to an earlier month, and every month into any month's", () => {
    expect(withChange(november, "2026-09", 7)).toEqual([
      ["", 3],
      ["2026-09", 7],
    ]);
    expect(withChange(november, "", 7)).toEqual(allAt(7));
  });

  it("merges two accounts by the later change of every month", () => {
    const other = withChange(allAt(3), "2026-08", 5);
    expect(mergeSteps(november, other)).toEqual([
      ["", 3],
      ["2026-08", 5],
      ["2026-11", 6],
    ]);
    expect(mergeSteps(november, allAt(6))).toEqual(allAt(6));
    // a subgraph nothing was written to yet: one step, at 0
    expect(mergeSteps(allAt(0), allAt(0))).toEqual(allAt(0));
  });

  it("finds a change's earliest month, or any month when a record names none", () => {
    expect(earliestPeriod([{ period: "2026-11" }, { period: "2026-03" }])).toBe("2026-03");
    expect(earliestPeriod([{ period: "2026-11" }, { code: "I.1" }])).toBe("");
    expect(earliestPeriod([{ period: "2026-13" }])).toBe("");
    expect(earliestPeriod([])).toBe("");
  });

  it("travels as text, and refuses text not exactly in the format", () => {
    expect(formatSteps(november)).toBe("*:3;2026-10:4;2026-11:6");
    expect(parseSteps(formatSteps(november))).toEqual(november);
    for (const text of ["", "*:3;2026-10:3", "2026-11:4;2026-10:5", "*:x", "2026-13:4", "*:3;"]) {
      expect({ text, steps: parseSteps(text) }).toEqual({ text, steps: null });
    }
  });
});

describe("a read of a month as the gateway knows its subgraph", () => {
  const known = { version: 6, epoch: 0, steps: withChange(allAt(4), "2026-11", 6) };

  it("holds through changes to later months only", () => {
    expect(stillHolds({ version: 4, epoch: 0, upTo: "2026-10" }, known)).toBe(true);
    expect(stillHolds({ version: 4, epoch: 0, upTo: "2026-11" }, known)).toBe(false);
    expect(stillHolds({ version: 4, epoch: 0 }, known)).toBe(false);
    expect(stillHolds({ version: 3, epoch: 0, upTo: "2026-10" }, known)).toBe(false);
    // a read of no month's data holds through every change to a month
    expect(stillHolds({ version: 4, epoch: 0, upTo: "" }, known)).toBe(true);
    // nothing holds across an epoch, nor where the known version says nothing of months
    expect(stillHolds({ version: 4, epoch: 0, upTo: "2026-10" }, { ...known, epoch: 1 })).toBe(
      false,
    );
    expect(stillHolds({ version: 4, epoch: 0, upTo: "2026-10" }, { version: 6, epoch: 0 })).toBe(
      false,
    );
  });

  it("of two reads, holds only while both do", () => {
    expect(
      bothReads({ version: 4, epoch: 0, upTo: "2026-10" }, { version: 6, epoch: 0, upTo: "" }),
    ).toEqual({ version: 4, epoch: 0, upTo: "2026-10" });
    expect(bothReads({ version: 4, epoch: 0, upTo: "2026-10" }, { version: 6, epoch: 0 })).toEqual({
      version: 4,
      epoch: 0,
    });
  });

  it("restates a read at the version known only while nothing it read has changed since", () => {
    // health wrote November at 5 and 7; October last changed at 3
    const known = {
      version: 7,
      epoch: 0,
      steps: [
        ["", 1],
        ["2026-10", 3],
        ["2026-11", 7],
      ] as const,
    };
    const october = { version: 4, epoch: 0, upTo: "2026-10" };
    expect(readAsOf(october, known)).toEqual({ version: 7, epoch: 0, upTo: "2026-10" });
    // a fetch kept from before the writes, beside the month read after them: both hold at 7
    expect(
      bothReads(
        readAsOf(october, known),
        readAsOf({ version: 7, epoch: 0, upTo: "2026-11" }, known),
      ),
    ).toEqual({ version: 7, epoch: 0, upTo: "2026-11" });
    // a read of November from before a write to it, or of any month, stays where it was read
    expect(readAsOf({ version: 5, epoch: 0, upTo: "2026-11" }, known)).toEqual({
      version: 5,
      epoch: 0,
      upTo: "2026-11",
    });
    expect(readAsOf({ version: 4, epoch: 0 }, known)).toEqual({ version: 4, epoch: 0 });
    // nor across an epoch, nor with nothing known
    expect(readAsOf(october, { ...known, epoch: 1 })).toEqual(october);
    expect(readAsOf(october, undefined)).toEqual(october);
  });

  it("carries a read's month and what is known of months in the versions' header", () => {
    const stamps = {
      health: { version: 4, epoch: 0, upTo: "2026-10" },
      plan: { version: 9, epoch: 1, upTo: "" },
      identity: known,
    };
    const text = formatStamps(Object.entries(stamps));
    expect(text).toBe("health=4.0@2026-10,plan=9.1@*,identity=6.0~*:4;2026-11:6");
    expect({ ...parseStamps(text) }).toEqual(stamps);
    expect(parseStamps("health=4.0@2026-13")).toBeNull();
    // what nothing was written to yet travels too
    const untouched = { plan: { version: 0, epoch: 0, steps: allAt(0) } };
    expect({ ...parseStamps(formatStamps(Object.entries(untouched))) }).toEqual(untouched);
    expect({
      ...parseStamps(formatStamps([["plan", { version: 0, epoch: 0, steps: [] }]])),
    }).toEqual({ plan: { version: 0, epoch: 0 } });
    expect(parseStamps("health=4.0~*:4;2026-11:3")).toBeNull();
  });
});
