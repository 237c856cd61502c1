// The communes' league table and its trend, from the months the graph gives (a review and its
// previousMonth chain): the months oldest first, each commune's rank and score in every month, its
// move since the month before, and the top and bottom of the table.
import { describe, expect, it } from "vitest";
import {
  leagueTrend,
  monthsOf,
  topAndBottom,
  type LeagueMonth,
} from "../gateway/web/src/report/commune-league.js";

const month = (
  period: string,
  ranks: [string, number | null, number | null][],
  previous?: LeagueMonth,
) => ({
  period,
  communes: ranks.map(([code, rank, score]) => ({ unit: { code }, rank, score })),
  previousMonth: previous ?? null,
});

const august = month("2026-08", [
  ["A", 3, 40],
  ["B", 1, 90],
  ["C", 2, 60],
]);
const september = month(
  "2026-09",
  [
    ["B", 1, 88],
    ["A", 2, 70],
    ["C", null, null],
  ],
  august,
);
const october = month(
  "2026-10",
  [
    ["A", 1, 95],
    ["C", 2, 80],
    ["B", 3, 50],
    ["D", null, null],
  ],
  september,
);

describe("the league table's trend", () => {
  it("reads the months oldest first", () => {
    expect(monthsOf(october).map((m) => m.period)).toEqual(["2026-08", "2026-09", "2026-10"]);
    expect(monthsOf(august).map((m) => m.period)).toEqual(["2026-08"]);
  });

  it("gives each commune of the latest month its rank and score in every month", () => {
    const [a] = leagueTrend(october);
    expect(a).toEqual({
      code: "A",
      rank: 1,
      score: 95,
      months: [
        { period: "2026-08", rank: 3, score: 40 },
        { period: "2026-09", rank: 2, score: 70 },
        { period: "2026-10", rank: 1, score: 95 },
      ],
      change: 1,
    });
  });

  it("counts places gained or lost since the month before, none where a month has no rank", () => {
    const change = new Map(leagueTrend(october).map((r) => [r.code, r.change]));
    expect(Object.fromEntries(change)).toEqual({ A: 1, B: -2, C: null, D: null });
    // a single month has nothing to compare
    expect(leagueTrend(august).every((r) => r.change === null)).toBe(true);
  });

  it("keeps a commune missing from an earlier month, unranked there", () => {
    const d = leagueTrend(october).find((r) => r.code === "D")!;
    expect(d.months.map((m) => m.rank)).toEqual([null, null, null]);
  });

  it("gives the top and the bottom of the table, never the same commune twice", () => {
    const rows = leagueTrend(october);
    expect(topAndBottom(rows, 1)).toMatchObject({ top: [{ code: "A" }], bottom: [{ code: "B" }] });
    const both = topAndBottom(rows, 2);
    expect(both.top.map((r) => r.code)).toEqual(["A", "C"]);
    expect(both.bottom.map((r) => r.code)).toEqual(["B"]);
    expect(topAndBottom(rows, 5).bottom).toEqual([]);
  });
});
