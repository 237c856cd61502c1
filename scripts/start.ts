// `npm start`: the build, the embedded database (unless MONGODB_URI is set), every subgraph and the
// gateway, with their URLs printed. Each is supervised: one that dies is started again on the same port
// and data, after a back-off. Ctrl-C stops everything, subgraphs first, then the database, and nothing is
// started again while stopping.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { intEnv } from "@p06/subgraph-kit";
import { buildPackages } from "./lib/build.js";
import { repoRoot, startFerretDB, type RunningDatabase } from "./lib/ferretdb.js";
import { supervise, type Supervised } from "./lib/processes.js";
import { portVariable, subgraphs } from "@p06/catalogue";
import { startSystemProcesses, type RunningSystemProcesses } from "./lib/system.js";
import { ensureWebBuilt } from "./lib/web.js";
import { devKeysDir, ensureDevKeys, ensureDevSecrets } from "../gateway/src/trust/keys.js";
import { issueToken } from "../gateway/src/trust/tokens.js";

const log = (line: string) => console.log(`[start] ${line}`);
let system: RunningSystemProcesses | undefined;
let database: Supervised<RunningDatabase> | undefined;
let stopping = false;

async function stopAll(exitCode: number) {
  if (stopping) return;
  stopping = true;
  log("stopping...");
  await system?.stop();
  await database?.stop();
  log("stopped");
  process.exit(exitCode);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  // every service runs compiled, as in production; the build takes about a second
  await buildPackages(log);
  // the IOC's dashboard, rebuilt only when its sources changed (a build takes seconds)
  await ensureWebBuilt(log);
  let mongodbUri = process.env.MONGODB_URI?.trim();
  if (mongodbUri) {
    log(`using the MongoDB at MONGODB_URI`);
  } else {
    const dataDir = process.env.P06_DATA_DIR?.trim() || join(repoRoot, "data");
    const options = { port: intEnv("P06_DB_PORT", 27027), dataDir: join(dataDir, "ferretdb"), log };
    const first = await startFerretDB(options);
    // the subgraphs outlive it: writes are refused meanwhile, and they reconnect by themselves
    database = supervise("database", first, () => startFerretDB(options), { log });
    mongodbUri = first.uri;
  }
  // development trust: a token key pair and one secret per subgraph, generated once into data/keys
  const keysDir = devKeysDir();
  const keys = await ensureDevKeys(keysDir);
  const secrets = ensureDevSecrets(
    keysDir,
    subgraphs.map((s) => s.name),
  );
  // demo data on an empty database unless P06_DEMO_DATA=0: a newcomer sees a living graph
  const demo = process.env.P06_DEMO_DATA ?? "1";
  const gatewayPort = intEnv("GATEWAY_PORT", 4000);
  // with an SMTP server named, the plan's reminders ask this gateway as the IOC's service account
  const reminders: Record<string, string> = {};
  if (process.env.P06_SMTP_HOST?.trim()) {
    const tokenFile = join(keysDir, "reminders-ioc-token");
    if (!process.env.P06_REMINDERS_TOKEN_FILE?.trim()) {
      const token = await issueToken({
        privateKeyFile: keys.privateKeyFile,
        agency: "IOC",
        days: 30,
      });
      await writeFile(tokenFile, token, { mode: 0o600 });
      reminders.P06_REMINDERS_TOKEN_FILE = tokenFile;
    }
    if (!process.env.P06_REMINDERS_GATEWAY_URL?.trim()) {
      reminders.P06_REMINDERS_GATEWAY_URL = `http://127.0.0.1:${gatewayPort}/graphql`;
    }
  }
  system = await startSystemProcesses({
    mongodbUri,
    secrets,
    publicKeyFile: keys.publicKeyFile,
    portOf: (spec) => intEnv(portVariable(spec.name), spec.port),
    gatewayPort,
    subgraphEnv: (spec) => ({ P06_DEMO_DATA: demo, ...(spec.name === "plan" && reminders) }),
    // the playground reads without a token on a development machine; writes need one
    gatewayEnv: { ANONYMOUS_READ: process.env.ANONYMOUS_READ ?? "1" },
    onLine: (service, line) => console.log(`[${service}] ${line}`),
    onReady: (service, ms) => log(`${service} ready in ${ms} ms`),
    supervise: { log },
  });
  const { gateway } = system;
  console.log("\nProject 06 progress graph is running:");
  console.log(`  dashboard        ${gateway.url.replace(/graphql$/, "")}`);
  console.log(`  gateway          ${gateway.url}`);
  console.log(`  playground       ${gateway.url.replace(/graphql$/, "playground/")}`);
  console.log(`  metrics          ${gateway.url.replace(/graphql$/, "metrics")}`);
  console.log("subgraphs (the gateway's only callers in production):");
  for (const spec of subgraphs) {
    console.log(`  ${spec.name.padEnd(16)} ${system.services[spec.name]!.url}`);
  }
  const ioc = await issueToken({ privateKeyFile: keys.privateKeyFile, agency: "IOC", days: 1 });
  console.log(
    'tokens: npm run token -- --agency DOH --person nguyen.van.a --name "Nguyễn Văn A" (or --ioc); the IOC\'s service account for today:',
  );
  console.log(`  {"Authorization": "Bearer ${ioc}"}`);
  console.log("Press Ctrl-C to stop.\n");
} catch (error) {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
