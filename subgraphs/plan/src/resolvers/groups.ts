import type { GroupEntry } from "../catalogue/index.js";
import type { PlanContext } from "../context.js";

export const IndicatorGroup = {
  indicators: (group: GroupEntry, _: unknown, ctx: PlanContext) =>
    ctx.models.Indicator.find({ group: group.code }).sort({ order: 1 }).lean().exec(),
};

export const TaskGroup = {
  tasks: (group: GroupEntry, _: unknown, ctx: PlanContext) =>
    ctx.models.Task.find({ group: group.code }).sort({ order: 1 }).lean().exec(),
};
