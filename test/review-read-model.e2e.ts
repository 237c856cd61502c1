// The plan's review holds the agencies' figures as a read model (subgraphs/plan/src/agency-figures.ts):
// a page of the review is one fetch to the plan, which reads an agency's figures again only when that
// agency has written. Counted at the gateway, per subgraph: after a figure written to health, the
// scorecard, an agency and the communes grid show it, health is read again, and no other agency is.
// A figure of a later month changes nothing of October's review, its indicators' series included
// (they stand as of the review's month): the answer kept for it is given again with no fetch at
// all, while November's review shows the figure. An agency's month page is kept the same way,
// though it reads its subgraph twice (the month, and its indicators' measure kept from before).
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSystem, type RunningSystem } from "./support/system.js";

let system: RunningSystem;
const base = () => system.gatewayUrl.replace(/\/graphql$/, "");

beforeAll(async () => {
  system = await startSystem("review-read-model");
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

const PERIOD = "2026-10";
const UNIT = "10525";

/** Subgraph requests the gateway made so far, by subgraph. */
async function subgraphRequests(): Promise<Record<string, number>> {
  const text = await (await fetch(`${base()}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, subgraph, count] of text.matchAll(
    /^p06_gateway_subgraph_duration_seconds_count\{subgraph="([^"]+)"\} (\d+)/gm,
  )) {
    counts[subgraph!] = Number(count);
  }
  return counts;
}

interface Pages {
  review: {
    scorecard: {
      indicators: {
        indicator: { code: string; series: { period: string; value: number | null }[] };
        progress: { latest: { value: number | null } | null };
      }[];
    };
    agency: { agency: { code: string }; reporting: { received: number } } | null;
    communes: { unit: { code: string } }[];
  };
}

const PAGES = `query($period: String!) { review(year: 2026, period: $period) {
  scorecard { indicators { indicator { code series { period value } } progress { latest { value } } } }
  agency(code: "DOH") { agency { code } reporting { received } }
  communes { unit { code } }
} }`;

async function pages(period = PERIOD): Promise<Pages["review"]> {
  const { data, errors } = await system.query<Pages>(PAGES, { period });
  expect(errors).toBeUndefined();
  return data!.review;
}

/** Health's II.12 of the commune for a month, written as DOH. */
async function writeHealth(period: string, numerator: number) {
  const { errors } = await system.query(
    `mutation { submitHealthValue(input: { indicator: "II.12", unit: "${UNIT}", period: "${period}", numerator: ${numerator}, denominator: 4 }) { version } }`,
    {},
    "DOH",
  );
  expect(errors).toBeUndefined();
}

/** How many requests each subgraph got between two counts. */
const readsBetween =
  (counted: Record<string, number>, now: Record<string, number>) => (subgraph: string) =>
    (now[subgraph] ?? 0) - (counted[subgraph] ?? 0);

/** One of the dashboard's own documents (gateway/operations/). */
const dashboardDocument = (file: string) =>
  readFile(new URL(`../gateway/operations/${file}`, import.meta.url), "utf8");

/** A document's answer as the IOC, which must have no error. */
async function answerOf<Data>(document: string, variables: Record<string, unknown>): Promise<Data> {
  const { data, errors } = await system.query<Data>(document, variables);
  expect(errors).toBeUndefined();
  return data!;
}

/** How many answers to an operation the gateway has given from those it kept. */
async function keptAnswers(operation: string): Promise<number> {
  const text = await (await fetch(`${base()}/metrics`)).text();
  const match = new RegExp(
    `^p06_gateway_answers_total\\{operation="${operation}",source="kept"\\} (\\d+)`,
    "m",
  ).exec(text);
  return Number(match?.[1] ?? 0);
}

const cityValue = (review: Pages["review"], code: string) =>
  review.scorecard.indicators.find((row) => row.indicator.code === code)?.progress.latest?.value;

it(
  "reads only the agency that wrote again, and every page of the month shows its figure",
  { timeout: 60_000 },
  async () => {
    const before = await pages();
    expect(before.communes.length).toBeGreaterThan(100);
    await pages();
    const counted = await subgraphRequests();

    await writeHealth(PERIOD, 3);
    const after = await pages();
    const now = await subgraphRequests();

    // the city's II.12 moved with the commune's new figure, and health's month counts it received
    expect(cityValue(after, "II.12")).not.toBe(cityValue(before, "II.12"));
    expect(after.agency!.reporting.received).toBe(before.agency!.reporting.received + 1);
    const read = readsBetween(counted, now);
    // the write, and the plan reading health's figures of the month again
    expect(read("health")).toBeGreaterThanOrEqual(2);
    expect(read("plan")).toBeGreaterThanOrEqual(1);
    for (const agency of ["identity", "procedures", "education", "social-security"]) {
      expect({ agency, read: read(agency) }).toEqual({ agency, read: 0 });
    }
  },
);

it(
  "keeps a month's review through a write to a later month, and shows it in that month's",
  { timeout: 60_000 },
  async () => {
    const LATER = "2026-11";
    const before = await pages();
    const laterBefore = await pages(LATER);
    await pages();
    const counted = await subgraphRequests();

    await writeHealth(LATER, 1);
    const after = await pages();
    const read = readsBetween(counted, await subgraphRequests());
    // the write alone: October's pages came kept, from no subgraph
    for (const subgraph of ["plan", "identity", "procedures", "education", "social-security"]) {
      expect({ subgraph, read: read(subgraph) }).toEqual({ subgraph, read: 0 });
    }
    expect(read("health")).toBe(1);
    expect(after).toEqual(before);
    // a page of October not asked before: the plan computes it from the series it held before the
    // write (they hold up to October), reading no agency again
    const { data: sparklines, errors } = await system.query<{
      review: { scorecard: { indicators: { indicator: { series: unknown[] } }[] } };
    }>(
      `query($period: String!) { review(year: 2026, period: $period) { scorecard { indicators { indicator { series { period } } } } } }`,
      { period: PERIOD },
    );
    expect(errors).toBeUndefined();
    expect(sparklines!.review.scorecard.indicators.length).toBe(after.scorecard.indicators.length);
    const fresh = readsBetween(counted, await subgraphRequests());
    expect(fresh("plan")).toBe(1);
    expect(fresh("health")).toBe(1);
    // every indicator's series ends at the review's month, as its progress does
    const lastMonths = after.scorecard.indicators.map((row) => row.indicator.series.at(-1)?.period);
    expect(lastMonths.filter((month) => month !== undefined && month > PERIOD)).toEqual([]);
    expect(lastMonths).toContain(PERIOD);

    // November's review reads health's figures again and counts the commune's report
    const laterAfter = await pages(LATER);
    expect(laterAfter.agency!.reporting.received).toBe(laterBefore.agency!.reporting.received + 1);
    const novemberOf = (review: Pages["review"]) =>
      review.scorecard.indicators
        .find((row) => row.indicator.code === "II.12")
        ?.indicator.series.find((month) => month.period === LATER)?.value;
    expect(novemberOf(laterAfter)).not.toBe(novemberOf(laterBefore));
    expect(readsBetween(counted, await subgraphRequests())("plan")).toBeGreaterThanOrEqual(1);
  },
);

it(
  "gives an indicator's series and progress from the series it holds: one fetch, read again after a write",
  { timeout: 60_000 },
  async () => {
    const INDICATOR = `{ indicator(code: "II.12") {
      series { period value }
      progress(year: 2026) { latest { period value } }
    } }`;
    type Answer = {
      indicator: {
        series: { period: string; value: number | null }[];
        progress: { latest: { period: string; value: number | null } | null };
      };
    };
    const ask = async () => {
      const { data, errors } = await system.query<Answer>(INDICATOR);
      expect(errors).toBeUndefined();
      return data!.indicator;
    };
    const october = (answer: Answer["indicator"]) =>
      answer.series.find((month) => month.period === PERIOD)?.value;
    const before = await ask();
    const counted = await subgraphRequests();
    await writeHealth(PERIOD, 4);
    const after = await ask();
    const read = readsBetween(counted, await subgraphRequests());

    expect(october(after)).not.toBe(october(before));
    expect(after.progress.latest?.period).toBe(after.series.at(-1)?.period);
    // one fetch to the plan, which read health's series again (the write, and that read)
    expect(read("plan")).toBe(1);
    expect(read("health")).toBe(2);
    for (const agency of ["identity", "procedures", "education", "social-security"]) {
      expect({ agency, read: read(agency) }).toEqual({ agency, read: 0 });
    }
  },
);

it(
  "keeps an indicator's page of a month, its communes' figures included, through a write to a later month",
  { timeout: 60_000 },
  async () => {
    const PAGE = `query($period: String!) { indicator(code: "II.12") {
      series(upTo: $period) { period value }
      progress(year: 2026, upTo: $period) { latest { period value } }
      ... on HealthIndicator {
        values(from: $period, to: $period) { unit value }
        history(unit: "${UNIT}", period: $period) { version value }
      }
    } }`;
    type Answer = {
      indicator: {
        series: { period: string }[];
        progress: { latest: { period: string } | null };
        values: { unit: string; value: number | null }[];
        history: { version: number }[];
      };
    };
    const ask = async (period: string) => {
      const { data, errors } = await system.query<Answer>(PAGE, { period });
      expect(errors).toBeUndefined();
      return data!.indicator;
    };
    const before = await ask(PERIOD);
    expect(before.series.at(-1)?.period).toBe(PERIOD);
    expect(before.progress.latest?.period).toBe(PERIOD);
    expect(before.values.length).toBeGreaterThan(0);
    const laterBefore = await ask("2026-11");
    const counted = await subgraphRequests();

    await writeHealth("2026-11", 2);
    const after = await ask(PERIOD);
    const read = readsBetween(counted, await subgraphRequests());
    // the write alone: October's page came kept, from no subgraph
    expect(read("health")).toBe(1);
    expect(read("plan")).toBe(0);
    expect(after).toEqual(before);
    // November's shows the figure
    const laterAfter = await ask("2026-11");
    const figure = (page: Answer["indicator"]) => page.values.find((v) => v.unit === UNIT)?.value;
    expect(figure(laterAfter)).not.toBe(figure(laterBefore));
    expect(laterAfter.history.length).toBe(laterBefore.history.length + 1);

    // a month that is not one is refused, naming the argument
    const { errors } = await system.query(
      `{ indicator(code: "II.12") { series(upTo: "2026-13") { period } } }`,
    );
    expect(errors?.[0]?.extensions).toMatchObject({ code: "INVALID_PERIOD", argumentName: "upTo" });
  },
);

it(
  "keeps an agency's month page after a write to it, though it read its subgraph twice at two versions, and the month before through it",
  { timeout: 60_000 },
  async () => {
    // the dashboard's own document: the agency's month, and its indicators' measure from the same
    // subgraph (an entity fetch, kept by the gateway from before the write: it reads no month)
    const document = await dashboardDocument("web-agency-month.graphql");
    const ask = async (period: string) =>
      (
        await answerOf<{ healthMonth: { period: string; obligations: unknown[] } }>(document, {
          agency: "DOH",
          period,
          health: true,
        })
      ).healthMonth;
    const kept = () => keptAnswers("WebAgencyMonth");
    const LATER = "2026-11";
    const october = await ask(PERIOD);
    expect(october.obligations.length).toBeGreaterThan(0);
    await ask(LATER);
    await ask(LATER);
    const keptBefore = await kept();
    expect(keptBefore).toBeGreaterThanOrEqual(1);

    await writeHealth(LATER, 3);
    // October's month reads nothing of November: kept through the write
    expect(await ask(PERIOD)).toEqual(october);
    expect(await kept()).toBe(keptBefore + 1);
    // November's is computed again (the write dropped it): the month read at the write's version,
    // the indicators' measure from the fetch the gateway kept from before the write
    const after = await ask(LATER);
    expect(after.period).toBe(LATER);
    expect(await kept()).toBe(keptBefore + 1);
    // and kept: both reads hold together until health changes again
    expect(await ask(LATER)).toEqual(after);
    expect(await kept()).toBe(keptBefore + 2);
  },
);

it(
  "keeps an agency's month page and its reminders through a later month's write by one of the plan's agencies",
  { timeout: 60_000 },
  async () => {
    // the dashboard's own documents: the agency's page names every agency subgraph's month field and
    // includes only its own (@include); the plan's share of it reads no month
    const [monthDocument, remindersDocument] = await Promise.all([
      dashboardDocument("web-agency-month.graphql"),
      dashboardDocument("web-reminders.graphql"),
    ]);
    const ask = (document: string) =>
      answerOf(document, { agency: "DOH", period: PERIOD, health: true });
    const month = await ask(monthDocument);
    const reminders = await ask(remindersDocument);
    const keptBefore = [await keptAnswers("WebAgencyMonth"), await keptAnswers("WebReminders")];

    // the State Bank (a plan agency) writes November
    const { errors } = await system.query(
      `mutation { submitPlanValue(input: { indicator: "II.7", unit: "31", period: "2026-11", numerator: 61, denominator: 100 }) { version } }`,
      {},
      "SBV6",
    );
    expect(errors).toBeUndefined();
    expect(await ask(monthDocument)).toEqual(month);
    expect(await ask(remindersDocument)).toEqual(reminders);
    expect([await keptAnswers("WebAgencyMonth"), await keptAnswers("WebReminders")]).toEqual(
      keptBefore.map((count) => count + 1),
    );
  },
);
