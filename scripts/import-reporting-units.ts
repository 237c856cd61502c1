// `npm run import:units -- FILE.csv`: make a newer official commune list (columns code,name,type)
// the active reporting units. Every line is validated first; a file with any bad line changes nothing.
// Talks to the plan database (MONGODB_URI, or the embedded FerretDB that `npm start` runs).
import { readFile } from "node:fs/promises";
import {
  importReportingUnits,
  parseReportingUnits,
  planModels,
  ReportingUnitListError,
} from "@p06/plan";
import { connectForCommand, databaseUri } from "./lib/command-database.js";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run import:units -- FILE.csv");
  process.exit(2);
}

try {
  const rows = parseReportingUnits(await readFile(file, "utf8"));
  const db = await connectForCommand(
    databaseUri(),
    process.env.PLAN_DATABASE?.trim() || "p06_plan",
  );
  const summary = await importReportingUnits(planModels(db), rows);
  await db.close();
  console.log(`imported ${rows.length} units from ${file}:`);
  console.log(`  added ${summary.added.length}: ${summary.added.join(", ") || "-"}`);
  console.log(`  renamed ${summary.renamed.length}: ${summary.renamed.join(", ") || "-"}`);
  console.log(
    `  reactivated ${summary.reactivated.length}: ${summary.reactivated.join(", ") || "-"}`,
  );
  console.log(
    `  deactivated ${summary.deactivated.length}: ${summary.deactivated.join(", ") || "-"}`,
  );
  console.log(`  unchanged ${summary.unchanged}`);
} catch (error) {
  if (error instanceof ReportingUnitListError) {
    console.error(`${file}: nothing imported, ${error.message}`);
  } else {
    console.error(`import failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
