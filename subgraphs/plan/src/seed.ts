// Loads the catalogue into the plan database. Idempotent: every start upserts by code, so a restart
// never duplicates anything, and a corrected transcription reaches the database on the next start.
import { bulkWriteInBatches, ChangeLog } from "@p06/subgraph-kit";
import { catalogue } from "@p06/catalogue";
import { parseDeadline } from "./deadline.js";
import type { PlanModels, ReportingUnitDoc } from "./models.js";
import { PLAN_CHANGES } from "./plan-state.js";
import { bundledReportingUnits, type ReportingUnitRow } from "@p06/catalogue";

function upsertByCode<T extends { code: string }>(docs: T[]) {
  return docs.map((doc) => ({
    updateOne: { filter: { code: doc.code }, update: { $set: doc }, upsert: true },
  }));
}

export interface SeedSummary {
  indicators: number;
  tasks: number;
  agencies: number;
  reportingUnits: number;
}

export async function seedCatalogue(models: PlanModels): Promise<SeedSummary> {
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
  const indicators = catalogue.indicators.map((entry, order) => ({ ...entry, order }));
  const tasks = catalogue.tasks.map(({ footnoteVi = null, ...entry }, order) => ({
    ...entry,
    footnoteVi,
    order,
    deadline: parseDeadline(entry.timingVi),
  }));
  const agencies = catalogue.agencies.map((entry, order) => ({ ...entry, order }));
  await bulkWriteInBatches(models.Indicator, upsertByCode(indicators));
  await bulkWriteInBatches(models.Task, upsertByCode(tasks));
  await bulkWriteInBatches(models.Agency, upsertByCode(agencies));
  // Units are seeded only where missing: a newer official list imported since takes precedence.
  const units = bundledReportingUnits();
  await bulkWriteInBatches(
    models.ReportingUnit,
    units.map((unit) => ({
      updateOne: {
        filter: { code: unit.code },
        update: { $setOnInsert: { ...unit, active: true } },
        upsert: true,
      },
    })),
  );
  return {
    indicators: await models.Indicator.countDocuments(),
    tasks: await models.Task.countDocuments(),
    agencies: await models.Agency.countDocuments(),
    reportingUnits: await models.ReportingUnit.countDocuments({ active: true }),
  };
}

export interface ImportSummary {
  added: string[];
  renamed: string[];
  reactivated: string[];
  deactivated: string[];
  unchanged: number;
}

/**
 * Makes the given commune-level list the active one. Units missing from it are deactivated, never
 * deleted: the figures they reported stay attached to them.
 */
export async function importReportingUnits(
  models: PlanModels,
  rows: ReportingUnitRow[],
): Promise<ImportSummary> {
  const existing = new Map(
    (await models.ReportingUnit.find({ kind: { $ne: "CITY" } }).lean()).map((u) => [u.code, u]),
  );
  const summary: ImportSummary = {
    added: [],
    renamed: [],
    reactivated: [],
    deactivated: [],
    unchanged: 0,
  };
  for (const row of rows) {
    const before = existing.get(row.code);
    if (!before) summary.added.push(row.code);
    else if (!before.active) summary.reactivated.push(row.code);
    else if (before.name !== row.name || before.kind !== row.kind) summary.renamed.push(row.code);
    else summary.unchanged += 1;
  }
  const listed = new Set(rows.map((row) => row.code));
  summary.deactivated = [...existing.values()]
    .filter((unit) => unit.active && !listed.has(unit.code))
    .map((unit) => unit.code);
  await bulkWriteInBatches(models.ReportingUnit, [
    ...rows.map((row) => ({
      updateOne: {
        filter: { code: row.code },
        update: { $set: { ...row, active: true } },
        upsert: true,
      },
    })),
    ...summary.deactivated.map((code) => ({
      updateOne: { filter: { code }, update: { $set: { active: false } } },
    })),
  ]);
  // running plan instances follow the log: they serve the new list without a restart
  const units = await models.ReportingUnit.find().lean<ReportingUnitDoc[]>().exec();
  await new ChangeLog(models.ReportingUnit.db).append(PLAN_CHANGES.reportingUnits, units, 0);
  return summary;
}
