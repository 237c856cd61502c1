// A reporting subgraph's part of the plan's review: its field on ProgressReview, the figures it
// gives there, and where each indicator's latest month stands in its review.
import type { GraphQLResolveInfo } from "graphql";
import { userError } from "../errors.js";
import type { PageArguments } from "../paging.js";
import { readableUnits } from "./commune-reads.js";
import type { KitContext } from "./context.js";
import type { IndicatorSummary } from "./figures.js";
import type { monthModule } from "./month-module.js";
import { indicatorMonthState } from "./months.js";
import { readsUpTo } from "../read-scope.js";
import { checkPeriodArgument } from "./rules.js";
import type { ValuesSettings } from "./settings.js";

/** A review as a reporting subgraph reads it: its key. */
interface ReviewMonth {
  year: number;
  period: string;
}

export function reviewResolvers(
  { definitions, reviewField, cityCode }: ValuesSettings,
  months: ReturnType<typeof monthModule>,
) {
  const figuresOf = (review: ReviewMonth) => {
    checkPeriodArgument(review.period, "period");
    if (!Number.isInteger(review.year) || review.year < 2000 || review.year > 2100) {
      throw userError("year must be a calendar year from 2000 to 2100", { argumentName: "year" });
    }
    return { year: review.year, period: review.period };
  };
  // a month's figures read nothing of a later month: kept through the writes of the month after
  const progressReview = reviewField
    ? {
        ProgressReview: {
          __resolveReference: (review: ReviewMonth, ctx: KitContext, info: GraphQLResolveInfo) => {
            readsUpTo(ctx, info, review.period);
            return review;
          },
          [reviewField]: figuresOf,
        },
        Query: {
          // every month of every plan indicator held here: no month said
          [`${reviewField}Series`]: (_: unknown, __: unknown, ctx: KitContext) =>
            [...definitions.values()]
              .filter((definition) => !definition.supplementary)
              .map(({ code, measure, aggregation }) => ({
                code,
                measure,
                timeAggregation: aggregation,
                citySeries: ctx.values.store.citySeries(code),
              })),
          [reviewField]: (
            _: unknown,
            args: ReviewMonth,
            ctx: KitContext,
            info: GraphQLResolveInfo,
          ) => {
            const month = figuresOf(args);
            readsUpTo(ctx, info, month.period);
            return month;
          },
        },
      }
    : {};
  const writersOf = (code: string) => definitions.get(code)?.writers ?? [];
  return {
    AgencyFigures: {
      agencies: (_: ReviewMonth, __: unknown, ctx: KitContext) => ctx.values.store.agencies,
      indicators: ({ period }: ReviewMonth, _: unknown, ctx: KitContext) =>
        ctx.values.store.indicatorFigures(period),
      reporting: ({ period }: ReviewMonth, _: unknown, ctx: KitContext) =>
        ctx.values.store.reporting(period),
      supplementaryIndicators: ({ period }: ReviewMonth, _: unknown, ctx: KitContext) =>
        ctx.values.store.indicatorFigures(period, true),
      supplementaryReporting: ({ period }: ReviewMonth, _: unknown, ctx: KitContext) =>
        ctx.values.store.reporting(period, true),
      summaries: ({ year, period }: ReviewMonth, _: unknown, ctx: KitContext) =>
        ctx.values.store.summaries(year, period),
      supplementarySummaries: ({ year, period }: ReviewMonth, _: unknown, ctx: KitContext) =>
        ctx.values.store.summaries(year, period, true),
      demo: (_: unknown, __: unknown, ctx: KitContext) => ctx.values.demo,
      months: (figures: { period: string }) => months.monthsOf(figures.period),
      openWarnings: (figures: { period: string }, args: PageArguments, ctx: KitContext) =>
        months.openWarnings(figures.period, args, ctx),
    },
    IndicatorFigures: {
      latestMonthState: (
        figures: { code: string; citySeries: { period: string }[] },
        _: unknown,
        ctx: KitContext,
      ) =>
        indicatorMonthState(
          ctx.values.months,
          writersOf(figures.code),
          figures.citySeries.at(-1)?.period,
        ),
    },
    IndicatorSummary: {
      rankedUnits: (summary: IndicatorSummary, _: unknown, ctx: KitContext) => {
        if (summary.reportingLevel !== "COMMUNE") return [];
        const ranks = ctx.values.store.rankedUnits(summary.code, summary.period);
        // a commune sees its own rank among all, not the others' figures
        const readable = readableUnits(ctx, cityCode);
        return readable ? ranks.filter((rank) => readable.has(rank.unit)) : ranks;
      },
      latestMonthState: (summary: IndicatorSummary, _: unknown, ctx: KitContext) =>
        indicatorMonthState(ctx.values.months, writersOf(summary.code), summary.lastMonth?.period),
    },
    ...progressReview,
  };
}
