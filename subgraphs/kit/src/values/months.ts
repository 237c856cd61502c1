// The review of an agency's month (DHIS2's data approval): the agency submits its month, the IOC
// accepts it or returns it with a reason, and an accepted month is locked until the IOC reopens it
// with a reason. Each step is a record of its own, only ever inserted (agency|period|step number), so
// two steps taken at once cannot both land; the month's state is its last step.
import { Schema, type Connection, type Model } from "mongoose";
import { appendAudit, type Actor, type AuditAction, type AuditEntryDoc } from "../audit.js";
import { insertOnce } from "../bulk-write.js";
import type { Replica } from "../changes/replica.js";
import { userError } from "../errors.js";
import type { Person } from "../signing.js";
import { STEP_FIELDS, StepBook, stepReason } from "./step-book.js";

export type MonthState = "DRAFT" | "SUBMITTED" | "RETURNED" | "ACCEPTED" | "REOPENED";
export type MonthAction = "SUBMIT" | "ACCEPT" | "RETURN" | "REOPEN";

export interface MonthStepDoc {
  /** agency|period|number */
  _id: string;
  agency: string;
  period: string;
  /** 1 for the month's first step. */
  number: number;
  state: Exclude<MonthState, "DRAFT">;
  /** Who took it: the agency's code, or IOC. */
  by: string;
  /** The person who took it for them (null: a service account). */
  person: Person | null;
  at: Date;
  reason: string | null;
}

/** The kind of change a step publishes. */
export const MONTH_CHANGE = "month";

const STEPS: Record<
  MonthAction,
  { from: MonthState[]; to: MonthStepDoc["state"]; by: "agency" | "IOC"; reason: boolean }
> = {
  SUBMIT: { from: ["DRAFT", "RETURNED", "REOPENED"], to: "SUBMITTED", by: "agency", reason: false },
  ACCEPT: { from: ["SUBMITTED"], to: "ACCEPTED", by: "IOC", reason: false },
  RETURN: { from: ["SUBMITTED"], to: "RETURNED", by: "IOC", reason: true },
  REOPEN: { from: ["ACCEPTED"], to: "REOPENED", by: "IOC", reason: true },
};

const stepSchema = new Schema<MonthStepDoc>(
  {
    _id: { type: String },
    agency: { type: String, required: true },
    period: { type: String, required: true },
    ...STEP_FIELDS,
  },
  { versionKey: false },
);

export function monthStepModel(db: Connection): Model<MonthStepDoc> {
  return (
    (db.models.MonthStep as Model<MonthStepDoc> | undefined) ??
    db.model<MonthStepDoc>("MonthStep", stepSchema, "month_steps")
  );
}

/** Every agency's months in memory: their steps, oldest first. */
export class MonthBook extends StepBook<MonthStepDoc> {
  constructor() {
    super((doc) => `${doc.agency}|${doc.period}`, MONTH_CHANGE, true);
  }

  /** The month's steps, oldest first. */
  stepsOf(agency: string, period: string): MonthStepDoc[] {
    return this.stepsAt(`${agency}|${period}`);
  }

  state(agency: string, period: string): MonthState {
    return this.stepsOf(agency, period).at(-1)?.state ?? "DRAFT";
  }

  /** Refuses a write to a month that is submitted or accepted. */
  checkWritable(agency: string, period: string): void {
    const state = this.state(agency, period);
    if (state === "ACCEPTED") {
      throw userError(
        `${agency}'s figures for ${period} were accepted by the IOC and are locked; the IOC can reopen the month`,
        { code: "MONTH_LOCKED", state },
      );
    }
    if (state === "SUBMITTED") {
      throw userError(
        `${agency}'s figures for ${period} are submitted and await the IOC's review; they change once the IOC returns the month`,
        { code: "MONTH_UNDER_REVIEW", state },
      );
    }
  }
}

/**
 * Where the review of an indicator's month stands: ACCEPTED once every agency that reports it had
 * the month accepted, else the first other state (figures not accepted are provisional).
 */
export function indicatorMonthState(
  book: MonthBook,
  writers: readonly string[],
  period: string | undefined,
): MonthState {
  if (!period || writers.length === 0) return "DRAFT";
  const states = writers.map((agency) => book.state(agency, period));
  return states.find((state) => state !== "ACCEPTED") ?? "ACCEPTED";
}

export interface MonthReview {
  book: MonthBook;
  steps: Model<MonthStepDoc>;
  audit: Model<AuditEntryDoc>;
  replica: Replica;
}

/**
 * Takes one step of a month's review, if the caller may take it from where the month stands: audited
 * first, then stored, then published to every instance.
 */
export async function stepMonth(
  review: MonthReview,
  step: {
    action: MonthAction;
    agency: string;
    period: string;
    /** Who takes it. */
    actor: Actor;
    reason?: string | null;
  },
  now = new Date(),
  /** Refuses the step, as of the same catch-up, on what the caller needs besides the month's state. */
  check?: () => void,
): Promise<MonthStepDoc> {
  const { action, agency, period, actor } = step;
  const caller = actor.agency;
  const rule = STEPS[action];
  if (rule.by === "IOC" ? caller !== "IOC" : caller !== agency) {
    throw userError(
      rule.by === "IOC"
        ? `only the IOC reviews a month (${action.toLowerCase()})`
        : `only ${agency} submits its own month`,
      { code: "FORBIDDEN" },
    );
  }
  const reason = stepReason(step.reason, rule.reason, `${action.toLowerCase()} a month`);
  await review.replica.catchUp();
  check?.();
  const before = review.book.stepsOf(agency, period).at(-1);
  const state = before?.state ?? "DRAFT";
  if (!rule.from.includes(state)) {
    throw userError(
      `${agency}'s month ${period} is ${state}: it cannot be ${action === "RETURN" ? "returned" : `${action.toLowerCase()}ed`} (only from ${rule.from.join(" or ")})`,
      { code: "INVALID_MONTH_STEP", state },
    );
  }
  const number = (before?.number ?? 0) + 1;
  const doc: MonthStepDoc = {
    _id: `${agency}|${period}|${number}`,
    agency,
    period,
    number,
    state: rule.to,
    by: caller,
    person: actor.person,
    at: now,
    reason,
  };
  await appendAudit(
    review.audit,
    actor,
    `month.${action.toLowerCase()}` as AuditAction,
    [{ subject: `${agency}|${period}`, before: { state }, after: { state: rule.to, reason } }],
    now,
  );
  const taken = await insertOnce(review.steps.collection, [doc]);
  if (taken.has(doc._id)) {
    throw userError(`${agency}'s month ${period} changed at the same moment; look again`, {
      code: "CONFLICT",
    });
  }
  await review.replica.publish(MONTH_CHANGE, [doc], now);
  return doc;
}
