import { page, type PageArguments } from "@p06/subgraph-kit";
import { catalogue } from "@p06/catalogue";
import type { PlanContext } from "../context.js";
import type { TaskDoc, TaskUpdateDoc } from "../models.js";
import { checkDay } from "./arguments.js";

/** The largest page of a task's updates (the schema gives the default). */
const MAX_UPDATES_PAGE = 1000;

const updatesOf = (task: TaskDoc, ctx: PlanContext) => ctx.loaders.taskUpdates.load(task.code);

export const Task = {
  __resolveReference: ({ code }: { code: string }, ctx: PlanContext) => ctx.loaders.task.load(code),
  group: (task: TaskDoc) => catalogue.taskGroups.find((group) => group.code === task.group),
  leadAgencies: (task: TaskDoc, _: unknown, ctx: PlanContext) =>
    ctx.loaders.agency.loadMany(task.leadAgencies),
  coordinatingAgencies: (task: TaskDoc, _: unknown, ctx: PlanContext) =>
    ctx.loaders.agency.loadMany(task.coordinatingAgencies),
  status: async (task: TaskDoc, _: unknown, ctx: PlanContext) =>
    (await updatesOf(task, ctx)).at(-1)?.status ?? "NOT_STARTED",
  async overdue(task: TaskDoc, { asOf }: { asOf?: string | null }, ctx: PlanContext) {
    const day = checkDay(asOf);
    const status = (await updatesOf(task, ctx)).at(-1)?.status;
    return task.deadline.date !== null && task.deadline.date < day && status !== "DONE";
  },
  updates: async (task: TaskDoc, args: PageArguments, ctx: PlanContext) =>
    page(await updatesOf(task, ctx), args, MAX_UPDATES_PAGE),
};

export const TaskUpdate = {
  updatedAt: (update: TaskUpdateDoc) => new Date(update.updatedAt).toISOString(),
};
