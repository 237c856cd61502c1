// `npm run new:subgraph -- --name transport --agency DOC [--indicators II.2,II.6] [--commune II.2]
// [--port 4107] [--no-install]`: an agency joins the graph. Writes its package on the kit (formatted),
// adds it to the one list of subgraphs, records the workspace in package-lock.json and composes; then
// names the plan's figures of the indicators it takes, with the command that moves them (before its
// first start, or it makes demo data of its own). The next `npm start` serves it through the gateway.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { connectForCommand, databaseUri, DatabaseUnreachable } from "./lib/command-database.js";
import { repoRoot } from "./lib/ferretdb.js";
import {
  NewSubgraphError,
  planFigures,
  planNewSubgraph,
  writeNewSubgraph,
} from "./lib/new-subgraph.js";

const USAGE = `usage: npm run new:subgraph -- --name <name> --agency <CODE>[,<CODE>] [--indicators <codes>] [--commune <codes>] [--port <port>] [--no-install]
  --name         lower-case, words joined by "-" (transport, industry-trade)
  --agency       the agencies it reports for (catalogue codes: DOIT, DOF, ...)
  --indicators   the Appendix I indicators it reports (default: every one its agencies track first)
  --commune      those every commune reports (the city reports the rest); at least one percentage
  --port         its default port (default: the one after the highest the subgraphs use,
                 P06_<NAME>_PORT counted)
  --no-install   skip recording the workspace in package-lock.json (npm install --package-lock-only)
  The plan's figures of the indicators it takes stay in the plan's database until
  \`npm run move:indicator\` moves them; the command ends by naming them (MONGODB_URI, else the
  embedded database of \`npm start\` / \`npm run db -- start\`).`;

const log = (line: string) => console.log(`[new:subgraph] ${line}`);
const list = (value: string | string[] | undefined) =>
  [value ?? []].flat().flatMap((item) =>
    item
      .split(",")
      .map((code) => code.trim())
      .filter(Boolean),
  );

/**
 * Runs a command in the repository; fails on a non-zero exit. Its output is shown, or with `quiet`
 * kept and shown only when it fails.
 */
function run(command: string, args: string[], quiet = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(" ")} exited with ${code}\n${output}`)),
    );
  });
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      name: { type: "string" },
      agency: { type: "string", multiple: true },
      indicators: { type: "string", multiple: true },
      commune: { type: "string", multiple: true },
      port: { type: "string" },
      "no-install": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!options.name) {
  console.error(`--name is required\n${USAGE}`);
  process.exit(2);
}

try {
  const planned = planNewSubgraph({
    name: options.name,
    agencies: list(options.agency),
    ...(options.indicators && { indicators: list(options.indicators) }),
    commune: list(options.commune),
    ...(options.port && { port: Number(options.port) }),
  });
  const { name, indicatorType, port } = planned.spec;
  const codes = planned.indicators.map((i) => i.code);
  log(`${name} (${indicatorType}) reports ${codes.join(", ")}`);
  await writeNewSubgraph(repoRoot, planned, log);
  if (!options["no-install"]) {
    // the workspace is linked into node_modules already: only the lock file is left to record it
    log("npm install --package-lock-only: recording the workspace in package-lock.json");
    await run(
      "npm",
      ["install", "--package-lock-only", "--no-audit", "--no-fund", "--prefer-offline"],
      true,
    );
  }
  log("composing the supergraph");
  await run(process.execPath, ["--import", "tsx", "scripts/compose.ts"]);
  const move = `npm run move:indicator -- ${codes.join(" ")} --to ${name}`;
  try {
    const plan = await connectForCommand(databaseUri(), "p06_plan");
    const held = await planFigures(plan, codes).finally(() => plan.close());
    if (held.size) {
      const which = [...held].map(([code, versions]) => `${code} (figure versions ${versions})`);
      log(
        `the plan's database (p06_plan) holds figures of ${which.join(", ")}: move them to ${name} before it first starts (else it makes demo data of its own):`,
      );
      log(`  npm run move:indicator -- ${[...held.keys()].join(" ")} --to ${name}`);
    } else {
      log(`the plan's database (p06_plan) holds no figures of ${codes.join(", ")}: nothing to move`);
    }
  } catch (error) {
    if (!(error instanceof DatabaseUnreachable)) throw error;
    log(`which of ${codes.join(", ")} the plan holds figures of is unknown: ${error.message}`);
    log(
      `once it runs, move the plan's figures to ${name} before it first starts (an indicator the plan holds none of is said so):`,
    );
    log(`  ${move}`);
  }
  log(
    `done: ${name} starts with the others at the next \`npm start\` (port ${port}); its test: npx vitest run subgraphs/${name}`,
  );
} catch (error) {
  console.error(
    error instanceof NewSubgraphError
      ? `new:subgraph refused:\n${error.message}\n${USAGE}`
      : `new:subgraph failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(error instanceof NewSubgraphError ? 2 : 1);
}
process.exit(0);
