import { asOfMonth } from "../as-of.js";
import { agencySubgraphs, catalogue, CITY } from "@p06/catalogue";
import {
  formatStamps,
  indicatorMonthState,
  lastChangeUpTo,
  page,
  readableUnits,
  readsUpTo,
  userError,
  type PageArguments,
} from "@p06/subgraph-kit";
import type { GraphQLResolveInfo } from "graphql";
import { noteAgencyReads } from "../agency-figures.js";
import type { PlanContext } from "../context.js";
import { Review, type ReviewFigures } from "../review.js";
import { planDefinitions } from "../values.js";

const planWriters = new Map(planDefinitions.map((d) => [d.code, d.writers]));

/**
 * The plan's own figures for a review, read from its store as an agency's subgraph gives its own:
 * each indicator's summary (with its communes ranked and where its last month stands) and reporting.
 */
function planFigures(year: number, period: string, ctx: PlanContext): ReviewFigures {
  const { store } = ctx.values;
  return {
    summaries: store.summaries(year, period).map((summary) => ({
      ...summary,
      rankedUnits:
        summary.reportingLevel === "COMMUNE" ? store.rankedUnits(summary.code, period) : [],
      latestMonthState: indicatorMonthState(
        ctx.values.months,
        planWriters.get(summary.code) ?? [],
        summary.lastMonth?.period,
      ),
    })),
    reporting: store.reporting(period),
    supplementarySummaries: store.summaries(year, period, true),
    supplementaryReporting: store.reporting(period, true),
  };
}
import { checkDay, checkPeriod, checkYear } from "./arguments.js";
import { lateSupplementaryFields, SupplementaryStanding } from "./supplementary.js";

/** The largest page of late reports (the schema gives the default). */
const MAX_LATE_REPORTS_PAGE = 5000;

/** A review as the gateway sends it: its key. */
interface ReviewReference {
  year: number;
  period: string;
}

/** The review of a month for a request: built once a request, kept across requests (reviewFor). */
function reviewOf(reference: ReviewReference, ctx: PlanContext): Promise<Review> {
  const key = `${reference.year}|${reference.period}`;
  const cached = ctx.requestReviews.get(key);
  if (cached) return cached;
  const built = reviewFor(reference.year, reference.period, ctx);
  ctx.requestReviews.set(key, built);
  return built;
}

/**
 * A month's review from the agencies' figures held (agency-figures.ts) and the plan's own: the same
 * for every page of the month that one person may see, so it is built once for each version of what
 * it reads and kept while nothing it read has moved. The answer names the agencies' versions it read,
 * and says which agencies' figures could not be had.
 */
async function reviewFor(year: number, period: string, ctx: PlanContext): Promise<Review> {
  const month = await ctx.agencyFigures.monthFigures(
    year,
    period,
    ctx.knownVersions,
    ctx.requestId,
  );
  noteAgencyReads(ctx, month);
  // a commune's person sees their own rank among all, not the others' figures (the kit's rule)
  const readable = readableUnits(ctx, CITY.code);
  const complete = month.errors.length === 0;
  const key = [
    year,
    period,
    ctx.commune ?? "",
    // the plan's own figures and state as of the last change that reaches this month
    lastChangeUpTo(ctx.values.replica.steps, period),
    formatStamps(Object.entries(month.reads)),
  ].join("|");
  const kept = complete ? ctx.reviews.get(key) : undefined;
  if (kept) return kept;
  const built = buildReview(year, period, ctx, month.values, readable);
  if (complete) {
    ctx.reviews.set(key, built);
    built.catch(() => ctx.reviews.delete(key));
  }
  return built;
}

/** Only the rows of the units one may read, of every commune-level ranking. */
function readableFigures(figures: ReviewFigures, readable: ReadonlySet<string>): ReviewFigures {
  return {
    ...figures,
    ...(figures.summaries && {
      summaries: figures.summaries.map((summary) => ({
        ...summary,
        ...(summary.rankedUnits && {
          rankedUnits: summary.rankedUnits.filter((rank) => readable.has(rank.unit)),
        }),
      })),
    }),
  };
}

async function buildReview(
  year: number,
  period: string,
  ctx: PlanContext,
  agencyFigures: ReadonlyMap<string, ReviewFigures | null>,
  readable: ReadonlySet<string> | null,
): Promise<Review> {
  const { indicators, tasks } = ctx.state;
  const updates = await ctx.loaders.taskUpdates.loadMany(tasks.map((t) => t.code));
  const received = agencySubgraphs.flatMap((spec) => {
    const figures = agencyFigures.get(spec.name);
    if (!figures) return [];
    return [readable ? readableFigures(figures, readable) : figures];
  });
  return new Review({
    year,
    period,
    indicators: indicators.map((indicator) => asOfMonth(indicator, period)),
    tasks,
    assignments: ctx.state.allAssignments(),
    figures: [planFigures(year, period, ctx), ...received],
    // a subgraph that did not answer costs only its own indicators
    unavailable: new Set(
      agencySubgraphs.filter((spec) => !agencyFigures.get(spec.name)).map((spec) => spec.name),
    ),
    communeUnits: ctx.state.reportingUnits
      .filter((u) => u.kind !== "CITY" && u.active)
      .map((u) => u.code),
    communePlans: ctx.state.communePlans,
    taskUpdates: new Map(
      tasks.flatMap((task, i) => {
        const list = updates[i];
        const latest = Array.isArray(list) ? list.at(-1) : undefined;
        return latest ? [[task.code, latest] as const] : [];
      }),
    ),
  });
}

/** The days ahead a task counts as due soon: 0 to 366, 30 by default. */
function checkDueSoonDays(value: number | null | undefined): number {
  const days = value ?? 30;
  if (!Number.isInteger(days) || days < 0 || days > 366) {
    throw userError("dueSoonDays must be a whole number of days from 0 to 366", {
      argumentName: "dueSoonDays",
    });
  }
  return days;
}

/** The month before a month YYYY-MM within its calendar year; null for January. */
export function previousMonth(period: string): string | null {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return month > 1 ? `${year}-${String(month - 1).padStart(2, "0")}` : null;
}

/** The review's resolvers, reading the plan-held figures through the plan's one values module. */
export const createProgressReview = () => ({
  // a month's review reads nothing of a later month: its indicators stand as of it (as-of.ts)
  __resolveReference(reference: ReviewReference, ctx: PlanContext, info: GraphQLResolveInfo) {
    readsUpTo(ctx, info, reference.period);
    return reference;
  },
  // each month's review is an entity of its own: the gateway brings every agency's figures of that
  // month, and the month's fields are worked out from its own (not a list: each month costs exactly one)
  previousMonth(review: ReviewReference) {
    const period = previousMonth(review.period);
    return period ? { year: review.year, period } : null;
  },
  // the plan's own figures, resolved by the kit's AgencyFigures resolvers as an agency's are
  plan: (review: ReviewReference) => ({ year: review.year, period: review.period }),
  scorecard: async (review: ReviewReference, _: unknown, ctx: PlanContext) =>
    (await reviewOf(review, ctx)).scorecard(),
  async agency(
    review: ReviewReference,
    args: { code: string; asOf?: string | null; dueSoonDays?: number | null },
    ctx: PlanContext,
  ) {
    if (!(await ctx.loaders.agency.load(args.code))) {
      throw userError(`unknown agency "${args.code}": see the agencies query for the codes`, {
        argumentName: "code",
      });
    }
    const days = checkDueSoonDays(args.dueSoonDays);
    return (await reviewOf(review, ctx)).agency(args.code, checkDay(args.asOf), days);
  },
  async agencyScorecards(
    review: ReviewReference,
    args: { asOf?: string | null; dueSoonDays?: number | null },
    ctx: PlanContext,
  ) {
    const days = checkDueSoonDays(args.dueSoonDays);
    const asOf = checkDay(args.asOf);
    const built = await reviewOf(review, ctx);
    // the agencies with something to score: tracking an indicator or leading a task
    const scored = new Set([
      ...ctx.state.indicators.flatMap((indicator) => indicator.trackingAgencies),
      ...ctx.state.tasks.flatMap((task) => task.leadAgencies),
    ]);
    return catalogue.agencies
      .filter((agency) => scored.has(agency.code))
      .map((agency) => built.agency(agency.code, asOf, days));
  },
  async commune(review: ReviewReference, { code }: { code: string }, ctx: PlanContext) {
    const unit = await ctx.loaders.reportingUnit.load(code);
    if (!unit || unit.kind === "CITY") {
      throw userError(`"${code}" is not a commune, ward or special zone code`, {
        argumentName: "code",
      });
    }
    return (await reviewOf(review, ctx)).commune(code);
  },
  communes: async (review: ReviewReference, _: unknown, ctx: PlanContext) =>
    (await reviewOf(review, ctx)).communes(
      ctx.state.reportingUnits.filter((u) => u.kind !== "CITY" && u.active).map((u) => u.code),
    ),
  lateReporting: async (review: ReviewReference, args: PageArguments, ctx: PlanContext) =>
    page((await reviewOf(review, ctx)).lateReporting(), args, MAX_LATE_REPORTS_PAGE),
  async tasksDue(
    review: ReviewReference,
    args: { withinDays: number; asOf?: string | null },
    ctx: PlanContext,
  ) {
    if (!Number.isInteger(args.withinDays) || args.withinDays < 0 || args.withinDays > 3660) {
      throw userError("withinDays must be a whole number of days from 0 to 3660", {
        argumentName: "withinDays",
      });
    }
    return (await reviewOf(review, ctx)).tasksDue(args.withinDays, checkDay(args.asOf));
  },
});

export const reviewQuery = {
  review(
    _: unknown,
    args: { year: number; period?: string | null },
    ctx: PlanContext,
    info: GraphQLResolveInfo,
  ) {
    const review = { year: checkYear(args.year), period: checkPeriod(args.period) };
    readsUpTo(ctx, info, review.period);
    return review;
  },
};

const agencyOf = (item: { agencyCode: string }, _: unknown, ctx: PlanContext) =>
  ctx.loaders.agency.load(item.agencyCode);

/** The view types: codes become entities through the request's loaders. */
export const reviewTypes = {
  AgencyStatusCounts: { agency: agencyOf },
  AgencyScorecard: { agency: agencyOf },
  LeadAgencyStatus: { agency: agencyOf },
  CommuneDrillDown: {
    unit: (item: { unitCode: string }, _: unknown, ctx: PlanContext) =>
      ctx.loaders.reportingUnit.load(item.unitCode),
  },
  CommuneReporting: {
    missing: (item: { missing: string[] }, _: unknown, ctx: PlanContext) =>
      ctx.loaders.indicator.loadMany(item.missing),
    late: (item: { late: string[] }, _: unknown, ctx: PlanContext) =>
      ctx.loaders.indicator.loadMany(item.late),
  },
  LateReport: {
    agency: agencyOf,
    unit: (item: { unitCode: string }, _: unknown, ctx: PlanContext) =>
      ctx.loaders.reportingUnit.load(item.unitCode),
    missing: (item: { missing: string[] }, _: unknown, ctx: PlanContext) =>
      ctx.loaders.indicator.loadMany(item.missing),
    late: (item: { late: string[] }, _: unknown, ctx: PlanContext) =>
      ctx.loaders.indicator.loadMany(item.late),
    ...lateSupplementaryFields,
  },
  SupplementaryStanding,
};
