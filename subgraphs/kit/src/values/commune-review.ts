// The first level of a month's review (DHIS2's multi-level data approval): a commune submits the
// figures it owes an agency for a month, and the agency accepts them or returns them with a reason,
// or marks a commune that sent nothing as not reporting (with a reason). The agency's own month goes
// to the IOC once none of its communes waits (months.ts). Each step is a record of its own, only ever
// inserted (agency|unit|period|step number), so two steps taken at once cannot both land.
import { Schema, type Connection, type Model } from "mongoose";
import { appendAudit, type Actor, type AuditAction } from "../audit.js";
import { insertOnce } from "../bulk-write.js";
import type { Replica } from "../changes/replica.js";
import { userError } from "../errors.js";
import type { Person } from "../signing.js";
import type { ValueModels } from "./model.js";
import { STEP_FIELDS, StepBook, stepReason } from "./step-book.js";

export type CommuneMonthState = "DRAFT" | "SUBMITTED" | "RETURNED" | "ACCEPTED" | "NOT_REPORTING";
export type CommuneAction = "SUBMIT" | "ACCEPT" | "RETURN" | "NOT_REPORTING";

export interface CommuneStepDoc {
  /** agency|unit|period|number */
  _id: string;
  agency: string;
  unit: string;
  period: string;
  number: number;
  state: Exclude<CommuneMonthState, "DRAFT">;
  /** Who took it: COMMUNE, or the agency's code. */
  by: string;
  person: Person | null;
  at: Date;
  reason: string | null;
}

/** The kind of change a step publishes. */
export const COMMUNE_MONTH_CHANGE = "commune-month";

const STEPS: Record<
  CommuneAction,
  { from: CommuneMonthState[]; to: CommuneStepDoc["state"]; reason: boolean }
> = {
  SUBMIT: { from: ["DRAFT", "RETURNED"], to: "SUBMITTED", reason: false },
  ACCEPT: { from: ["SUBMITTED"], to: "ACCEPTED", reason: false },
  RETURN: { from: ["SUBMITTED"], to: "RETURNED", reason: true },
  NOT_REPORTING: { from: ["DRAFT", "RETURNED"], to: "NOT_REPORTING", reason: true },
};

const stepSchema = new Schema<CommuneStepDoc>(
  {
    _id: { type: String },
    agency: { type: String, required: true },
    unit: { type: String, required: true },
    period: { type: String, required: true },
    ...STEP_FIELDS,
  },
  { versionKey: false },
);

export function communeStepModel(db: Connection): Model<CommuneStepDoc> {
  return (
    (db.models.CommuneStep as Model<CommuneStepDoc> | undefined) ??
    db.model<CommuneStepDoc>("CommuneStep", stepSchema, "commune_month_steps")
  );
}

const keyOf = (agency: string, unit: string, period: string) => `${agency}|${unit}|${period}`;

/** Every commune's months with each agency, in memory: their steps, oldest first. */
export class CommuneBook extends StepBook<CommuneStepDoc> {
  constructor() {
    super((doc) => keyOf(doc.agency, doc.unit, doc.period), COMMUNE_MONTH_CHANGE, true);
  }

  stepsOf(agency: string, unit: string, period: string): CommuneStepDoc[] {
    return this.stepsAt(keyOf(agency, unit, period));
  }

  state(agency: string, unit: string, period: string): CommuneMonthState {
    return this.stepsOf(agency, unit, period).at(-1)?.state ?? "DRAFT";
  }

  /** Every commune month of an agency's month that is not DRAFT, by unit. */
  statesOf(agency: string, period: string): Map<string, CommuneMonthState> {
    const states = new Map<string, CommuneMonthState>();
    for (const last of this.lastSteps()) {
      if (last.agency === agency && last.period === period) states.set(last.unit, last.state);
    }
    return states;
  }

  /** Refuses a commune's own write to figures it submitted, or the agency settled. */
  checkWritable(agency: string, unit: string, period: string): void {
    const state = this.state(agency, unit, period);
    if (state === "SUBMITTED" || state === "ACCEPTED" || state === "NOT_REPORTING") {
      throw userError(
        `commune ${unit}'s figures for ${agency}, ${period}, are ${state === "SUBMITTED" ? "submitted and await the agency's review" : state === "ACCEPTED" ? "accepted by the agency" : "marked as not reporting by the agency"}; they change once the agency returns them`,
        { code: "MONTH_UNDER_REVIEW", state },
      );
    }
  }
}

export interface CommuneReview {
  book: CommuneBook;
  models: Pick<ValueModels, "CommuneStep" | "Audit">;
  replica: Replica;
}

/**
 * Takes one step of a commune's month with each agency named, if every one stands where the step
 * may start: audited first, then stored, then published to every instance. `check` refuses the step,
 * as of the same catch-up, on what the caller needs besides the states.
 */
export async function stepCommuneMonth(
  review: CommuneReview,
  step: { action: CommuneAction; agencies: string[]; unit: string; period: string; actor: Actor },
  reasonGiven: string | null | undefined,
  now: Date,
  check?: () => void,
): Promise<CommuneStepDoc[]> {
  const { action, agencies, unit, period, actor } = step;
  const rule = STEPS[action];
  const what =
    action === "NOT_REPORTING" ? "mark a commune as not reporting" : action.toLowerCase();
  const reason = stepReason(reasonGiven, rule.reason, what);
  await review.replica.catchUp();
  check?.();
  const docs = agencies.map((agency): CommuneStepDoc => {
    const before = review.book.stepsOf(agency, unit, period).at(-1);
    const state = before?.state ?? "DRAFT";
    if (!rule.from.includes(state)) {
      throw userError(
        `commune ${unit}'s month ${period} with ${agency} is ${state}: it cannot ${what} (only from ${rule.from.join(" or ")})`,
        { code: "INVALID_MONTH_STEP", state },
      );
    }
    const number = (before?.number ?? 0) + 1;
    return {
      _id: `${keyOf(agency, unit, period)}|${number}`,
      agency,
      unit,
      period,
      number,
      state: rule.to,
      by: actor.agency,
      person: actor.person,
      at: now,
      reason,
    };
  });
  await appendAudit(
    review.models.Audit,
    actor,
    `commune.${action.toLowerCase().replace("_", "-")}` as AuditAction,
    docs.map((doc) => ({
      subject: keyOf(doc.agency, unit, period),
      before: { state: review.book.state(doc.agency, unit, period) },
      after: { state: doc.state, reason },
    })),
    now,
  );
  const taken = await insertOnce(review.models.CommuneStep.collection, docs);
  if (taken.size > 0) {
    throw userError(`commune ${unit}'s month ${period} changed at the same moment; look again`, {
      code: "CONFLICT",
    });
  }
  await review.replica.publish(COMMUNE_MONTH_CHANGE, docs, now);
  return docs;
}
