// Figures of the indicators whose agency has no subgraph yet: reported through the plan subgraph by
// the first-named tracking agency, at city level.
import { planIndicator, valuesModule } from "@p06/subgraph-kit";
import { CITY, indicatorsOf, reportingUnitCodes } from "@p06/catalogue";

export const planDefinitions = indicatorsOf(null).map((indicator) =>
  planIndicator(indicator, [indicator.trackingAgencies[0]!]),
);

export function planValues(now?: () => Date) {
  return valuesModule({
    prefix: "Plan",
    agencyName: "plan (agencies without a subgraph of their own)",
    definitions: planDefinitions,
    units: reportingUnitCodes(),
    cityCode: CITY.code,
    referenceReportingUnit: false,
    ...(now && { now }),
  });
}
