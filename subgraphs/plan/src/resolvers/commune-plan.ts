// Each commune's implementation plan (section VII.1): recorded with the day it was issued and its
// document number, by the commune's chairman (their own commune's) or the IOC's reviewer (any
// commune's), every record kept and audited, the latest counting in the commune's score.
import { randomUUID } from "node:crypto";
import { appendAudit, authorize, COMMUNE, userError } from "@p06/subgraph-kit";
import { checkDocumentNumber, checkIssuedOn, COMMUNE_PLAN_DUE } from "../commune-plans.js";
import type { PlanContext } from "../context.js";
import type { CommunePlanDoc } from "../models.js";
import { PLAN_CHANGES } from "../plan-state.js";

export const CommunePlan = {
  unit: (plan: CommunePlanDoc, _: unknown, ctx: PlanContext) =>
    ctx.loaders.reportingUnit.load(plan.unit),
  onTime: (plan: CommunePlanDoc) => plan.issuedOn < COMMUNE_PLAN_DUE,
  recordedByPerson: (plan: CommunePlanDoc) => plan.person,
  recordedAt: (plan: CommunePlanDoc) => plan.recordedAt.toISOString(),
};

export const communePlanMutations = {
  async recordCommunePlan(
    _: unknown,
    { input }: { input: { unit: string; issuedOn: string; documentNumber: string } },
    ctx: PlanContext,
  ) {
    const caller = authorize(ctx, "recordCommunePlan");
    if (caller === COMMUNE && input.unit !== ctx.commune) {
      throw userError(
        `a commune's chairman records their own commune's plan (${ctx.commune ?? "none"}), not ${input.unit}'s`,
        { code: "FORBIDDEN" },
      );
    }
    const unit = ctx.state.unitByCode.get(input.unit);
    if (!unit || unit.kind === "CITY" || !unit.active) {
      throw userError(`"${input.unit}" is not an active commune, ward or special zone code`, {
        argumentName: "unit",
      });
    }
    const record: CommunePlanDoc = {
      _id: randomUUID(),
      unit: unit.code,
      issuedOn: checkIssuedOn(input.issuedOn),
      documentNumber: checkDocumentNumber(input.documentNumber),
      recordedBy: caller,
      person: ctx.person,
      recordedAt: new Date(),
    };
    const before = ctx.state.communePlans.get(unit.code) ?? null;
    await appendAudit(
      ctx.values.models.Audit,
      { agency: caller, person: ctx.person },
      "commune-plan.record",
      [{ subject: `commune plan ${unit.code}`, before, after: record }],
      record.recordedAt,
    );
    await ctx.models.CommunePlan.create(record);
    // acknowledged: every instance's read model learns it, this one before answering
    await ctx.values.replica.publish(PLAN_CHANGES.communePlan, [record]);
    return record;
  },
};
