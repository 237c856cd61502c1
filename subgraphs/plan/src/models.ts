// The plan subgraph's collections, on its own database.
import { Schema, type Connection, type Model } from "mongoose";
import type { AgencyEntry, IndicatorEntry, TaskEntry } from "./catalogue/index.js";
import type { Deadline } from "./deadline.js";
import type { ReportingUnitRow } from "./catalogue/reporting-units.js";

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

export interface PlanModels {
  Indicator: Model<IndicatorDoc>;
  Task: Model<TaskDoc>;
  Agency: Model<AgencyDoc>;
  ReportingUnit: Model<ReportingUnitDoc>;
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
  };
}
