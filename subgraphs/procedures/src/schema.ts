// The Public Administration Service Centre's subgraph: administrative procedures and online public
// services, with figures by procedure level (procedures the city handles, those communes handle).
import { CITY, indicatorsOf, reportingUnitCodes } from "@p06/catalogue";
import { planIndicator, reportingSubgraph, type DefinitionOptions } from "@p06/subgraph-kit";

export const PROCEDURE_LEVELS = {
  field: "byProcedureLevel",
  categories: ["city-level", "commune-level"],
};

const options: Record<string, DefinitionOptions> = {
  // dossiers filed online out of all dossiers
  "I.5": { level: "COMMUNE", breakdown: PROCEDURE_LEVELS },
  // satisfied respondents out of all respondents
  "I.6": { level: "COMMUNE" },
  // dossiers paid online out of dossiers with a fee
  "II.1": { level: "COMMUNE", breakdown: PROCEDURE_LEVELS },
};

export const definitions = indicatorsOf("procedures").map((indicator) =>
  planIndicator(indicator, ["PASC"], options[indicator.code]),
);

export function buildProceduresSubgraph(overrides: { now?: () => Date } = {}) {
  return reportingSubgraph({
    name: "procedures",
    agencyName: "Public Administration Service Centre",
    sdl: new URL("../schema.graphql", import.meta.url),
    definitions,
    units: reportingUnitCodes(),
    cityCode: CITY.code,
    indicatorTypes: { ProceduresIndicator: {} },
    resolvers: {
      Query: { proceduresIndicators: () => definitions.map(({ code }) => ({ code })) },
    },
    ...overrides,
  });
}

/** The schema alone, as composition builds it (every subgraph package exports one). */
export const buildSchema = () => buildProceduresSubgraph().schema;
