// The health subgraph over a real database.
import { reportingSuite } from "../../../test/support/reporting-suite.js";
import { buildHealthSubgraph, FACILITY_TYPES } from "../src/schema.js";

reportingSuite({
  label: "health",
  build: buildHealthSubgraph,
  prefix: "Health",
  indicatorType: "HealthIndicator",
  agency: "DOH",
  percent: {
    code: "II.12",
    breakdownField: "byFacilityType",
    categories: FACILITY_TYPES.categories,
  },
  cityOnly: "II.13",
  stranger: "POLICE",
});
