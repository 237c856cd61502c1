// Starts the procedures subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildProceduresSubgraph } from "./schema.js";

await runSubgraph(buildProceduresSubgraph());
