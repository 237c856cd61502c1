// Starts the plan subgraph: seeds the catalogue, then serves it.
import { runSubgraph } from "@p06/subgraph-kit";
import { buildPlanSchema, createContext, planModels, seedCatalogue } from "./schema.js";

await runSubgraph({
  name: "plan",
  defaultPort: 4101,
  schema: buildPlanSchema(),
  async prepare(db, logger) {
    const summary = await seedCatalogue(planModels(db));
    logger.info(summary, "catalogue seeded");
  },
  context: createContext,
});
