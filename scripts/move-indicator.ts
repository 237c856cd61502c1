// `npm run move:indicator -- II.6 --to industry-trade`: moves an indicator the plan subgraph holds to
// its agency's subgraph (copy, check, switch, retire: see lib/move-indicator.ts). Run it again after
// any interruption: it finishes what is left. Talks to the databases directly (MONGODB_URI, or the
// embedded FerretDB that `npm start` runs); the subgraphs pick the move up at their next start.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { connectDatabase, intEnv } from "@p06/subgraph-kit";
import { repoRoot } from "./lib/ferretdb.js";
import {
  checkMove,
  MOVE_STEPS,
  MoveError,
  MoveInterrupted,
  moveIndicator,
  type MoveStep,
} from "./lib/move-indicator.js";

const USAGE = `usage: npm run move:indicator -- <indicator> --to <subgraph> [--plan-db <name>] [--target-db <name>]
  the databases default to each subgraph's own (p06_plan, p06_<subgraph>); MONGODB_URI names the server`;

const log = (line: string) => console.log(`[move:indicator] ${line}`);

function compose(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/compose.ts"], {
      cwd: repoRoot,
      stdio: "inherit",
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`compose exited with ${code}`)),
    );
  });
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      to: { type: "string" },
      "plan-db": { type: "string" },
      "target-db": { type: "string" },
    },
  });
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
const [code, ...rest] = parsed.positionals;
const to = parsed.values.to;
if (!code || rest.length || !to) {
  console.error(USAGE);
  process.exit(2);
}
const interrupt = process.env.P06_MOVE_INTERRUPT?.trim() as MoveStep | "mid-copy" | undefined;
if (interrupt && !["mid-copy", ...MOVE_STEPS].includes(interrupt)) {
  console.error(`P06_MOVE_INTERRUPT: one of mid-copy, ${MOVE_STEPS.join(", ")}`);
  process.exit(2);
}

let exitCode = 0;
const uri =
  process.env.MONGODB_URI?.trim() || `mongodb://127.0.0.1:${intEnv("P06_DB_PORT", 27027)}/`;
const connections = [];
try {
  checkMove(code, to);
  const plan = await connectDatabase(uri, parsed.values["plan-db"] ?? "p06_plan");
  connections.push(plan);
  const target = await connectDatabase(
    uri,
    parsed.values["target-db"] ?? `p06_${to.replaceAll("-", "_")}`,
  );
  connections.push(target);
  log(`${code}: plan (${plan.name}) to ${to} (${target.name})`);
  await moveIndicator({
    code,
    to,
    plan,
    target,
    repoRoot,
    compose,
    log,
    ...(interrupt && { interrupt }),
  });
  log(
    `${code} moved: restart the plan, ${to} and the gateway (or deploy the composed supergraph) to serve it from ${to}`,
  );
} catch (error) {
  if (error instanceof MoveInterrupted) {
    console.error(`[move:indicator] ${error.message}: run the same command again to finish`);
    exitCode = 3;
  } else {
    console.error(
      `[move:indicator] ${error instanceof MoveError ? "refused" : "failed"}: ${error instanceof Error ? error.message : String(error)}`,
    );
    exitCode = error instanceof MoveError ? 2 : 1;
  }
} finally {
  await Promise.all(connections.map((db) => db.close()));
}
process.exit(exitCode);
