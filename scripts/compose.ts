// `npm run compose`: composes every subgraph's schema into schema/supergraph.graphql.
// `npm run compose:check`: fails when composition fails, when the checked-in supergraph is stale, or
// when the change breaks an operation of the client set (gateway/operations), naming subgraph and field.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import {
  breakingChanges,
  clientOperations,
  composeSupergraph,
  supergraphPath,
} from "./lib/composition.js";
import { repoRoot } from "./lib/ferretdb.js";
import { subgraphSdls } from "./lib/subgraph-schemas.js";

const check = process.argv.includes("--check");
const where = relative(repoRoot, supergraphPath);

try {
  const composed = composeSupergraph(subgraphSdls());
  const previous = existsSync(supergraphPath) ? readFileSync(supergraphPath, "utf8") : null;
  const operations = clientOperations();
  const broken = previous ? breakingChanges(previous, composed, operations) : [];
  if (broken.length) {
    console.error(`the change breaks ${broken.length} use(s) by the client operations:`);
    for (const problem of broken) console.error(`  - ${problem}`);
    process.exit(1);
  }
  if (check) {
    if (previous !== composed) {
      console.error(`${where} is stale: run \`npm run compose\` and commit it`);
      process.exit(1);
    }
    console.log(`${where} is current; ${operations.length} client operations still valid`);
  } else {
    writeFileSync(supergraphPath, composed);
    console.log(
      `wrote ${where} (${composed.length} bytes); ${operations.length} client operations valid`,
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
