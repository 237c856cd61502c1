// Starts the identity subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildIdentitySubgraph } from "./schema.js";

const subgraph = buildIdentitySubgraph();

await runSubgraph({
  name: subgraph.name,
  defaultPort: 4102,
  schema: subgraph.schema,
  prepare: (db, logger) => subgraph.prepare(db, logger),
  context: subgraph.context,
});
