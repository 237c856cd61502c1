// Starts the identity subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildIdentitySubgraph } from "./schema.js";

await runSubgraph(buildIdentitySubgraph());
