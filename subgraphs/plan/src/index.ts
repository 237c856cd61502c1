// Starts the plan subgraph: seeds the catalogue, prepares the plan-held figures, then serves.
import { prepareValues, runSubgraph } from "@p06/subgraph-kit";
import { CITY, reportingUnitCodes } from "./catalogue/index.js";
import {
  buildPlanSchema,
  createContext,
  planDefinitions,
  planModels,
  seedCatalogue,
} from "./schema.js";

await runSubgraph({
  name: "plan",
  defaultPort: 4101,
  schema: buildPlanSchema(),
  async prepare(db, logger) {
    const summary = await seedCatalogue(planModels(db));
    logger.info(summary, "catalogue seeded");
    await prepareValues(
      db,
      { definitions: planDefinitions, units: reportingUnitCodes(), cityCode: CITY.code },
      logger,
    );
  },
  context: createContext,
});
