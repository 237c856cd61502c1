import type { PlanContext } from "../context.js";
import type { ReportingUnitDoc } from "../models.js";

export const ReportingUnit = {
  __resolveReference: ({ code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.reportingUnit.load(code),
  parent: (unit: ReportingUnitDoc, _: unknown, ctx: PlanContext) =>
    unit.parent ? ctx.loaders.reportingUnit.load(unit.parent) : null,
  implementationPlan: (unit: ReportingUnitDoc, _: unknown, ctx: PlanContext) =>
    ctx.state.communePlans.get(unit.code) ?? null,
};
