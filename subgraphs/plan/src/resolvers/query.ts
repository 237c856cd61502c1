import { noMonth, page, userError, type PageArguments } from "@p06/subgraph-kit";
import { catalogue } from "@p06/catalogue";
import type { PlanContext } from "../context.js";
import { checkCode } from "./arguments.js";
import type { ReportingUnitKind } from "@p06/catalogue";

/** The largest page of reporting units (the schema gives the default). */
const MAX_UNITS_PAGE = 2000;

function checkGroup(
  group: string | null | undefined,
  groups: { code: string }[],
  argumentName: string,
) {
  if (group != null && !groups.some((g) => g.code === group)) {
    throw userError(
      `unknown group "${group}": expected one of ${groups.map((g) => g.code).join(", ")}`,
      { argumentName },
    );
  }
}

async function checkAgency(
  code: string | null | undefined,
  ctx: PlanContext,
  argumentName: string,
) {
  if (code != null && !(await ctx.loaders.agency.load(code))) {
    throw userError(`unknown agency "${code}": see the agencies query for the codes`, {
      argumentName,
    });
  }
}

// the catalogue and the plan's state read no month's figures (a plan indicator's series says so)
export const Query = {
  indicators: noMonth(async function indicators(
    _: unknown,
    args: { group?: string | null; agency?: string | null },
    ctx: PlanContext,
  ) {
    checkGroup(args.group, catalogue.indicatorGroups, "group");
    await checkAgency(args.agency, ctx, "agency");
    return ctx.state.indicators.filter(
      (indicator) =>
        (args.group == null || indicator.group === args.group) &&
        (args.agency == null || indicator.trackingAgencies.includes(args.agency)),
    );
  }),
  indicator: noMonth((_: unknown, { code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.indicator.load(checkCode(code)),
  ),
  indicatorGroups: () => catalogue.indicatorGroups,
  async tasks(
    _: unknown,
    args: { group?: string | null; leadAgency?: string | null },
    ctx: PlanContext,
  ) {
    checkGroup(args.group, catalogue.taskGroups, "group");
    await checkAgency(args.leadAgency, ctx, "leadAgency");
    return ctx.state.tasks.filter(
      (task) =>
        (args.group == null || task.group === args.group) &&
        (args.leadAgency == null || task.leadAgencies.includes(args.leadAgency)),
    );
  },
  task: (_: unknown, { code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.task.load(checkCode(code)),
  taskGroups: () => catalogue.taskGroups,
  agencies: noMonth((_: unknown, __: unknown, ctx: PlanContext) => ctx.state.agencies),
  agency: noMonth((_: unknown, { code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.agency.load(checkCode(code)),
  ),
  reportingUnits: noMonth(
    (
      _: unknown,
      args: PageArguments & { kind?: ReportingUnitKind | null; includeInactive?: boolean | null },
      ctx: PlanContext,
    ) =>
      page(
        ctx.state.reportingUnits.filter(
          (unit) =>
            (args.kind == null || unit.kind === args.kind) && (args.includeInactive || unit.active),
        ),
        args,
        MAX_UNITS_PAGE,
      ),
  ),
  reportingUnit: noMonth((_: unknown, { code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.reportingUnit.load(checkCode(code)),
  ),
};
