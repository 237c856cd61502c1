// Starts the health subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildHealthSubgraph } from "./schema.js";

await runSubgraph(buildHealthSubgraph());
