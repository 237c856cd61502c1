// The City Police's subgraph: identity, VNeID accounts and population data, with figures by age band
// (the plan stresses ID cards and level-2 accounts for children from 6 to under 14).
import { CITY, indicatorsOf, reportingUnitCodes } from "@p06/catalogue";
import { planIndicator, reportingSubgraph, type DefinitionOptions } from "@p06/subgraph-kit";

export const AGE_BANDS = {
  field: "byAgeBand",
  categories: ["under-6", "6-to-under-14", "14-and-over"],
};

const commune: DefinitionOptions = { level: "COMMUNE" };
const options: Record<string, DefinitionOptions> = {
  // citizens with an ID card; level-2 accounts among them
  "III.1": { ...commune, breakdown: AGE_BANDS },
  "III.3": { ...commune, breakdown: AGE_BANDS },
  "I.4": commune,
  "I.8": commune,
  "III.5": commune,
  "III.10": commune,
  "V.1": commune,
  // accounts issued to foreigners in the month
  "III.4": { aggregation: "FLOW" },
};

export const definitions = indicatorsOf("identity").map((indicator) =>
  planIndicator(indicator, ["POLICE"], options[indicator.code]),
);

export function buildIdentitySubgraph(overrides: { now?: () => Date } = {}) {
  return reportingSubgraph({
    name: "identity",
    agencyName: "City Police",
    sdl: new URL("../schema.graphql", import.meta.url),
    definitions,
    units: reportingUnitCodes(),
    cityCode: CITY.code,
    indicatorTypes: { IdentityIndicator: {} },
    resolvers: {
      Query: { identityIndicators: () => definitions.map(({ code }) => ({ code })) },
    },
    ...overrides,
  });
}

/** The schema alone, as composition builds it (every subgraph package exports one). */
export const buildSchema = () => buildIdentitySubgraph().schema;
