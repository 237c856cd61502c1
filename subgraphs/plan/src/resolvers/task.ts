import { catalogue } from "../catalogue/index.js";
import type { PlanContext } from "../context.js";
import type { TaskDoc } from "../models.js";

export const Task = {
  __resolveReference: ({ code }: { code: string }, ctx: PlanContext) => ctx.loaders.task.load(code),
  group: (task: TaskDoc) => catalogue.taskGroups.find((group) => group.code === task.group),
  leadAgencies: (task: TaskDoc, _: unknown, ctx: PlanContext) =>
    ctx.loaders.agency.loadMany(task.leadAgencies),
  coordinatingAgencies: (task: TaskDoc, _: unknown, ctx: PlanContext) =>
    ctx.loaders.agency.loadMany(task.coordinatingAgencies),
};
