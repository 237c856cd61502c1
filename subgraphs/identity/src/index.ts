// Starts the identity subgraph.
import { runReportingSubgraph } from "@p06/subgraph-kit";
import { buildIdentitySubgraph } from "./schema.js";

await runReportingSubgraph(buildIdentitySubgraph(), 4102);
