// `npm start`: the build, the embedded database (unless MONGODB_URI is set), every subgraph, the
// embedded OpenID provider and the gateway, with their URLs and the demo accounts printed. Each is supervised: one that dies is started again on the same port
// and data, after a back-off. Ctrl-C stops everything, subgraphs first, then the database, and nothing is
// started again while stopping.
import { join } from "node:path";
import { intEnv } from "@p06/subgraph-kit";
import { buildPackages } from "./lib/build.js";
import { repoRoot, startFerretDB, type RunningDatabase } from "./lib/ferretdb.js";
import { supervise, type Supervised } from "./lib/processes.js";
import { portVariable, subgraphs } from "@p06/catalogue";
import { startSystemProcesses, type RunningSystemProcesses } from "./lib/system.js";
import { ensureWebBuilt } from "./lib/web.js";
import { DEMO_PASSWORD, readAccounts } from "../gateway/src/oidc/accounts.js";
import {
  DASHBOARD_CLIENT_ID,
  ensureProviderSecrets,
  machineClients,
  REMINDERS_CLIENT_ID,
} from "../gateway/src/oidc/clients.js";
import { DEFAULT_OIDC_PORT, embeddedIssuer } from "../gateway/src/oidc/config.js";
import { devKeysDir, ensureDevKeys, ensureDevSecrets } from "../gateway/src/trust/keys.js";

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
  // development trust, generated once into data/keys: the key pair the embedded provider signs
  // tokens with, one secret per subgraph, the machines' client secrets
  const keysDir = devKeysDir();
  const keys = await ensureDevKeys(keysDir);
  const secrets = ensureDevSecrets(
    keysDir,
    subgraphs.map((s) => s.name),
  );
  const machines = ensureProviderSecrets(
    keysDir,
    machineClients().map((machine) => machine.clientId),
  ).clients;
  // demo data on an empty database unless P06_DEMO_DATA=0: a newcomer sees a living graph
  const demo = process.env.P06_DEMO_DATA ?? "1";
  const gatewayPort = intEnv("GATEWAY_PORT", 4000);
  const oidcPort = intEnv("OIDC_PORT", DEFAULT_OIDC_PORT);
  const issuer = embeddedIssuer();
  // with an SMTP server named, the plan's reminders ask this gateway as the IOC's service account,
  // their token from the embedded provider by client credentials (never written to disk)
  const reminders: Record<string, string> = {};
  if (process.env.P06_SMTP_HOST?.trim()) {
    reminders.OIDC_ISSUER = issuer;
    reminders.P06_REMINDERS_CLIENT_SECRET =
      process.env.P06_REMINDERS_CLIENT_SECRET?.trim() || machines[REMINDERS_CLIENT_ID]!;
    if (!process.env.P06_REMINDERS_GATEWAY_URL?.trim()) {
      reminders.P06_REMINDERS_GATEWAY_URL = `http://127.0.0.1:${gatewayPort}/graphql`;
    }
  }
  system = await startSystemProcesses({
    mongodbUri,
    secrets,
    publicKeyFile: keys.publicKeyFile,
    oidc: { keysDir, port: oidcPort },
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
  console.log(
    `  sign-in          ${system.issuer} (OpenID provider; the pages' client ${DASHBOARD_CLIENT_ID})`,
  );
  console.log("subgraphs (the gateway's only callers in production):");
  for (const spec of subgraphs) {
    console.log(`  ${spec.name.padEnd(16)} ${system.services[spec.name]!.url}`);
  }
  console.log(`demo accounts (password ${DEMO_PASSWORD}):`);
  for (const account of readAccounts()) {
    const acting = `${account.agency} ${account.roles.join(", ")}`;
    console.log(`  ${account.login.padEnd(16)} ${acting.padEnd(28)} ${account.name}`);
  }
  console.log(
    "machines get their tokens by client credentials (data/keys/oidc-secrets.json); a developer's token: npm run token -- --agency DOH --person ID --role data-officer",
  );
  console.log("Press Ctrl-C to stop.\n");
} catch (error) {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
