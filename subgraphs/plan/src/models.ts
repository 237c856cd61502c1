// The plan subgraph's collections, on its own database.
import { Schema, type Connection, type Model } from "mongoose";
import { personSchema, type Person } from "@p06/subgraph-kit";
import type { AgencyEntry, IndicatorEntry, TaskEntry } from "@p06/catalogue";
import type { Deadline } from "./deadline.js";
import type { ReportingUnitRow } from "@p06/catalogue";
import type { Digest } from "./reminders/digest.js";

export type IndicatorDoc = IndicatorEntry & { order: number };
export type TaskDoc = Omit<TaskEntry, "footnoteVi"> & {
  footnoteVi: string | null;
  order: number;
  deadline: Deadline;
};
export type AgencyDoc = AgencyEntry & { order: number };
export type ReportingUnitDoc = ReportingUnitRow & { active: boolean };

const targetSchema = new Schema(
  {
    year: { type: Number, required: true },
    raw: { type: String, required: true },
    value: { type: Number, default: null },
    comparator: { type: String, enum: ["AT_LEAST", "EQUAL", null], default: null },
    kind: { type: String, enum: ["NUMERIC", "MILESTONE", "ASSIGNED"], required: true },
  },
  { _id: false },
);

const indicatorSchema = new Schema<IndicatorDoc>({
  code: { type: String, required: true, unique: true },
  order: { type: Number, required: true, index: true },
  group: { type: String, required: true, index: true },
  title: { type: String, required: true },
  titleVi: { type: String, required: true },
  unitVi: { type: String, default: null },
  targets: { type: [targetSchema], default: [] },
  trackingAgencies: { type: [String], default: [], index: true },
  trackingAgenciesVi: { type: String, default: null },
});

const taskSchema = new Schema<TaskDoc>({
  code: { type: String, required: true, unique: true },
  order: { type: Number, required: true, index: true },
  group: { type: String, required: true, index: true },
  title: { type: String, required: true },
  titleVi: { type: String, required: true },
  footnoteVi: { type: String, default: null },
  leadAgencies: { type: [String], default: [], index: true },
  leadAgenciesVi: { type: String, required: true },
  coordinatingAgencies: { type: [String], default: [] },
  coordinatingAgenciesVi: { type: String, default: null },
  timingVi: { type: String, required: true },
  deadline: {
    kind: { type: String, required: true },
    date: { type: String, default: null },
    milestones: { type: [String], default: [] },
  },
  output: { type: String, default: null },
  outputVi: { type: String, default: null },
});

const agencySchema = new Schema<AgencyDoc>({
  code: { type: String, required: true, unique: true },
  order: { type: Number, required: true },
  name: { type: String, required: true },
  nameVi: { type: String, required: true },
  subgraph: { type: String, default: null },
});

const reportingUnitSchema = new Schema<ReportingUnitDoc>({
  code: { type: String, required: true, unique: true },
  name: { type: String, required: true },
  kind: { type: String, enum: ["CITY", "WARD", "COMMUNE", "SPECIAL_ZONE"], required: true },
  parent: { type: String, default: null },
  active: { type: Boolean, default: true, index: true },
});

/** A number the IOC set for a text target ("as assigned"); the latest one counts, all are kept. */
export interface TargetAssignmentDoc {
  indicator: string;
  year: number;
  value: number;
  comparator: "AT_LEAST" | "EQUAL";
  note: string | null;
  setBy: string;
  /** The person who set it for the IOC (null: a service account; absent: before people). */
  person?: Person | null;
  setAt: Date;
}

export type TaskStatus = "NOT_STARTED" | "IN_PROGRESS" | "DONE";

/** A lead agency's status update of a task; the latest one is the task's status, all are kept. */
export interface TaskUpdateDoc {
  task: string;
  status: TaskStatus;
  note: string | null;
  evidenceUrl: string | null;
  updatedBy: string;
  /** The person who updated it for the agency (null: a service account; absent: before people). */
  person?: Person | null;
  updatedAt: Date;
}

export type ExplanationSubject = "INDICATOR" | "TASK";

/** The IOC asks an agency to explain an indicator or a task (one behind, one overdue) by a date. */
export interface ExplanationRequestDoc {
  _id: string;
  subject: ExplanationSubject;
  /** The indicator's or task's code. */
  code: string;
  /** The agency asked. */
  agency: string;
  question: string;
  /** YYYY-MM-DD, Hai Phong's calendar. */
  dueDate: string;
  askedBy: string;
  person: Person | null;
  askedAt: Date;
}

/** The agency's answer: its explanation and its remedy. Its `_id` is the request's: one answer each. */
export interface ExplanationAnswerDoc {
  _id: string;
  explanation: string;
  remedy: string;
  answeredBy: string;
  person: Person | null;
  answeredAt: Date;
}

const explanationRequestSchema = new Schema<ExplanationRequestDoc>(
  {
    _id: { type: String },
    subject: { type: String, enum: ["INDICATOR", "TASK"], required: true },
    code: { type: String, required: true },
    agency: { type: String, required: true },
    question: { type: String, required: true },
    dueDate: { type: String, required: true },
    askedBy: { type: String, required: true },
    person: { type: personSchema, default: null },
    askedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const explanationAnswerSchema = new Schema<ExplanationAnswerDoc>(
  {
    _id: { type: String },
    explanation: { type: String, required: true },
    remedy: { type: String, required: true },
    answeredBy: { type: String, required: true },
    person: { type: personSchema, default: null },
    answeredAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const targetAssignmentSchema = new Schema<TargetAssignmentDoc>(
  {
    indicator: { type: String, required: true },
    year: { type: Number, required: true },
    value: { type: Number, required: true },
    comparator: { type: String, enum: ["AT_LEAST", "EQUAL"], required: true },
    note: { type: String, default: null },
    setBy: { type: String, required: true },
    person: { type: personSchema, default: null },
    setAt: { type: Date, required: true },
  },
  { versionKey: false },
);
targetAssignmentSchema.index({ indicator: 1, year: 1, setAt: 1 });

const taskUpdateSchema = new Schema<TaskUpdateDoc>(
  {
    task: { type: String, required: true },
    status: { type: String, enum: ["NOT_STARTED", "IN_PROGRESS", "DONE"], required: true },
    note: { type: String, default: null },
    evidenceUrl: { type: String, default: null },
    updatedBy: { type: String, required: true },
    person: { type: personSchema, default: null },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
taskUpdateSchema.index({ task: 1, updatedAt: 1 });

/**
 * A commune chairman's implementation plan of the city's plan (section VII.1), as recorded: the day
 * it was issued and its document number. Every record is kept; the latest recorded counts.
 */
export interface CommunePlanDoc {
  _id: string;
  /** The commune's, ward's or special zone's code. */
  unit: string;
  /** YYYY-MM-DD, Hai Phong's calendar. */
  issuedOn: string;
  /** Số văn bản, e.g. 45/KH-UBND. */
  documentNumber: string;
  recordedBy: string;
  person: Person | null;
  recordedAt: Date;
}

const communePlanSchema = new Schema<CommunePlanDoc>(
  {
    _id: { type: String },
    unit: { type: String, required: true },
    issuedOn: { type: String, required: true },
    documentNumber: { type: String, required: true },
    recordedBy: { type: String, required: true },
    person: { type: personSchema, default: null },
    recordedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
communePlanSchema.index({ unit: 1, recordedAt: 1 });

export type { Occasion as ReminderOccasion } from "./reminders/calendar.js";

/**
 * A reminder digest, claimed before it is sent: its `_id` is agency|period|occasion, which only one
 * insert can take, so two instances or a restart never send the same occasion twice. Never updated.
 */
export type ReminderDigestDoc = Omit<Digest, "key"> & {
  _id: string;
  /** When it was claimed, by the scheduler's clock. */
  claimedAt: Date;
};

/** An attempt to send a digest, claimed before the SMTP conversation: `_id` is digest#attempt. */
export interface ReminderAttemptDoc {
  _id: string;
  digest: string;
  attempt: number;
  at: Date;
}

/** How an attempt ended: the SMTP server took the message, or the error. `_id` is the attempt's. */
export interface ReminderOutcomeDoc {
  _id: string;
  digest: string;
  ok: boolean;
  /** The SMTP server's answer, or the error. */
  response: string;
  at: Date;
}

const reminderDigestSchema = new Schema<ReminderDigestDoc>(
  {
    _id: { type: String },
    agency: { type: String, required: true },
    period: { type: String, required: true },
    occasion: { type: String, enum: ["DUE", "LATE", "ESCALATION"], required: true },
    opensAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    to: { type: [String], default: [] },
    cc: { type: [String], default: [] },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    expected: { type: Number, required: true },
    outstanding: {
      type: [{ indicator: String, unit: String, _id: false }],
      default: [],
    },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const reminderAttemptSchema = new Schema<ReminderAttemptDoc>(
  {
    _id: { type: String },
    digest: { type: String, required: true },
    attempt: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

const reminderOutcomeSchema = new Schema<ReminderOutcomeDoc>(
  {
    _id: { type: String },
    digest: { type: String, required: true },
    ok: { type: Boolean, required: true },
    response: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export interface PlanModels {
  Indicator: Model<IndicatorDoc>;
  Task: Model<TaskDoc>;
  Agency: Model<AgencyDoc>;
  ReportingUnit: Model<ReportingUnitDoc>;
  TargetAssignment: Model<TargetAssignmentDoc>;
  TaskUpdate: Model<TaskUpdateDoc>;
  ExplanationRequest: Model<ExplanationRequestDoc>;
  ExplanationAnswer: Model<ExplanationAnswerDoc>;
  ReminderDigest: Model<ReminderDigestDoc>;
  ReminderAttempt: Model<ReminderAttemptDoc>;
  ReminderOutcome: Model<ReminderOutcomeDoc>;
  CommunePlan: Model<CommunePlanDoc>;
}

/** Binds the plan's models to a connection (once per connection). */
export function planModels(db: Connection): PlanModels {
  const bind = <T>(name: string, schema: Schema<T>): Model<T> =>
    (db.models[name] as Model<T> | undefined) ?? db.model<T>(name, schema);
  return {
    Indicator: bind("Indicator", indicatorSchema) as Model<IndicatorDoc>,
    Task: bind("Task", taskSchema) as Model<TaskDoc>,
    Agency: bind("Agency", agencySchema) as Model<AgencyDoc>,
    ReportingUnit: bind("ReportingUnit", reportingUnitSchema) as Model<ReportingUnitDoc>,
    TargetAssignment: bind(
      "TargetAssignment",
      targetAssignmentSchema,
    ) as Model<TargetAssignmentDoc>,
    TaskUpdate: bind("TaskUpdate", taskUpdateSchema) as Model<TaskUpdateDoc>,
    ExplanationRequest: bind(
      "ExplanationRequest",
      explanationRequestSchema,
    ) as Model<ExplanationRequestDoc>,
    ExplanationAnswer: bind(
      "ExplanationAnswer",
      explanationAnswerSchema,
    ) as Model<ExplanationAnswerDoc>,
    ReminderDigest: bind("ReminderDigest", reminderDigestSchema) as Model<ReminderDigestDoc>,
    ReminderAttempt: bind("ReminderAttempt", reminderAttemptSchema) as Model<ReminderAttemptDoc>,
    ReminderOutcome: bind("ReminderOutcome", reminderOutcomeSchema) as Model<ReminderOutcomeDoc>,
    CommunePlan: bind("CommunePlan", communePlanSchema) as Model<CommunePlanDoc>,
  };
}
