// What a reader sends: each page's asks with the variables the page builds, its polls with
// ETags, and the next page chosen by weight.
import { flagsFor, monthBefore, SUBGRAPH_KEYS } from "../../../gateway/web/src/agency-subgraph.js";
import { PAGES, type MixArgs, type PageName } from "./args.js";
import type { Operation } from "./documents.js";
import { monthsUpTo } from "./months.js";
import { pick } from "./random.js";
import type { AgencyInfo, World } from "./world.js";

export interface Ask {
  page: PageName;
  operation: Operation;
  variables: Record<string, unknown>;
  /** The page asks it again every 10 s with its ETag. */
  polls: boolean;
  /** Sent with If-None-Match (a page's poll). */
  etag?: string;
}

export interface User {
  id: number;
  rng: () => number;
  token: string;
  /** The agency it acts for; null for the IOC. */
  agency: AgencyInfo | null;
  queue: Ask[];
  /** The asks of the page shown, which its polls repeat. */
  shown: Ask[];
  etags: Map<string, string>;
}

export const askKey = (a: { operation: string; variables: unknown }) =>
  `${a.operation} ${JSON.stringify(a.variables)}`;

/** Builds what opening a page sends, with the variables the page makes. */
function pageAsks(page: PageName, user: User, world: World, rng: () => number): Ask[] {
  const year = rng() < 0.9 ? 2026 : 2030;
  const earlier = (last: string) => {
    const months = monthsUpTo(monthBefore(last));
    return months.length ? pick(rng, months) : last;
  };
  // review pages: mostly the gateway's default (no month in the address), else a month chosen
  const reviewPeriod = () => {
    const r = rng();
    return r < 0.7 ? null : r < 0.85 ? world.latestDue : earlier(world.latestDue);
  };
  const explicit = (last: string) => (rng() < 0.85 ? last : earlier(last));
  const agencyCode = () =>
    user.agency && rng() < 0.7 ? user.agency.code : pick(rng, world.agencies).code;
  const ask = (operation: Operation, variables: Record<string, unknown>, polls = true): Ask => ({
    page,
    operation,
    variables,
    polls,
  });
  switch (page) {
    case "overview":
      return [ask("WebOverview", { year, period: reviewPeriod() })];
    case "indicator": {
      const code = pick(rng, world.indicators);
      const period = explicit(world.latestDue);
      const asks = [
        ask("WebIndicator", { code, year, period }),
        ask("WebExplanations", { agency: null }),
      ];
      // a commune's row opened: its figure's versions
      if (world.levelOf.get(code) === "COMMUNE" && rng() < 0.3) {
        asks.push(ask("WebFigureVersions", { code, unit: pick(rng, world.communes), period }));
      }
      return asks;
    }
    case "agency":
      return [
        ask("WebAgency", {
          year,
          period: reviewPeriod(),
          agency: agencyCode(),
          asOf: world.today,
          dueSoonDays: 30,
        }),
      ];
    case "communes":
      return [ask("WebCommunes", { year, period: reviewPeriod() })];
    case "commune":
      return [
        ask("WebCommune", { year, period: reviewPeriod(), commune: pick(rng, world.communes) }),
      ];
    case "late-reporting":
      return [ask("WebLateReporting", { year, period: reviewPeriod() })];
    case "tasks": {
      const withinDays = rng() < 0.7 ? 30 : pick(rng, [7, 14, 45, 60, 90, 180, 365]);
      return [ask("WebTasks", { year, withinDays, asOf: world.today })];
    }
    case "month-review":
      return [
        ask("WebMonthReview", { year, period: explicit(world.entryMonth) }),
        ask("WebExplanations", { agency: null }),
      ];
    case "agency-month": {
      const agency = user.agency ?? pick(rng, world.reporting);
      const period = explicit(world.entryMonth);
      const asks = [
        // the page asks once for the agency's subgraph, then for its month there
        ask("WebAgencyMonth", { agency: agency.code, period }, false),
        ask("WebAgencyMonth", { agency: agency.code, period, ...flagsFor(agency.key) }),
        ask("WebReminders", { agency: agency.code, period }),
        ask("WebExplanations", { agency: agency.code }),
      ];
      // the figure form opened on one of its indicators
      if (agency.indicators.length > 0 && rng() < 0.5) {
        asks.push(
          ask(
            "WebIndicatorFigures",
            {
              code: pick(rng, agency.indicators).code,
              from: monthBefore(period),
              to: period,
              education: agency.key === "education",
            },
            false,
          ),
        );
      }
      return asks;
    }
    case "data-values": {
      // the month's figures as DHIS2 data values: the IOC every subgraph's, an agency its own
      const period = explicit(world.entryMonth);
      const keys = user.agency ? [user.agency.key] : SUBGRAPH_KEYS;
      return keys.map((key) =>
        ask(
          "WebDataValues",
          { period, limit: DATA_VALUES_PAGE, offset: 0, ...flagsFor(key) },
          false,
        ),
      );
    }
  }
}
export const DATA_VALUES_PAGE = 5000;

/** The pages a caller sees: an agency has its own month rather than the IOC's review. */
function pagesOf(user: User, weights: Record<PageName, number>): [PageName, number][] {
  return PAGES.filter((page) => !(user.agency && page === "month-review")).map((page) => [
    page,
    weights[page],
  ]);
}

export function nextAsk(user: User, world: World, args: MixArgs): Ask {
  for (;;) {
    const queued = user.queue.shift();
    if (queued) return queued;
    if (user.shown.length > 0 && user.rng() < args.pollShare) {
      // the page's poll: the same asks with the last answers' ETags
      user.queue = user.shown.map((a) => {
        const etag = user.etags.get(askKey(a));
        return etag ? { ...a, etag } : { ...a };
      });
      continue;
    }
    const choices = pagesOf(user, args.weights);
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = user.rng() * total;
    let page = choices[0]![0];
    for (const [name, weight] of choices) {
      if ((r -= weight) < 0) {
        page = name;
        break;
      }
    }
    const asks = pageAsks(page, user, world, user.rng);
    user.shown = asks.filter((a) => a.polls);
    user.queue = asks;
  }
}
