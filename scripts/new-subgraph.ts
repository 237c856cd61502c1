// `npm run new:subgraph -- --name transport --agency DOC [--indicators II.2,II.6] [--commune II.2]
// [--port 4107] [--no-install]`: an agency joins the graph. Writes its package on the kit (formatted),
// adds it to the one list of subgraphs, installs it as a workspace (npm install) and composes; then
// names the plan's figures of the indicators it takes, with the command that moves them. The next
// `npm start` serves it through the gateway.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { subgraphs } from "@p06/catalogue";
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
  --indicators   the Appendix I indicators it takes (default: every one its agencies track first);
                 the plan keeps the others
  --commune      those every commune reports (the city reports the rest); at least one percentage
  --port         its port (default: the one after the subgraphs' ports as npm start gives them,
                 P06_<NAME>_PORT counted)
  --no-install   skip npm install (which records the workspace in package-lock.json)
  Needs nothing running. The plan's figures of the indicators it takes stay in the plan's database
  until \`npm run move:indicator\` moves them: it ends by naming them and the command, when the
  database runs (MONGODB_URI, else the embedded one of \`npm start\` or \`npm run db -- start\`).`;

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
  const agencies = planned.spec.agencies.join(", ");
  const kept = planned.kept.map((i) => i.code);
  log(
    kept.length
      ? `${name} (${indicatorType}) reports ${codes.join(", ")}; the plan keeps ${kept.join(", ")}, which ${agencies} also tracks first (\`npm run move:indicator -- ${kept[0]} --to ${name}\` moves one later)`
      : `${name} (${indicatorType}) reports ${codes.join(", ")}: every indicator ${agencies} tracks first${options.indicators ? "" : " (--indicators takes fewer; the plan keeps the others)"}`,
  );
  await writeNewSubgraph(repoRoot, planned, log);
  const moved = subgraphs.filter((s) => process.env[s.portVariable]?.trim());
  if (!options.port && moved.length) {
    log(
      `port ${port}: after the subgraphs' ports as npm start gives them (${moved.map((s) => s.portVariable).join(", ")} set)`,
    );
  }
  if (!options["no-install"]) {
    log("npm install: recording the workspace in package-lock.json");
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], true);
  }
  log("composing the supergraph");
  await run(process.execPath, ["--import", "tsx", "scripts/compose.ts"]);
  const move = (which: string[]) => `npm run move:indicator -- ${which.join(" ")} --to ${name}`;
  try {
    const plan = await connectForCommand(databaseUri(), "p06_plan");
    const held = await planFigures(plan, codes).finally(() => plan.close());
    if (held.size) {
      const which = [...held].map(
        ([code, versions]) => `${code} (${versions} figure version${versions === 1 ? "" : "s"})`,
      );
      log(`the plan's database holds figures of ${which.join(", ")}: they move to ${name} with`);
      log(`  ${move([...held.keys()])}`);
    } else {
      log(`the plan's database holds no figures of ${codes.join(", ")}: nothing to move`);
    }
  } catch (error) {
    if (!(error instanceof DatabaseUnreachable)) throw error;
    log(`the plan's figures of ${codes.join(", ")} are unknown: ${error.message}`);
    log(`with it running, they move to ${name} with`);
    log(`  ${move(codes)}`);
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
