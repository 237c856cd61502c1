// `npm run db -- build`: build the embedded FerretDB (once; `npm run setup` does the same).
// `npm run db -- start`: run it in the foreground on P06_DB_PORT (27027) with data in data/ferretdb.
import { join } from "node:path";
import { intEnv } from "@p06/subgraph-kit";
import { ensureFerretDB, repoRoot, startFerretDB } from "./lib/ferretdb.js";

const log = (line: string) => console.log(`[db] ${line}`);
const command = process.argv[2] ?? "build";

try {
  if (command === "build") {
    const started = Date.now();
    const binary = await ensureFerretDB(log);
    log(`ready: ${binary} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } else if (command === "start") {
    const dataDir = join(process.env.P06_DATA_DIR?.trim() || join(repoRoot, "data"), "ferretdb");
    const database = await startFerretDB({
      port: intEnv("P06_DB_PORT", 27027),
      dataDir,
      log,
      output: process.stdout,
    });
    log(`MONGODB_URI=${database.uri}  (Ctrl-C stops it)`);
    const stop = () => void database.stop().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } else {
    console.error(`usage: npm run db -- build|start (got "${command}")`);
    process.exit(2);
  }
} catch (error) {
  console.error(`[db] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
