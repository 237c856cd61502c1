// `npm run move:indicator -- II.6 [II.8 ...] --to industry-trade`: moves indicators the plan subgraph
// holds figures of to their agency's subgraph (copy, check, switch, retire: see lib/move-indicator.ts),
// one after the other. Run it again after any interruption: it finishes what is left. Talks to the
// databases directly (MONGODB_URI, or the embedded FerretDB that `npm start` or `npm run db -- start`
// runs); the subgraphs pick the move up at their next start.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import type { Connection } from "mongoose";
import { connectForCommand, databaseUri, DatabaseUnreachable } from "./lib/command-database.js";
import { repoRoot } from "./lib/ferretdb.js";
import {
  checkMove,
  MOVE_STEPS,
  MoveError,
  MoveInterrupted,
  moveIndicator,
  type MoveStep,
} from "./lib/move-indicator.js";

const USAGE = `usage: npm run move:indicator -- <indicator> [<indicator> ...] --to <subgraph> [--plan-db <name>] [--target-db <name>]
  moves each indicator's figures (every version, with their audit entries) from the plan's database to
  the agency subgraph's, and gives the indicator to that subgraph in subgraphs.json (unless
  new:subgraph did); run it again after an interruption to finish
  --to          the agency subgraph (its name in subgraphs/catalogue/src/subgraphs.json)
  --plan-db     the plan's database (default p06_plan)
  --target-db   the agency subgraph's database (default p06_<subgraph>)
  Needs the database running: MONGODB_URI, else the embedded one of \`npm start\` or
  \`npm run db -- start\` (P06_DB_PORT). The subgraphs serve the move once started again.`;

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
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const codes = parsed.positionals.flatMap((item) => item.split(",")).filter(Boolean);
const to = parsed.values.to;
if (codes.length === 0 || !to) {
  console.error(`${codes.length ? "--to is required" : "name the indicator to move"}\n${USAGE}`);
  process.exit(2);
}
const interrupt = process.env.P06_MOVE_INTERRUPT?.trim() as MoveStep | "mid-copy" | undefined;
if (interrupt && !["mid-copy", ...MOVE_STEPS].includes(interrupt)) {
  console.error(`P06_MOVE_INTERRUPT: one of mid-copy, ${MOVE_STEPS.join(", ")}`);
  process.exit(2);
}

let exitCode = 0;
const connections: Connection[] = [];
try {
  // every request checked before the database is asked anything
  const problems = codes.flatMap((code) => {
    try {
      checkMove(code, to);
      return [];
    } catch (error) {
      if (error instanceof MoveError) return [error.message];
      throw error;
    }
  });
  if (problems.length) throw new MoveError([...new Set(problems)].join("\n"));
  const uri = databaseUri();
  const plan = await connectForCommand(uri, parsed.values["plan-db"] ?? "p06_plan");
  connections.push(plan);
  const target = await connectForCommand(
    uri,
    parsed.values["target-db"] ?? `p06_${to.replaceAll("-", "_")}`,
  );
  connections.push(target);
  const moved: string[] = [];
  for (const code of codes) {
    log(`${code}: plan (${plan.name}) to ${to} (${target.name})`);
    const outcome = await moveIndicator({
      code,
      to,
      plan,
      target,
      repoRoot,
      compose,
      log,
      ...(interrupt && { interrupt }),
    });
    if (outcome.moved) moved.push(code);
  }
  if (moved.length) {
    log(
      `${moved.join(", ")} moved: ${to} serves ${moved.length > 1 ? "them" : "it"} once the plan, ${to} and the gateway start again (\`npm start\`, or deploy the composed supergraph)`,
    );
  }
} catch (error) {
  if (error instanceof MoveInterrupted) {
    console.error(`[move:indicator] ${error.message}: run the same command again to finish`);
    exitCode = 3;
  } else if (error instanceof DatabaseUnreachable) {
    console.error(`[move:indicator] needs the database: ${error.message}`);
    exitCode = 1;
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
