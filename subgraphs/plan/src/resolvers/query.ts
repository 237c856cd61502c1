import { userError } from "@p06/subgraph-kit";
import { catalogue } from "../catalogue/index.js";
import type { PlanContext } from "../context.js";
import { checkCode } from "./arguments.js";
import type { ReportingUnitKind } from "../catalogue/reporting-units.js";

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

export const Query = {
  async indicators(
    _: unknown,
    args: { group?: string | null; agency?: string | null },
    ctx: PlanContext,
  ) {
    checkGroup(args.group, catalogue.indicatorGroups, "group");
    await checkAgency(args.agency, ctx, "agency");
    return ctx.models.Indicator.find({
      ...(args.group != null && { group: args.group }),
      ...(args.agency != null && { trackingAgencies: args.agency }),
    })
      .sort({ order: 1 })
      .lean()
      .exec();
  },
  indicator: (_: unknown, { code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.indicator.load(checkCode(code)),
  indicatorGroups: () => catalogue.indicatorGroups,
  async tasks(
    _: unknown,
    args: { group?: string | null; leadAgency?: string | null },
    ctx: PlanContext,
  ) {
    checkGroup(args.group, catalogue.taskGroups, "group");
    await checkAgency(args.leadAgency, ctx, "leadAgency");
    return ctx.models.Task.find({
      ...(args.group != null && { group: args.group }),
      ...(args.leadAgency != null && { leadAgencies: args.leadAgency }),
    })
      .sort({ order: 1 })
      .lean()
      .exec();
  },
  task: (_: unknown, { code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.task.load(checkCode(code)),
  taskGroups: () => catalogue.taskGroups,
  agencies: (_: unknown, __: unknown, ctx: PlanContext) =>
    ctx.models.Agency.find().sort({ order: 1 }).lean().exec(),
  agency: (_: unknown, { code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.agency.load(checkCode(code)),
  reportingUnits: (
    _: unknown,
    args: { kind?: ReportingUnitKind | null; includeInactive?: boolean | null },
    ctx: PlanContext,
  ) =>
    ctx.models.ReportingUnit.find({
      ...(args.kind != null && { kind: args.kind }),
      ...(!args.includeInactive && { active: true }),
    })
      // the city first, then the communes by code
      .sort({ parent: 1, code: 1 })
      .lean()
      .exec(),
  reportingUnit: (_: unknown, { code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.reportingUnit.load(checkCode(code)),
};
