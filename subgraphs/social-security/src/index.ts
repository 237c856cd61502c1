// Starts the social-security subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildSocialSecuritySubgraph } from "./schema.js";

const subgraph = buildSocialSecuritySubgraph();

await runSubgraph({
  name: subgraph.name,
  defaultPort: 4106,
  schema: subgraph.schema,
  prepare: (db, logger) => subgraph.prepare(db, logger),
  context: subgraph.context,
});
