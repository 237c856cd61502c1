// A figure's refusals name what to correct: the field (a spreadsheet's column), and for a breakdown
// that misses its total, by how much (the total, the categories' sum and the difference).
import { describe, expect, it } from "vitest";
import type { IndicatorDefinition } from "../src/values/definitions.js";
import { validateValue, type ValidationScope } from "../src/values/validate.js";

const breakdown = { field: "byFacilityType", categories: ["hospital", "clinic"] };
const definitions: IndicatorDefinition[] = [
  {
    code: "II.12",
    measure: "PERCENT",
    aggregation: "STOCK",
    level: "COMMUNE",
    writers: ["DOH"],
    breakdown,
  },
  {
    code: "II.13",
    measure: "RATIO",
    aggregation: "STOCK",
    level: "CITY",
    writers: ["DOH"],
    breakdown,
  },
  {
    code: "II.14",
    measure: "COUNT",
    aggregation: "FLOW",
    level: "CITY",
    writers: ["DOH"],
    breakdown,
  },
];
const scope: ValidationScope = {
  commune: null,
  definitions: new Map(definitions.map((d) => [d.code, d])),
  units: new Set(["31", "10507"]),
  cityCode: "31",
  agency: "DOH",
  now: new Date("2026-11-15T08:00:00Z"),
};
const problemOf = (result: ReturnType<typeof validateValue>) =>
  "problem" in result ? result.problem : null;

describe("a breakdown that does not add up to its total", () => {
  it("says the total, the categories' sum and the difference of each field that misses", () => {
    const result = validateValue(
      {
        indicator: "II.12",
        unit: "10507",
        period: "2026-10",
        numerator: 30,
        denominator: 50,
        breakdown: [
          { category: "hospital", numerator: 20, denominator: 30 },
          { category: "clinic", numerator: 12, denominator: 20 },
        ],
      },
      scope,
    );
    expect(problemOf(result)).toEqual({
      code: "INVALID_VALUE",
      column: "numerator",
      message:
        "II.12 10507 2026-10: the breakdown does not add up to the total: numerator total 30, breakdown sum 32 (2 more)",
    });
  });

  it("shows decimals as written, without the noise of adding them", () => {
    const result = validateValue(
      {
        indicator: "II.13",
        unit: "31",
        period: "2026-10",
        numerator: 0.5,
        denominator: 1,
        breakdown: [
          { category: "hospital", numerator: 0.1, denominator: 0.3 },
          { category: "clinic", numerator: 0.2, denominator: 0.7 },
        ],
      },
      scope,
    );
    expect(problemOf(result)?.message).toMatch(
      /the breakdown does not add up to the total: numerator total 0\.5, breakdown sum 0\.3 \(0\.2 less\)$/,
    );
  });

  it("checks a count's values, and not the sum of a breakdown that lacks refused rows", () => {
    const input = {
      indicator: "II.14",
      unit: "31",
      period: "2026-10",
      value: 10,
      breakdown: [{ category: "hospital", value: 4 }],
    };
    expect(problemOf(validateValue(input, scope))).toMatchObject({
      column: "value",
      message: expect.stringMatching(/value total 10, breakdown sum 4 \(6 less\)$/),
    });
    expect(problemOf(validateValue(input, scope, { partialBreakdown: true }))).toBeNull();
  });

  it("names a category's own problem with the category", () => {
    const result = validateValue(
      {
        indicator: "II.14",
        unit: "31",
        period: "2026-10",
        value: 10,
        breakdown: [
          { category: "hospital", value: 4 },
          { category: "clinic", value: 6.5 },
        ],
      },
      scope,
    );
    expect(problemOf(result)).toMatchObject({ column: "value", category: "clinic" });
  });
});
