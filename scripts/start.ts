// `npm start`: the build, the embedded database (unless MONGODB_URI is set), every subgraph, the
// embedded OpenID provider and the gateway, with their URLs and the demo accounts printed last. Each
// is supervised: one that dies is started again on the same port and data, after a back-off. What the
// services say goes to data/logs/<service>.log; the screen shows the start's progress, warnings and
// errors, and the banner. Ctrl-C stops everything, subgraphs first, then the database, and nothing is
// started again while stopping.
import { join, relative } from "node:path";
import { Writable } from "node:stream";
import { intEnv } from "@p06/subgraph-kit";
import { buildPackages } from "./lib/build.js";
import { repoRoot, startFerretDB, type RunningDatabase } from "./lib/ferretdb.js";
import { supervise, type Supervised } from "./lib/processes.js";
import { seconds, ticker } from "./lib/progress.js";
import { openServiceLogs, type ServiceLogs } from "./lib/service-logs.js";
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

let logs: ServiceLogs | undefined;
/** The start's own lines: on screen, and in start.log beside the services'. */
const log = (line: string) => (logs ? logs.line("start", line) : console.log(`[start] ${line}`));
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
  await logs?.close();
  process.exit(exitCode);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  const started = Date.now();
  const dataDir = process.env.P06_DATA_DIR?.trim() || join(repoRoot, "data");
  logs = await openServiceLogs(join(dataDir, "logs"));
  const serviceLine = (service: string, line: string) => logs!.line(service, line);
  // every service runs compiled, as in production; the build takes about a second
  await buildPackages(log);
  // the IOC's dashboard, rebuilt only when its sources changed (a build takes seconds)
  await ensureWebBuilt(log);
  let mongodbUri = process.env.MONGODB_URI?.trim();
  if (mongodbUri) {
    log(`using the MongoDB at MONGODB_URI`);
  } else {
    const options = {
      port: intEnv("P06_DB_PORT", 27027),
      dataDir: join(dataDir, "ferretdb"),
      log,
      // FerretDB warns of every error it answers (a collection that exists already, at each
      // start): its file only; its end or failure to start is on screen from the supervisor
      output: lines((line) => logs!.file("ferretdb", line)),
    };
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
  // a first start loads demo data for a minute or more: say who is still starting
  const waiting = new Set([...subgraphs.map((spec) => spec.name), "gateway"]);
  const waitingTicker = ticker("starting the services", log, {
    detail: () => `waiting for ${[...waiting].join(", ")}`,
  });
  log(
    `starting ${subgraphs.length} subgraphs, then the gateway (their logs: ${shownPath(logs.dir)}/)`,
  );
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
    onLine: serviceLine,
    onReady: (service, ms) => {
      waiting.delete(service);
      log(`${service} ready in ${seconds(ms)}`);
    },
    supervise: { log },
  }).finally(() => waitingTicker.stop());
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
    // a commune's person: which commune
    const acting = `${[account.agency, account.commune].filter(Boolean).join(" ")} ${account.roles.join(", ")}`;
    console.log(`  ${account.login.padEnd(16)} ${acting.padEnd(28)} ${account.name}`);
  }
  console.log(
    "machines get their tokens by client credentials (data/keys/oidc-secrets.json); a developer's token: npm run token -- --agency DOH --person ID --role data-officer",
  );
  console.log(
    `logs: ${shownPath(logs.dir)}/<service>.log; here only warnings and errors (started in ${seconds(Date.now() - started)})`,
  );
  console.log("Press Ctrl-C to stop.\n");
} catch (error) {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}

/** A stream that hands on each whole line written to it (FerretDB's output). */
function lines(onLine: (line: string) => void): Writable {
  let rest = "";
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = rest + chunk.toString();
      const whole = text.split("\n");
      rest = whole.pop() ?? "";
      for (const line of whole) if (line) onLine(line);
      done();
    },
  });
}

/** A folder as the user would type it: relative to where npm start runs, unless it is elsewhere. */
function shownPath(dir: string): string {
  const path = relative(process.cwd(), dir);
  return path.startsWith("..") ? dir : path || ".";
}
