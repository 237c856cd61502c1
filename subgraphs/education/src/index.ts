// Starts the education subgraph.
import { runReportingSubgraph } from "@p06/subgraph-kit";
import { buildEducationSubgraph } from "./schema.js";

await runReportingSubgraph(buildEducationSubgraph(), 4105);
