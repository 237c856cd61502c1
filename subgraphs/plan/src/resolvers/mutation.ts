import { appendAudit, authorize, userError, type Actor } from "@p06/subgraph-kit";
import type { PlanContext } from "../context.js";
import { PLAN_CHANGES } from "../plan-state.js";
import type { TaskStatus } from "../models.js";

/** The caller that sets assigned targets: the IOC and steering committee. */
export const IOC = "IOC";
const MAX_TEXT = 2000;

/** The calling agency (or IOC); an anonymous caller is told what it tried: a read or a change. */
export function callerOf(ctx: PlanContext, what: "read" | "change" = "change"): string {
  if (!ctx.caller) {
    throw userError(`this ${what} needs a calling agency or the IOC: sign in`, {
      code: "UNAUTHENTICATED",
    });
  }
  return ctx.caller;
}

/** Who writes: the calling agency (or IOC) and the person acting for it. */
const actorOf = (caller: string, ctx: PlanContext): Actor => ({
  agency: caller,
  person: ctx.person,
});

export function checkText(value: string | null | undefined, argumentName: string): string | null {
  const text = value?.trim() || null;
  if (text && text.length > MAX_TEXT) {
    throw userError(`${argumentName} is longer than ${MAX_TEXT} characters`, { argumentName });
  }
  return text;
}

export const Mutation = {
  async updateTaskStatus(
    _: unknown,
    {
      input,
    }: {
      input: {
        code: string;
        status: TaskStatus;
        note?: string | null;
        evidenceUrl?: string | null;
      };
    },
    ctx: PlanContext,
  ) {
    const caller = authorize(ctx, "updateTask");
    if (caller === IOC) {
      throw userError("task statuses are their lead agencies' to update", { code: "FORBIDDEN" });
    }
    const task = await ctx.loaders.task.load(input.code);
    if (!task) throw userError(`unknown task "${input.code}"`, { argumentName: "code" });
    // a task led by "all departments, sectors and localities" is every agency's to update
    if (!task.leadAgencies.includes(caller) && !task.leadAgencies.includes("ALL_SECTORS")) {
      throw userError(
        `agency ${caller} does not lead task ${task.code} (led by ${task.leadAgencies.join(", ")})`,
        { code: "FORBIDDEN" },
      );
    }
    const evidenceUrl = checkText(input.evidenceUrl, "evidenceUrl");
    if (evidenceUrl && !/^https?:\/\/[^\s]+$/i.test(evidenceUrl)) {
      throw userError("evidenceUrl must be an http or https link", { argumentName: "evidenceUrl" });
    }
    const update = {
      task: task.code,
      status: input.status,
      note: checkText(input.note, "note"),
      evidenceUrl,
      updatedBy: caller,
      person: ctx.person,
      updatedAt: new Date(),
    };
    const before = (await ctx.loaders.taskUpdates.load(task.code)).at(-1) ?? null;
    await appendAudit(
      ctx.values.models.Audit,
      actorOf(caller, ctx),
      "task.update",
      [{ subject: `task ${task.code}`, before, after: update }],
      update.updatedAt,
    );
    const stored = await ctx.models.TaskUpdate.create(update);
    // acknowledged: every instance's read model learns it, this one before answering
    await ctx.values.replica.publish(PLAN_CHANGES.taskUpdate, [stored.toObject()]);
    ctx.loaders.taskUpdates.clear(task.code);
    return task;
  },

  async setAssignedTarget(
    _: unknown,
    {
      input,
    }: {
      input: {
        indicator: string;
        year: number;
        value: number;
        comparator: "AT_LEAST" | "EQUAL";
        note?: string | null;
      };
    },
    ctx: PlanContext,
  ) {
    const caller = authorize(ctx, "assignTarget");
    if (caller !== IOC) {
      throw userError("only the IOC and steering committee set assigned targets", {
        code: "FORBIDDEN",
      });
    }
    const indicator = await ctx.loaders.indicator.load(input.indicator);
    if (!indicator)
      throw userError(`unknown indicator "${input.indicator}"`, { argumentName: "indicator" });
    const target = indicator.targets.find((t) => t.year === input.year);
    if (target?.kind !== "ASSIGNED") {
      throw userError(
        `indicator ${indicator.code} has no text target for ${input.year} to assign a number to` +
          (target ? ` (the plan sets "${target.raw}")` : ""),
        { argumentName: "year" },
      );
    }
    if (!Number.isFinite(input.value) || input.value < 0) {
      throw userError("value must be a number ≥ 0", {
        code: "INVALID_VALUE",
        argumentName: "value",
      });
    }
    const assignment = {
      indicator: indicator.code,
      year: input.year,
      value: input.value,
      comparator: input.comparator,
      note: checkText(input.note, "note"),
      setBy: caller,
      person: ctx.person,
      setAt: new Date(),
    };
    const before =
      (await ctx.loaders.assignments.load(indicator.code))
        .filter((a) => a.year === input.year)
        .at(-1) ?? null;
    await appendAudit(
      ctx.values.models.Audit,
      actorOf(caller, ctx),
      "target.assign",
      [{ subject: `target ${indicator.code} ${input.year}`, before, after: assignment }],
      assignment.setAt,
    );
    const stored = await ctx.models.TargetAssignment.create(assignment);
    await ctx.values.replica.publish(PLAN_CHANGES.targetAssignment, [stored.toObject()]);
    ctx.loaders.assignments.clear(indicator.code);
    return indicator;
  },
};
