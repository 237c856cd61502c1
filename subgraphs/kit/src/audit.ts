// The audit trail: every accepted write, who made it (the agency, and the person acting for it), when,
// and the record before and after. The collection is only ever appended to; nothing in the code
// updates or deletes an entry.
import { randomUUID } from "node:crypto";
import { Schema, type Connection, type Model } from "mongoose";
import { bulkWriteInBatches } from "./bulk-write.js";
import type { Person } from "./signing.js";

/** Who made a write: on whose behalf (an agency's code, or IOC) and the person who acted. */
export interface Actor {
  agency: string;
  /** Null for the agency's service account (a machine, such as an import command). */
  person: Person | null;
}

export type AuditAction =
  | "value.submit"
  | "value.confirm"
  | "report.submit"
  | "report.import"
  | "task.update"
  | "target.assign"
  | "commune-plan.record"
  | "month.submit"
  | "month.accept"
  | "month.return"
  | "month.reopen"
  | "commune.submit"
  | "commune.accept"
  | "commune.return"
  | "commune.not-reporting"
  | "explanation.request"
  | "explanation.answer";

export interface AuditEntryDoc {
  at: Date;
  /** The calling agency's code, or IOC. */
  actor: string;
  /** The person who acted for it; null for a service account (and for entries from before people). */
  person: Person | null;
  action: AuditAction;
  /** What was written: indicator|unit|period, task II.2, target III.4 2026. */
  subject: string;
  /** Writes made by one call share a batch (a whole report, a file). */
  batch: string;
  before: unknown;
  after: unknown;
}

/** A person as stored beside what they did. */
export const personSchema = new Schema<Person>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
  },
  { _id: false },
);

const auditSchema = new Schema<AuditEntryDoc>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    person: { type: personSchema, default: null },
    action: { type: String, required: true },
    subject: { type: String, required: true },
    batch: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, minimize: false },
);
auditSchema.index({ at: 1 });

export function auditModel(db: Connection): Model<AuditEntryDoc> {
  return (
    (db.models.AuditEntry as Model<AuditEntryDoc> | undefined) ??
    db.model<AuditEntryDoc>("AuditEntry", auditSchema, "audit_trail")
  );
}

/** Strips storage fields (_id) so an entry holds the record as the graph shows it. */
function plain(doc: unknown): unknown {
  if (!doc || typeof doc !== "object") return doc ?? null;
  const { _id: _, ...rest } = doc as Record<string, unknown>;
  return rest;
}

/**
 * Appends entries for one call's writes. Written before the records themselves: a crash between the
 * two leaves an entry whose `after` never landed (its version is not the stored one), never a change
 * without an entry.
 */
export async function appendAudit(
  model: Model<AuditEntryDoc>,
  actor: Actor,
  action: AuditAction,
  changes: { subject: string; before: unknown; after: unknown }[],
  at = new Date(),
): Promise<void> {
  const batch = randomUUID();
  await bulkWriteInBatches(
    model,
    changes.map((change) => ({
      insertOne: {
        document: {
          at,
          actor: actor.agency,
          person: actor.person,
          action,
          batch,
          subject: change.subject,
          before: plain(change.before),
          after: plain(change.after),
        },
      },
    })),
  );
}
