// The IOC's six questions, each one operation through the gateway over the real subgraphs, on a
// small data set (support/ioc-data-set.ts) whose answers are worked out by hand below.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue } from "@p06/catalogue";
import { definitions as identityDefinitions } from "@p06/identity";
import {
  leagueTrend,
  monthsOf,
  type LeagueMonth,
} from "../gateway/web/src/report/commune-league.js";
import { A, B, seedIocDataSet } from "./support/ioc-data-set.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const operation = (name: string) =>
  readFileSync(new URL(`../gateway/operations/${name}.graphql`, import.meta.url), "utf8");

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem("ioc");
  await seedIocDataSet(system);
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

type Counts = { status: string; count: number }[];

const COMMUNE_SCORE = `score monthlyScore { total indicators tasks reporting }
  reporting { expected received onTime completeness timeliness missing { code } late { code } }
  implementationPlan { issuedOn documentNumber }`;
interface CommuneScore {
  score: number;
  monthlyScore: Record<"total" | "indicators" | "tasks" | "reporting", number | null>;
  reporting: {
    expected: number;
    received: number;
    onTime: number;
    completeness: number;
    timeliness: number;
    missing: { code: string }[];
    late: { code: string }[];
  };
  implementationPlan: { issuedOn: string; documentNumber: string } | null;
}
type League = {
  unit: { code: string };
  rank: number | null;
  score: number | null;
  monthlyScore: { tasks: number | null };
  implementationPlan: { issuedOn: string; documentNumber: string } | null;
}[];
const count = (counts: Counts, status: string) => counts.find((c) => c.status === status)?.count;

describe("the IOC's questions, one request each", () => {
  it("1. the city scorecard: statuses worked out by hand, counted by status, group and agency", async () => {
    const { data, errors } = await system.query<{ review: { scorecard: Record<string, unknown> } }>(
      operation("1-city-scorecard"),
      { year: 2026, period: "2026-10" },
    );
    expect(errors).toBeUndefined();
    const scorecard = data!.review.scorecard as {
      byStatus: Counts;
      byGroup: { group: { code: string }; total: number; counts: Counts }[];
      byAgency: { agency: { code: string }; total: number; counts: Counts }[];
      indicators: {
        indicator: { code: string };
        progress: { status: string; latest: { value: number } | null };
      }[];
    };
    const status = Object.fromEntries(
      scorecard.indicators.map((i) => [i.indicator.code, i.progress.status]),
    );
    expect(status).toMatchObject({
      // 30 → 60 in 9 months (3.33/month) against 4.55/month needed to reach 80 by December: 73%
      "III.3": "NEEDS_ACCELERATION",
      "I.5": "ACHIEVED",
      // 15 → 40 (2.78/month) against 3.18/month needed: 87%
      "II.5": "NEEDS_ACCELERATION",
      // 10 → 12 against 8.18/month needed: 3%
      "III.9": "LIMITED_PROGRESS",
      "V.2": "DETERIORATING",
      // 40 → 58 (2/month) against 1.82/month needed: 110%
      "II.7": "ON_TRACK",
    });
    expect(
      scorecard.indicators.find((i) => i.indicator.code === "II.5")!.progress.latest!.value,
    ).toBe(40);
    expect(scorecard.byStatus).toEqual([
      { status: "ACHIEVED", count: 1 },
      { status: "ON_TRACK", count: 1 },
      { status: "NEEDS_ACCELERATION", count: 2 },
      { status: "LIMITED_PROGRESS", count: 1 },
      { status: "DETERIORATING", count: 1 },
      { status: "NOT_ACHIEVED", count: 0 },
      { status: "NOT_ASSESSABLE", count: 50 },
    ]);
    const group = (code: string) => scorecard.byGroup.find((g) => g.group.code === code)!;
    expect([group("I").total, count(group("I").counts, "ACHIEVED")]).toEqual([9, 1]);
    expect(count(group("II").counts, "NEEDS_ACCELERATION")).toBe(1);
    expect(count(group("II").counts, "ON_TRACK")).toBe(1);
    const police = scorecard.byAgency.find((a) => a.agency.code === "POLICE")!;
    expect(police.total).toBe(
      catalogue.indicators.filter((i) => i.trackingAgencies.includes("POLICE")).length,
    );
    // III.3 and II.5 (which the police co-track) need acceleration
    expect(count(police.counts, "NEEDS_ACCELERATION")).toBe(2);
  });

  it("2. an agency scorecard: indicators, tasks, reporting and the monthly score", async () => {
    const { data, errors } = await system.query<{ review: { agency: Record<string, unknown> } }>(
      operation("2-agency-scorecard"),
      { year: 2026, period: "2026-10", agency: "POLICE", asOf: "2027-01-15", dueSoonDays: 45 },
    );
    expect(errors).toBeUndefined();
    const card = data!.review.agency as unknown as {
      statusCounts: Counts;
      tasks: {
        overdue: { task: { code: string }; daysLeft: number }[];
        dueSoon: { task: { code: string } }[];
        done: { task: { code: string; updates: { note: string }[] } }[];
      };
      reporting: {
        expected: number;
        received: number;
        onTime: number;
        completeness: number;
        timeliness: number;
      };
      score: { total: number; indicators: number; tasks: number; reporting: number };
    };
    expect(count(card.statusCounts, "NEEDS_ACCELERATION")).toBe(2);
    // VIII.1 was due 2026-12-31; VII.5 is due 2027-02-28 (44 days); II.4 is done
    expect(card.tasks.overdue.map((t) => [t.task.code, t.daysLeft])).toEqual([["VIII.1", -15]]);
    expect(card.tasks.dueSoon.map((t) => t.task.code)).toEqual(["VII.5"]);
    expect(card.tasks.done.map((t) => [t.task.code, t.task.updates[0]?.note])).toEqual([
      ["II.4", "Model launched"],
    ]);
    // every commune for a commune-level identity indicator, the city for the others
    const expected = identityDefinitions.reduce((n, d) => n + (d.level === "COMMUNE" ? 114 : 1), 0);
    // two reports, both sent after the due date (10 November 2026)
    expect(card.reporting).toMatchObject({ expected, received: 2, onTime: 0, timeliness: 0 });
    expect(card.reporting.completeness).toBeCloseTo((2 / expected) * 100, 2);
    // indicators 60 (two needing acceleration), tasks 100 × (1 − 1 overdue ÷ 2 due or done) = 50
    expect(card.score.indicators).toBe(60);
    expect(card.score.tasks).toBe(50);
    expect(card.score.total).toBeCloseTo(0.4 * 60 + 0.3 * 50 + 0.3 * card.score.reporting, 1);
  });

  it("3. a commune drill-down: its figures and its rank among communes", async () => {
    const { data, errors } = await system.query<{ review: { commune: Record<string, unknown> } }>(
      operation("3-commune-drill-down"),
      { year: 2026, period: "2026-10", commune: B },
    );
    expect(errors).toBeUndefined();
    const commune = data!.review.commune as unknown as {
      unit: { name: string };
      rank: number;
      outOf: number;
      score: number;
      indicators: {
        indicator: { code: string };
        reported: boolean;
        value: number | null;
        cityValue: number | null;
        rank: number | null;
        outOf: number;
      }[];
    };
    expect(commune.unit.name).toBe("Phường Hải Dương");
    const iii3 = commune.indicators.find((i) => i.indicator.code === "III.3")!;
    // B's 50% is second of two; the city is 60%
    expect(iii3).toMatchObject({ reported: true, value: 50, cityValue: 60, rank: 2, outOf: 2 });
    expect(commune.indicators.find((i) => i.indicator.code === "I.5")).toMatchObject({
      reported: false,
      rank: null,
      outOf: 1,
    });
    // ranked by the monthly score among the 114: A first (first on everything it reported), B second
    // (last on its only one, but it reported), the 112 that reported nothing after them
    expect([commune.rank, commune.outOf]).toEqual([2, 114]);
  });

  it("3. a commune's monthly score: its indicator results, its reporting and its plan, weighted", async () => {
    const { data, errors } = await system.query<{ review: { commune: CommuneScore } }>(
      `query ($commune: ID!) { review(year: 2026, period: "2026-10") { commune(code: $commune) { ${COMMUNE_SCORE} } } }`,
      { commune: B },
    );
    expect(errors).toBeUndefined();
    const { score, monthlyScore, reporting, implementationPlan } = data!.review.commune;
    // B reported III.3 alone of the commune-level indicators, after the due date (the system runs
    // on today's clock), and was last of two on it; it has no implementation plan, due in June
    expect(reporting.received).toBe(1);
    expect(reporting.onTime).toBe(0);
    expect(reporting.late.map((i) => i.code)).toEqual(["III.3"]);
    expect(reporting.missing).toHaveLength(reporting.expected - 1);
    const completeness = Math.round((100 / reporting.expected) * 100) / 100;
    expect([reporting.completeness, reporting.timeliness]).toEqual([completeness, 0]);
    expect(monthlyScore).toEqual({
      total: score,
      indicators: 0,
      tasks: 0,
      reporting: Math.round((completeness / 2) * 100) / 100,
    });
    expect(score).toBeCloseTo(0.3 * (completeness / 2), 2);
    expect(implementationPlan).toBeNull();
  });

  it("the communes' league table: a commune plan recorded moves its score, month by month", async () => {
    // the IOC's reviewer records B's plan, issued on 12 June: on time
    const recorded = await system.query(
      `mutation { recordCommunePlan(input: { unit: "${B}", issuedOn: "2026-06-12", documentNumber: "52/KH-UBND" }) { onTime recordedBy } }`,
    );
    expect(recorded).toEqual({ data: { recordCommunePlan: { onTime: true, recordedBy: "IOC" } } });
    // an agency may not record it (the commune's chairman or the IOC's reviewer does), nor the IOC a
    // day still to come
    const refused = await system.query(
      `mutation { recordCommunePlan(input: { unit: "${A}", issuedOn: "2026-06-12", documentNumber: "1/KH-UBND" }) { onTime } }`,
      {},
      "POLICE",
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      roles: ["ioc-reviewer", "commune-chair"],
    });
    const future = await system.query(
      `mutation { recordCommunePlan(input: { unit: "${A}", issuedOn: "2099-01-01", documentNumber: "1/KH-UBND" }) { onTime } }`,
    );
    expect(future.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "issuedOn",
    });

    const { data, errors } = await system.query<{
      review: Omit<LeagueMonth, "communes"> & { communes: League };
    }>(operation("web-commune-league"), { year: 2026, period: "2026-10" });
    expect(errors).toBeUndefined();
    const october = data!.review;
    // six months, oldest first: May to October
    expect(monthsOf(october).map((m) => m.period)).toEqual([
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
    ]);
    const row = (code: string) => october.communes.find((c) => c.unit.code === code)!;
    expect(october.communes.slice(0, 2).map((c) => [c.unit.code, c.rank])).toEqual([
      [A, 1],
      [B, 2],
    ]);
    expect(row(B).implementationPlan).toEqual({
      issuedOn: "2026-06-12",
      documentNumber: "52/KH-UBND",
    });
    expect(row(B).monthlyScore.tasks).toBe(100);
    // each month is its own review: September's as a request for September alone gives it
    const september = await system.query<{ review: LeagueMonth }>(
      `{ review(year: 2026, period: "2026-09") { period communes { unit { code } rank score } } }`,
    );
    expect(september.errors).toBeUndefined();
    expect(monthsOf(october).at(-2)).toEqual({
      ...september.data!.review,
      previousMonth: expect.anything(),
    });
    // September had no figures: B's plan (full tasks part) put it first, everyone else at 0, tied
    const trend = new Map(leagueTrend(october).map((r) => [r.code, r]));
    expect(trend.get(B)!.months.at(-2)).toEqual({ period: "2026-09", rank: 1, score: 50 });
    expect(trend.get(A)!.months.at(-2)).toEqual({ period: "2026-09", rank: 2, score: 0 });
    // in May the plan was not yet due and nobody reported: every unit 0 on reporting alone, tied first
    expect(trend.get(B)!.months[0]).toEqual({ period: "2026-05", rank: 1, score: 0 });
    expect(trend.get(A)!.months[0]).toEqual({ period: "2026-05", rank: 1, score: 0 });
    expect([trend.get(A)!.change, trend.get(B)!.change]).toEqual([1, -1]);
  });

  it("4. late reporting: by agency and unit, what is missing and what came late", async () => {
    const { data, errors } = await system.query<{
      review: {
        lateReporting: {
          agency: { code: string };
          unit: { code: string };
          missing: { code: string }[];
          late: { code: string }[];
        }[];
      };
    }>(operation("4-late-reporting"), { year: 2026, period: "2026-10" });
    expect(errors).toBeUndefined();
    const entry = (agency: string, unit: string) =>
      data!.review.lateReporting.find((r) => r.agency.code === agency && r.unit.code === unit);
    const communeLevel = identityDefinitions
      .filter((d) => d.level === "COMMUNE")
      .map((d) => d.code);
    expect(entry("POLICE", A)).toEqual({
      agency: { code: "POLICE", name: "City Police" },
      unit: { code: A, name: "Phường Thành Đông" },
      missing: communeLevel.filter((code) => code !== "III.3").map((code) => ({ code })),
      late: [{ code: "III.3" }],
    });
    // the State Bank reported II.7 (late); its other plan-held indicators are missing at the city
    expect(entry("SBV6", "31")!.late).toEqual([{ code: "II.7" }]);
    expect(entry("SBV6", "31")!.missing.map((i) => i.code)).toEqual(["II.9", "II.11"]);
  });

  it("5. an indicator's monthly series with its projection to the target year", async () => {
    const { data, errors } = await system.query<{ indicator: Record<string, unknown> }>(
      operation("5-indicator-series"),
      {
        code: "III.3",
        year: 2026,
      },
    );
    expect(errors).toBeUndefined();
    const indicator = data!.indicator as unknown as {
      __typename: string;
      series: unknown[];
      progress: Record<string, unknown>;
    };
    expect(indicator.__typename).toBe("IdentityIndicator");
    expect(indicator.series).toEqual([
      {
        period: "2026-01",
        numerator: 60,
        denominator: 200,
        value: 30,
        reportingUnits: 2,
        source: "AGGREGATED",
      },
      {
        period: "2026-10",
        numerator: 120,
        denominator: 200,
        value: 60,
        reportingUnits: 2,
        source: "AGGREGATED",
      },
    ]);
    expect(indicator.progress).toEqual({
      status: "NEEDS_ACCELERATION",
      baseline: { period: "2026-01", value: 30 },
      latest: { period: "2026-10", value: 60 },
      gap: 20,
      // 60 + 2 months × 3.3333
      projection: 66.6667,
      observedRatePerYear: 40,
      // (80 − 30) ÷ 11 months × 12
      requiredRatePerYear: 54.5455,
      paceRatio: 0.7333,
      projectionSeries: [
        { period: "2026-11", value: 63.3333 },
        { period: "2026-12", value: 66.6667 },
      ],
    });
  });

  it("6. tasks overdue or due within N days, with their lead agencies' statuses", async () => {
    const { data, errors } = await system.query<{
      review: {
        tasksDue: {
          task: { code: string };
          daysLeft: number;
          overdue: boolean;
          leadAgencies: { agency: { code: string }; statusCounts: Counts }[];
        }[];
      };
    }>(operation("6-tasks-due"), { year: 2026, withinDays: 45, asOf: "2027-01-15" });
    expect(errors).toBeUndefined();
    const due = data!.review.tasksDue;
    expect(due.map((t) => [t.task.code, t.daysLeft, t.overdue])).toEqual([
      ["II.1", -229, true],
      ["IV.4", -199, true],
      ["IV.8", -199, true],
      ["I.2", -15, true],
      ["II.2", -15, true],
      ["II.8", -15, true],
      ["VI.4", -15, true],
      ["VIII.1", -15, true],
      ["IV.6", 44, false],
      ["VII.5", 44, false],
    ]);
    const vii5 = due.find((t) => t.task.code === "VII.5")!;
    expect(vii5.leadAgencies.map((l) => l.agency.code)).toEqual(["DOHA", "POLICE"]);
    expect(count(vii5.leadAgencies[1]!.statusCounts, "NEEDS_ACCELERATION")).toBe(2);
    // the Department of Home Affairs co-tracks V.2, which is deteriorating
    expect(count(vii5.leadAgencies[0]!.statusCounts, "DETERIORATING")).toBe(1);
  });

  // last: it changes the data the questions above were worked out on
  it("a figure submitted through the gateway shows in the very next scorecard", async () => {
    const scorecard = async () => {
      const { data, errors } = await system.query<{
        review: {
          scorecard: {
            indicators: {
              indicator: { code: string };
              progress: { status: string; latest: { value: number } | null };
            }[];
          };
        };
      }>(operation("1-city-scorecard"), { year: 2026, period: "2026-10" });
      expect(errors).toBeUndefined();
      return data!.review.scorecard.indicators.find((i) => i.indicator.code === "III.3")!.progress;
    };
    expect(await scorecard()).toMatchObject({
      status: "NEEDS_ACCELERATION",
      latest: { value: 60 },
    });
    // commune B corrects October from 50/100 to 90/100: the city is 160/200 = 80%, the target
    const corrected = await system.query(
      `mutation { submitIdentityValue(input: { indicator: "III.3", unit: "${B}", period: "2026-10", numerator: 90, denominator: 100 }) { version } }`,
      {},
      "POLICE",
    );
    expect(corrected).toEqual({ data: { submitIdentityValue: { version: 2 } } });
    expect(await scorecard()).toMatchObject({ status: "ACHIEVED", latest: { value: 80 } });
  });
});
