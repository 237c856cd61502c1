// `npm run new:subgraph -- --name transport --agency DOC [--indicators II.2,II.6] [--commune II.2]
// [--port 4107] [--no-install]`: an agency joins the graph. Writes its package on the kit, adds it to
// the one list of subgraphs, records the workspace in package-lock.json (npm install), formats the new
// files and composes; the next `npm start` serves it through the gateway.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { repoRoot } from "./lib/ferretdb.js";
import { NewSubgraphError, planNewSubgraph, writeNewSubgraph } from "./lib/new-subgraph.js";

const USAGE = `usage: npm run new:subgraph -- --name <name> --agency <CODE>[,<CODE>] [--indicators <codes>] [--commune <codes>] [--port <port>] [--no-install]
  --name         lower-case, words joined by "-" (transport, industry-trade)
  --agency       the agencies it reports for (catalogue codes: DOIT, DOF, ...)
  --indicators   the Appendix I indicators it reports (default: every one its agencies track first)
  --commune      those every commune reports (the city reports the rest); at least one percentage
  --port         its default port (default: the one after the highest in the list)
  --no-install   skip npm install (which records the new workspace in package-lock.json)`;

const log = (line: string) => console.log(`[new:subgraph] ${line}`);
const list = (value: string | string[] | undefined) =>
  [value ?? []].flat().flatMap((item) =>
    item
      .split(",")
      .map((code) => code.trim())
      .filter(Boolean),
  );

/** Runs a command in the repository, its output shown; fails on a non-zero exit. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
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
    },
  }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
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
  const codes = planned.indicators.map((i) => i.code).join(", ");
  log(`${planned.spec.name} (${planned.spec.indicatorType}) reports ${codes}`);
  const written = await writeNewSubgraph(repoRoot, planned, log);
  await run(process.execPath, [
    "node_modules/prettier/bin/prettier.cjs",
    "--write",
    "--log-level=warn",
    ...written,
  ]);
  if (!options["no-install"]) {
    log("npm install: recording the workspace in package-lock.json");
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"]);
  }
  log("composing the supergraph");
  await run(process.execPath, ["--import", "tsx", "scripts/compose.ts"]);
  log(
    `done: ${planned.spec.name} starts with the others at the next \`npm start\` (port ${planned.spec.port}); its test: npx vitest run subgraphs/${planned.spec.name}`,
  );
} catch (error) {
  console.error(
    error instanceof NewSubgraphError
      ? `new:subgraph refused:\n${error.message}\n${USAGE}`
      : `new:subgraph failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(error instanceof NewSubgraphError ? 2 : 1);
}
