// A stand-in for a test process, for test/no-process-left.e2e.ts: it starts a stack the way the tests
// do (a FerretDB, a subgraph, and a program that starts a child of its own, like the gateway's
// workers), prints the processes it started, then ends as its argument says: "wait" until a signal or
// SIGKILL reaches it, "throw" with an uncaught failure.
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startFerretDB } from "../../scripts/lib/ferretdb.js";
import { killGroupsOnSignals, spawnInGroup } from "../../scripts/lib/process-groups.js";
import { processTree, spawnService } from "../../scripts/lib/processes.js";

const mode = process.argv[2];
if (mode !== "wait" && mode !== "throw") throw new Error(`usage: stack-helper.ts wait|throw`);
// as every test process does (test/support/no-process-left.ts)
killGroupsOnSignals();

const dataDir = await mkdtemp(join(tmpdir(), "p06-stack-helper-"));
const database = await startFerretDB({ port: await freePort(), dataDir });
await spawnService({
  name: "health",
  entry: "subgraphs/health/src/index.ts",
  port: await freePort(),
  env: {
    MONGODB_URI: database.uri,
    SUBGRAPH_SECRET: randomBytes(32).toString("hex"),
    P06_DEMO_DATA: "0",
    LOG_LEVEL: "warn",
  },
});
// a leader with a child of its own: only its group takes both
spawnInGroup("sh", ["-c", "sleep 600 & wait"], { stdio: "ignore" });
// (the shell's child may take a moment to be there)
await new Promise((resolve) => setTimeout(resolve, 300));
const started = (await processTree(process.pid)).filter((pid) => pid !== process.pid);
console.log(JSON.stringify({ dataDir, started }));

if (mode === "throw") {
  setTimeout(() => {
    throw new Error("an uncaught failure in the middle of a test");
  }, 100);
} else {
  setInterval(() => {}, 60_000);
}
