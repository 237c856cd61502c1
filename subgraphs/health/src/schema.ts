// The Department of Health's subgraph: its Appendix I indicators, with figures by facility type.
import { CITY, indicatorsOf, reportingUnitCodes } from "@p06/catalogue";
import { planIndicator, reportingSubgraph, type DefinitionOptions } from "@p06/subgraph-kit";

/** Hospitals, commune health centres and private clinics: how the health sector counts facilities. */
export const FACILITY_TYPES = {
  field: "byFacilityType",
  categories: ["hospital", "health-centre", "clinic"],
};

const options: Record<string, DefinitionOptions> = {
  // hospitals (and schools, reported by education) with cashless payment and ID cards for insurance
  "II.5": { level: "COMMUNE", breakdown: FACILITY_TYPES },
  // people whose electronic health record is linked and used in treatment
  "II.12": { level: "COMMUNE", breakdown: FACILITY_TYPES },
};

export const definitions = indicatorsOf("health").map((indicator) =>
  planIndicator(indicator, ["DOH"], options[indicator.code]),
);

export function buildHealthSubgraph(overrides: { now?: () => Date } = {}) {
  return reportingSubgraph({
    name: "health",
    agencyName: "Department of Health",
    sdl: new URL("../schema.graphql", import.meta.url),
    definitions,
    units: reportingUnitCodes(),
    cityCode: CITY.code,
    indicatorTypes: { HealthIndicator: {} },
    resolvers: {
      Query: { healthIndicators: () => definitions.map(({ code }) => ({ code })) },
    },
    ...overrides,
  });
}

/** The schema alone, as composition builds it (every subgraph package exports one). */
export const buildSchema = () => buildHealthSubgraph().schema;
