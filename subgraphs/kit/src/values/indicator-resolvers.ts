// The value fields of a subgraph's indicator types (how it is measured, its city series, its figures,
// their versions, its breakdowns), read from the subgraph's read model; only history reads the
// database, each version by its `_id`. Each says the months it reads (read-scope.ts): the series
// every month, the figures up to their `to`, a history or a breakdown its month; so an indicator's
// figures of October are kept through writes to November.
import { checkPage, page, type PageArguments } from "../paging.js";
import { anyMonth, readsMonthsUpTo } from "../read-scope.js";
import type { GraphQLResolveInfo } from "graphql";
import { checkReadableUnit, readableUnits } from "./commune-reads.js";
import type { KitContext } from "./context.js";
import type { DataValueDoc } from "./model.js";
import { checkPeriodArgument, MAX_HISTORY_PAGE, MAX_VALUES_PAGE } from "./rules.js";
import type { ValuesSettings } from "./settings.js";
import { versionIdOf } from "./store.js";

export function indicatorResolvers({ definitions, cityCode }: ValuesSettings) {
  const definitionOf = (code: string) => definitions.get(code);

  const fields = {
    __resolveReference: ({ code }: { code: string }) => (definitions.has(code) ? { code } : null),
    measure: ({ code }: { code: string }) => definitionOf(code)?.measure,
    timeAggregation: ({ code }: { code: string }) => definitionOf(code)?.aggregation,
    reportingLevel: ({ code }: { code: string }) => definitionOf(code)?.level,
    citySeries: anyMonth(({ code }: { code: string }, _: unknown, ctx: KitContext) =>
      ctx.values.store.citySeries(code),
    ),
    values: function values(
      { code }: { code: string },
      args: PageArguments & { unit?: string | null; from?: string | null; to?: string | null },
      ctx: KitContext,
      info: GraphQLResolveInfo,
    ) {
      checkPeriodArgument(args.from, "from");
      checkPeriodArgument(args.to, "to");
      readsMonthsUpTo(ctx, info, args.to);
      if (args.unit) checkReadableUnit(ctx, args.unit, cityCode);
      const readable = readableUnits(ctx, cityCode);
      const values = ctx.values.store.values(code, args);
      return page(
        readable ? values.filter((value) => readable.has(value.unit)) : values,
        args,
        MAX_VALUES_PAGE,
      );
    },
    history: async function history(
      { code }: { code: string },
      args: PageArguments & { unit: string; period: string },
      ctx: KitContext,
      info: GraphQLResolveInfo,
    ) {
      checkPeriodArgument(args.period, "period");
      readsMonthsUpTo(ctx, info, args.period);
      checkReadableUnit(ctx, args.unit, cityCode);
      const { limit, offset } = checkPage(args, MAX_HISTORY_PAGE);
      const current = ctx.values.store.get({
        indicator: code,
        unit: args.unit,
        period: args.period,
      });
      if (!current) return [];
      // the page's versions (oldest first), the earlier ones by their `_id` (key|version): no scan
      const key = `${code}|${args.unit}|${args.period}`;
      const last = Math.min(offset + limit, current.version);
      const versions = await Promise.all(
        Array.from({ length: Math.max(0, last - offset) }, (_, i) =>
          offset + i + 1 === current.version
            ? current
            : ctx.values.models.DataValue.findById(versionIdOf(key, offset + i + 1))
                .lean<DataValueDoc>()
                .exec(),
        ),
      );
      return versions.filter((doc) => doc !== null);
    },
  };

  const breakdownFields = Object.fromEntries(
    [
      ...new Set(
        [...definitions.values()].flatMap((d) => (d.breakdown ? [d.breakdown.field] : [])),
      ),
    ].map((field) => [
      field,
      (
        { code }: { code: string },
        args: { period: string; unit?: string | null },
        ctx: KitContext,
        info: GraphQLResolveInfo,
      ) => {
        checkPeriodArgument(args.period, "period");
        readsMonthsUpTo(ctx, info, args.period);
        checkReadableUnit(ctx, args.unit ?? cityCode, cityCode);
        if (definitionOf(code)?.breakdown?.field !== field) return [];
        return ctx.values.store.breakdown(code, args.unit ?? cityCode, args.period);
      },
    ]),
  );

  return { ...fields, ...breakdownFields };
}
