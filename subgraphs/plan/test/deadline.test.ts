// Every timing cell of Appendix II parses to the deadline a reader of the plan would give it.
import { describe, expect, it } from "vitest";
import { catalogue } from "@p06/catalogue";
import { parseDeadline, type Deadline } from "../src/deadline.js";

const ongoing: Deadline = { kind: "ONGOING", date: null, milestones: [] };
const conditional: Deadline = { kind: "CONDITIONAL", date: null, milestones: [] };
const roadmap: Deadline = { kind: "ROADMAP", date: null, milestones: [] };
const on = (kind: Deadline["kind"], date: string): Deadline => ({ kind, date, milestones: [] });

// Read off the plan by hand, task by task.
const expected: Record<string, Deadline> = {
  "I.1": conditional,
  "I.2": on("MONTH", "2026-12-31"),
  "I.3": ongoing,
  "I.4": on("MONTH", "2027-03-31"),
  "I.5": conditional,
  "II.1": on("MONTH", "2026-05-31"),
  "II.2": on("DATE", "2026-12-31"),
  "II.3": conditional,
  "II.4": on("MONTH", "2027-01-31"),
  "II.5": ongoing,
  "II.6": roadmap,
  "II.7": ongoing,
  "II.8": on("ONGOING", "2026-12-31"),
  "III.1": on("DATE", "2027-03-31"),
  "III.2": on("DATE", "2030-01-31"),
  "IV.1": ongoing,
  "IV.2": ongoing,
  "IV.3": ongoing,
  "IV.4": on("DATE", "2026-06-30"),
  "IV.5": ongoing,
  "IV.6": on("MONTH", "2027-02-28"),
  "IV.7": { kind: "MILESTONES", date: "2030-12-31", milestones: ["2027-12-31", "2030-12-31"] },
  "IV.8": on("DATE", "2026-06-30"),
  "V.1": on("QUARTER", "2027-03-31"),
  "V.2": roadmap,
  "V.3": on("MONTH", "2028-03-31"),
  "V.4": on("MONTH", "2028-03-31"),
  "V.5": on("MONTH", "2028-03-31"),
  "V.6": conditional,
  "VI.1": roadmap,
  "VI.2": roadmap,
  "VI.3": ongoing,
  "VI.4": on("DATE", "2026-12-31"),
  "VI.5": conditional,
  "VI.6": roadmap,
  "VI.7": conditional,
  "VI.8": conditional,
  "VII.1": ongoing,
  "VII.2": ongoing,
  "VII.3": ongoing,
  "VII.4": on("MONTH", "2028-01-31"),
  "VII.5": on("MONTH", "2027-02-28"),
  "VII.6": ongoing,
  "VII.7": on("MONTH", "2028-01-31"),
  "VII.8": on("MONTH", "2027-12-31"),
  "VIII.1": on("DATE", "2026-12-31"),
  "VIII.2": ongoing,
  "VIII.3": ongoing,
  "IX.1": ongoing,
  "X.1": ongoing,
  "X.2": ongoing,
  "X.3": ongoing,
  "X.4": ongoing,
  "X.5": ongoing,
};

describe("parseDeadline", () => {
  it("has an expectation for every task", () => {
    expect(Object.keys(expected)).toEqual(catalogue.tasks.map((task) => task.code));
  });

  it.each(catalogue.tasks.map((task) => [task.code, task.timingVi] as const))(
    "%s: %s",
    (code, timing) => {
      expect(parseDeadline(timing)).toEqual(expected[code]);
    },
  );

  it("gives a quarter its last day and a February its true length", () => {
    expect(parseDeadline("Hoàn thành trong Quý IV/2028").date).toBe("2028-12-31");
    expect(parseDeadline("Quý II/2027").date).toBe("2027-06-30");
    expect(parseDeadline("Tháng 2/2028").date).toBe("2028-02-29");
  });

  it("refuses a timing it does not know rather than guess", () => {
    expect(() => parseDeadline("Năm 2027")).toThrow(/unrecognised timing/);
    expect(() => parseDeadline("Tháng 13/2027")).toThrow(/invalid month/);
    expect(() => parseDeadline("Hoàn thành trước ngày 31/2/2027")).toThrow(/invalid date/);
  });
});
