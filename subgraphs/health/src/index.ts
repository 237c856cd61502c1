// Starts the health subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildHealthSubgraph } from "./schema.js";

const subgraph = buildHealthSubgraph();

await runSubgraph({
  name: subgraph.name,
  defaultPort: 4104,
  schema: subgraph.schema,
  prepare: (db, logger) => subgraph.prepare(db, logger),
  context: subgraph.context,
});
