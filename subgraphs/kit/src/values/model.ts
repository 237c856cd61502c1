// Data values and their history, in the subgraph's own database.
import { Schema, type Connection, type Model } from "mongoose";
import { auditModel, personSchema, type AuditEntryDoc } from "../audit.js";
import type { Person } from "../signing.js";
import type { CategoryFigure, DataValueDoc } from "./data-value.js";
import { communeStepModel, type CommuneStepDoc } from "./commune-review.js";
import { monthStepModel, type MonthStepDoc } from "./months.js";

export type { CategoryFigure, DataValueDoc } from "./data-value.js";

const categorySchema = new Schema<CategoryFigure>(
  {
    category: { type: String, required: true },
    numerator: { type: Number, default: null },
    denominator: { type: Number, default: null },
    value: { type: Number, default: null },
  },
  { _id: false },
);

const fields = {
  _id: { type: String },
  indicator: { type: String, required: true },
  unit: { type: String, required: true },
  period: { type: String, required: true },
  numerator: { type: Number, default: null },
  denominator: { type: Number, default: null },
  value: { type: Number, default: null },
  met: { type: Boolean, default: null },
  breakdown: { type: [categorySchema], default: [] },
  comment: { type: String, default: null },
  reportedBy: { type: String, required: true },
  person: { type: personSchema, default: null },
  reportedAt: { type: Date, required: true },
  firstReportedAt: { type: Date, required: true },
  version: { type: Number, required: true },
  batch: { type: String, default: null },
  confirmed: { type: [String], default: undefined },
};

// no secondary index: figures are read once into memory, and only ever inserted (FerretDB 1.24 reads
// the whole collection for an update or a delete, even by `_id`; an insert and a find by `_id` it does not)
const dataValueSchema = new Schema<DataValueDoc>(fields, { versionKey: false });

/** A figure of a write in progress: staged, then applied once its batch is committed. */
export interface StagedValueDoc {
  _id: string;
  batch: string;
  key: string;
  before: DataValueDoc | null;
  after: DataValueDoc;
}

/**
 * Staged figures as stored: a thousand to a document, as one text (Extended JSON), so that finding
 * and deleting a batch's stage reads a few values, not thousands (FerretDB's cost).
 */
export interface StagedChunkDoc {
  _id: string;
  batch: string;
  records: string;
}

/** The switch of a write: once committed, recovery finishes applying it; before, it is discarded. */
export interface ValueBatchDoc {
  _id: string;
  actor: string;
  /** The person acting for the actor (absent in a batch committed before people were recorded). */
  person?: Person | null;
  action: string;
  at: Date;
  count: number;
  state: "committed" | "applied";
  /** The staged figures themselves when they fit one document: staging and commit in one insert. */
  records?: string;
}

const stagedSchema = new Schema<StagedChunkDoc>(
  {
    _id: { type: String, required: true },
    batch: { type: String, required: true },
    records: { type: String, required: true },
  },
  { versionKey: false },
);

const batchSchema = new Schema<ValueBatchDoc>(
  {
    _id: { type: String, required: true },
    actor: { type: String, required: true },
    person: { type: personSchema, default: null },
    action: { type: String, required: true },
    at: { type: Date, required: true },
    count: { type: Number, required: true },
    state: { type: String, enum: ["committed", "applied"], required: true, index: true },
    records: { type: String },
  },
  { versionKey: false },
);

export interface ValueModels {
  DataValue: Model<DataValueDoc>;
  /** The subgraph's audit trail (every accepted write). */
  Audit: Model<AuditEntryDoc>;
  StagedValue: Model<StagedChunkDoc>;
  ValueBatch: Model<ValueBatchDoc>;
  /** The steps of each agency's month under review (months.ts). */
  MonthStep: Model<MonthStepDoc>;
  /** The steps of each commune's month with each agency (commune-review.ts). */
  CommuneStep: Model<CommuneStepDoc>;
}

export function valueModels(db: Connection): ValueModels {
  return {
    DataValue:
      (db.models.DataValue as Model<DataValueDoc> | undefined) ??
      db.model<DataValueDoc>("DataValue", dataValueSchema, "figure_versions"),
    Audit: auditModel(db),
    StagedValue:
      (db.models.StagedValue as Model<StagedChunkDoc> | undefined) ??
      db.model<StagedChunkDoc>("StagedValue", stagedSchema, "staged_values"),
    ValueBatch:
      (db.models.ValueBatch as Model<ValueBatchDoc> | undefined) ??
      db.model<ValueBatchDoc>("ValueBatch", batchSchema, "value_batches"),
    MonthStep: monthStepModel(db),
    CommuneStep: communeStepModel(db),
  };
}
