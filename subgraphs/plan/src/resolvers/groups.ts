import type { GroupEntry } from "@p06/catalogue";
import type { PlanContext } from "../context.js";

export const IndicatorGroup = {
  indicators: (group: GroupEntry, _: unknown, ctx: PlanContext) =>
    ctx.state.indicators.filter((indicator) => indicator.group === group.code),
};

export const TaskGroup = {
  tasks: (group: GroupEntry, _: unknown, ctx: PlanContext) =>
    ctx.state.tasks.filter((task) => task.group === group.code),
};
