// The identity subgraph over a real database.
import { reportingSuite } from "../../../test/support/reporting-suite.js";
import { AGE_BANDS, buildIdentitySubgraph } from "../src/schema.js";

reportingSuite({
  label: "identity",
  build: buildIdentitySubgraph,
  prefix: "Identity",
  indicatorType: "IdentityIndicator",
  agency: "POLICE",
  percent: { code: "III.3", breakdownField: "byAgeBand", categories: AGE_BANDS.categories },
  cityOnly: "IV.5",
  stranger: "DOH",
});
