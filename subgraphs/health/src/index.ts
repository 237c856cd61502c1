// Starts the health subgraph.
import { runReportingSubgraph } from "@p06/subgraph-kit";
import { buildHealthSubgraph } from "./schema.js";

await runReportingSubgraph(buildHealthSubgraph(), 4104);
