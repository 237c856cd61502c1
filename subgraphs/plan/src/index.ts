// Starts the plan subgraph: seeds the catalogue, loads the plan's state and figures, then serves.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildPlanSchema, openPlan } from "./schema.js";

await runSubgraph({ name: "plan", schema: buildPlanSchema(), open: openPlan });
