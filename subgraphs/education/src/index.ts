// Starts the education subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildEducationSubgraph } from "./schema.js";

await runSubgraph(buildEducationSubgraph());
