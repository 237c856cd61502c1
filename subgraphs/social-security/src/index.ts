// Starts the social-security subgraph.
import { runReportingSubgraph } from "@p06/subgraph-kit";
import { buildSocialSecuritySubgraph } from "./schema.js";

await runReportingSubgraph(buildSocialSecuritySubgraph(), 4106);
