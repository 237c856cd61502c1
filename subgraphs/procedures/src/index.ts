// Starts the procedures subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildProceduresSubgraph } from "./schema.js";

const subgraph = buildProceduresSubgraph();

await runSubgraph({
  name: subgraph.name,
  defaultPort: 4103,
  schema: subgraph.schema,
  prepare: (db, logger) => subgraph.prepare(db, logger),
  context: subgraph.context,
});
