// The year's results from the graph's monthly answers (gateway/web/src/year/year-results.ts): the
// yearly score is the mean of the monthly ones; lateness and indicators behind count as persistent in
// three months or more; the commendation is the best, never one proposed for accountability.
import { expect, it } from "vitest";
import type { WebYearReviewQuery } from "../gateway/web/src/graphql/generated/graphql.js";
import {
  lastReportedPeriod,
  yearRequests,
  yearResults,
} from "../gateway/web/src/year/year-results.js";

type Month = NonNullable<WebYearReviewQuery["m01"]>;
type Line = Month["agencyScorecards"][number];

const line = (code: string, total: number | null, behind: string[] = [], late = false): Line => ({
  agency: { code },
  score: { total, indicators: total, tasks: null, reporting: total === null ? null : 100 },
  reporting: {
    expected: 10,
    received: 10,
    onTime: late ? 8 : 10,
    indicators: [
      { code: "II.12", expected: 5, onTime: late ? 3 : 5 },
      { code: "I.1", expected: 5, onTime: 5 },
    ],
  },
  indicators: [
    ...behind.map((code) => ({
      indicator: { code },
      progress: { status: "DETERIORATING" as const },
    })),
    { indicator: { code: "I.1" }, progress: { status: "ON_TRACK" as const } },
  ],
  tasks: { overdue: [] },
});

const month = (period: string, lines: Line[]): Month => ({
  period,
  identity: { demo: false },
  procedures: null,
  health: null,
  education: null,
  socialSecurity: null,
  agencyScorecards: lines,
  communes: [],
});

const agencies = ["DOH", "DOET", "VSS", "DOST"].map((code) => ({
  code,
  name: code,
  nameVi: `Sở ${code}`,
}));

it("ranks the agencies by the mean of their monthly scores, and names the persistent", () => {
  const answer = {
    agencies,
    m01: month("2026-01", [
      line("DOH", 90),
      line("DOET", 80, [], true),
      line("VSS", 70, ["V.2"]),
      line("DOST", null),
    ]),
    m02: month("2026-02", [
      line("DOH", 70),
      line("DOET", 80, [], true),
      line("VSS", 70, ["V.2"]),
      line("DOST", null),
    ]),
    m03: month("2026-03", [
      line("DOH", 80),
      line("DOET", 95, [], true),
      line("VSS", 40, ["V.2", "V.3"]),
      line("DOST", null),
    ]),
  } as WebYearReviewQuery;
  const results = yearResults(2026, answer);
  expect(results.periods).toEqual(["2026-01", "2026-02", "2026-03"]);
  expect(results.agencies.map((a) => [a.code, a.rank, a.score, a.monthsScored])).toEqual([
    ["DOET", 1, 85, 3],
    ["DOH", 2, 80, 3],
    ["VSS", 3, 60, 3],
    ["DOST", 4, null, 0],
  ]);
  const doet = results.agencies[0]!;
  expect(doet.lateMonths).toEqual([
    { period: "2026-01", indicators: ["II.12"] },
    { period: "2026-02", indicators: ["II.12"] },
    { period: "2026-03", indicators: ["II.12"] },
  ]);
  expect(doet).toMatchObject({ expected: 30, received: 30, onTime: 24 });
  expect(results.agencies[1]!.lateMonths).toEqual([]);
  // DOET late three months, VSS's V.2 behind three months (V.3 only one)
  expect(
    results.accountability.map((a) => [a.agency.code, a.persistentlyLate, a.persistentlyBehind]),
  ).toEqual([
    ["DOET", true, []],
    ["VSS", false, [{ indicator: "V.2", periods: ["2026-01", "2026-02", "2026-03"] }]],
  ]);
  // the best not proposed for accountability, with a score in at least half the months
  expect(results.commendation.map((a) => a.code)).toEqual(["DOH"]);
});

it("shares a rank between equal scores", () => {
  const answer = {
    agencies,
    m01: month("2026-01", [line("DOH", 75), line("DOET", 75), line("VSS", 50)]),
  } as WebYearReviewQuery;
  expect(yearResults(2026, answer).agencies.map((a) => a.rank)).toEqual([1, 1, 3]);
});

it("reads the months of the year reported by now, and the right target year", () => {
  // on 7 December November's reports are not due yet (the 10th): October is the last month read
  const december = new Date("2026-12-07T05:00:00Z");
  expect(lastReportedPeriod(2026, december)).toBe("2026-10");
  expect(lastReportedPeriod(2026, new Date("2026-12-11T05:00:00Z"))).toBe("2026-11");
  expect(lastReportedPeriod(2027, december)).toBeNull();
  expect(lastReportedPeriod(2026, new Date("2027-03-01T00:00:00Z"))).toBe("2026-12");
  // eleven months in two requests, each within the gateway's cost limit
  const requests = yearRequests(2026, "2026-11") as unknown as Record<string, unknown>[];
  expect(requests).toHaveLength(2);
  expect(requests[0]).toMatchObject({
    year: 2026,
    p01: "2026-01",
    with01: true,
    with06: true,
    with07: false,
  });
  expect(requests[1]).toMatchObject({ with06: false, with07: true, with11: true, with12: false });
  const later = yearRequests(2027, "2027-02") as unknown as Record<string, unknown>[];
  expect(later).toHaveLength(1);
  expect(later[0]!.year).toBe(2030);
});

it("ranks the communes by their monthly scores, and names those late or without their plan", () => {
  const commune = (code: string, total: number, onTime: number, tasks: number | null) => ({
    unit: { code, name: `Phường ${code}` },
    monthlyScore: { total, indicators: total, tasks, reporting: total },
    reporting: { expected: 10, onTime },
  });
  const periods = ["2026-07", "2026-08", "2026-09"];
  const answer = {
    agencies: [],
    ...Object.fromEntries(
      periods.map((period, i) => [
        `m${period.slice(5)}`,
        {
          ...month(period, []),
          communes: [
            commune("10507", 90, 10, 100),
            commune("10525", 80 + i, 5, 100),
            commune("10532", 70, 10, i < 2 ? 0 : 50),
            commune("10537", 60, 10, 0),
          ],
        },
      ]),
    ),
  } as WebYearReviewQuery;
  const results = yearResults(2026, answer);
  expect(results.communes.map((c) => [c.code, c.rank, c.score, c.lateMonths.length])).toEqual([
    ["10507", 1, 90, 0],
    ["10525", 2, 81, 3],
    ["10532", 3, 70, 0],
    ["10537", 4, 60, 0],
  ]);
  // 10525 late three months; 10537's plan still not issued (10532's issued late, in September)
  expect(results.communeAccountability.map((c) => [c.code, c.planMissing])).toEqual([
    ["10525", false],
    ["10537", true],
  ]);
  expect(results.communeCommendation.map((c) => c.code)).toEqual(["10507", "10532"]);
});
