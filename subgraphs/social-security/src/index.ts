// Starts the social-security subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildSocialSecuritySubgraph } from "./schema.js";

await runSubgraph(buildSocialSecuritySubgraph());
