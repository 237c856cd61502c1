// `npm run compose`: publishes the SDL of every subgraph built here to schema/subgraphs/<name>.graphql,
// then composes the published files into schema/supergraph.graphql.
// `npm run compose:check`: fails when a published file or the supergraph is stale, when composition
// fails, or when the change breaks an operation of the client set (gateway/operations).
// `npm run compose:check -- --subgraph <name> --schema <file.graphql>`: what `rover subgraph check`
// does: whether a proposed SDL for one subgraph composes with the others' published ones, and which
// client operations it would break. Nothing is written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  breakingChanges,
  clientOperations,
  composeSupergraph,
  supergraphPath,
} from "./lib/composition.js";
import { repoRoot } from "./lib/ferretdb.js";
import { publishedSdlPath, publishedSdls, subgraphSdls } from "./lib/subgraph-schemas.js";
import { subgraphs } from "@p06/catalogue";

const USAGE = `usage: npm run compose
       npm run compose:check
       npm run compose:check -- --subgraph <name> --schema <proposed.graphql>`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      check: { type: "boolean", default: false },
      subgraph: { type: "string" },
      schema: { type: "string" },
    },
  }));
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, 2);
}
if (Boolean(options.subgraph) !== Boolean(options.schema)) {
  fail(`--subgraph and --schema go together\n${USAGE}`, 2);
}
const where = (path: string) => relative(repoRoot, path);

try {
  const built = await subgraphSdls();
  let published;
  if (options.subgraph) {
    // a proposal: the others' published files with the proposed one in place
    const name = options.subgraph;
    if (!subgraphs.some((s) => s.name === name)) {
      fail(`no subgraph ${name}: one of ${subgraphs.map((s) => s.name).join(", ")}`, 2);
    }
    if (!existsSync(options.schema!)) fail(`no file ${options.schema}`, 2);
    const proposed = readFileSync(options.schema!, "utf8");
    published = publishedSdls().map((s) => (s.name === name ? { ...s, sdl: proposed } : s));
  } else if (options.check) {
    const stale = built.filter(
      (s) =>
        !existsSync(publishedSdlPath(s.name)) ||
        readFileSync(publishedSdlPath(s.name), "utf8") !== s.sdl,
    );
    if (stale.length) {
      fail(
        `${stale.map((s) => where(publishedSdlPath(s.name))).join(", ")} ${stale.length === 1 ? "is" : "are"} stale: run \`npm run compose\` and commit ${stale.length === 1 ? "it" : "them"}`,
      );
    }
    published = publishedSdls();
  } else {
    // publish what is built here, then compose the published files
    for (const s of built) {
      mkdirSync(dirname(publishedSdlPath(s.name)), { recursive: true });
      writeFileSync(publishedSdlPath(s.name), s.sdl);
    }
    published = publishedSdls();
  }

  const composed = composeSupergraph(published);
  const previous = existsSync(supergraphPath) ? readFileSync(supergraphPath, "utf8") : null;
  const operations = clientOperations();
  const broken = previous ? breakingChanges(previous, composed, operations) : [];
  if (broken.length) {
    fail(
      `the change breaks ${broken.length} use(s) by the client operations:\n` +
        broken.map((problem) => `  - ${problem}`).join("\n"),
    );
  }
  if (options.subgraph) {
    console.log(
      `${options.subgraph}'s proposed schema composes with the published ones; ${operations.length} client operations still valid`,
    );
  } else if (options.check) {
    if (previous !== composed)
      fail(`${where(supergraphPath)} is stale: run \`npm run compose\` and commit it`);
    console.log(
      `${where(supergraphPath)} and the ${published.length} published subgraph schemas are current; ${operations.length} client operations still valid`,
    );
  } else {
    writeFileSync(supergraphPath, composed);
    console.log(
      `wrote ${published.length} subgraph schemas to schema/subgraphs/ and ${where(supergraphPath)} (${composed.length} bytes); ${operations.length} client operations valid`,
    );
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
