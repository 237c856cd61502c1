// Starts the education subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildEducationSubgraph } from "./schema.js";

const subgraph = buildEducationSubgraph();

await runSubgraph({
  name: subgraph.name,
  defaultPort: 4105,
  schema: subgraph.schema,
  prepare: (db, logger) => subgraph.prepare(db, logger),
  context: subgraph.context,
});
