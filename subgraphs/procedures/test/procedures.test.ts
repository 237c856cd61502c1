// The procedures subgraph over a real database.
import { reportingSuite } from "../../../test/support/reporting-suite.js";
import { buildProceduresSubgraph, PROCEDURE_LEVELS } from "../src/schema.js";

reportingSuite({
  label: "procedures",
  build: buildProceduresSubgraph,
  prefix: "Procedures",
  indicatorType: "ProceduresIndicator",
  agency: "PASC",
  percent: {
    code: "I.5",
    breakdownField: "byProcedureLevel",
    categories: PROCEDURE_LEVELS.categories,
  },
  cityOnly: "I.1",
  // a co-tracker of I.2 and I.3, but the plan names the centre first: it reports them
  stranger: "POLICE",
});
