// Starts the procedures subgraph.
import { runReportingSubgraph } from "@p06/subgraph-kit";
import { buildProceduresSubgraph } from "./schema.js";

await runReportingSubgraph(buildProceduresSubgraph(), 4103);
