// The social security subgraph, run by the Department of Home Affairs with the City Social Insurance:
// digital skills of civil servants and workers, and benefits paid through social security accounts,
// with figures by benefit type.
import { CITY, indicatorsOf, reportingUnitCodes } from "@p06/catalogue";
import { planIndicator, reportingSubgraph, type DefinitionOptions } from "@p06/subgraph-kit";

export const BENEFIT_TYPES = {
  field: "byBenefitType",
  categories: ["pension", "social-allowance", "unemployment"],
};

const options: Record<string, DefinitionOptions> = {
  // beneficiaries paid through a social security account
  "V.2": { level: "COMMUNE", breakdown: BENEFIT_TYPES },
  // workers with basic digital skills
  "III.8": { level: "COMMUNE" },
};

/** Both agencies run the subgraph; each writes what the plan has it track. */
export const definitions = indicatorsOf("social-security").map((indicator) =>
  planIndicator(
    indicator,
    indicator.trackingAgencies.filter((agency) => agency === "DOHA" || agency === "VSS"),
    options[indicator.code],
  ),
);

export function buildSocialSecuritySubgraph(overrides: { now?: () => Date } = {}) {
  return reportingSubgraph({
    name: "social-security",
    agencyName: "Department of Home Affairs and City Social Insurance",
    sdl: new URL("../schema.graphql", import.meta.url),
    definitions,
    units: reportingUnitCodes(),
    cityCode: CITY.code,
    indicatorTypes: { SocialSecurityIndicator: {} },
    resolvers: {
      Query: { socialSecurityIndicators: () => definitions.map(({ code }) => ({ code })) },
    },
    ...overrides,
  });
}

/** The schema alone, as composition builds it (every subgraph package exports one). */
export const buildSchema = () => buildSocialSecuritySubgraph().schema;
