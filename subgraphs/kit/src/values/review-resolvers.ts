// A reporting subgraph's part of the plan's review: its field on ProgressReview, the figures it
// gives there, and where each indicator's latest month stands in its review.
import type { PageArguments } from "../paging.js";
import type { KitContext } from "./context.js";
import type { monthModule } from "./month-module.js";
import { indicatorMonthState } from "./months.js";
import { checkPeriodArgument } from "./rules.js";
import type { ValuesSettings } from "./settings.js";

export function reviewResolvers(
  { definitions, reviewField }: ValuesSettings,
  months: ReturnType<typeof monthModule>,
) {
  const progressReview = reviewField
    ? {
        ProgressReview: {
          __resolveReference: (review: { year: number; period: string }) => review,
          [reviewField]: (review: { period: string }, _: unknown, ctx: KitContext) => {
            checkPeriodArgument(review.period, "period");
            return ctx.values.store.figures(review.period);
          },
        },
      }
    : {};
  return {
    AgencyFigures: {
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
          definitions.get(figures.code)?.writers ?? [],
          figures.citySeries.at(-1)?.period,
        ),
    },
    ...progressReview,
  };
}
