// The Department of Education and Training's subgraph: its Appendix I indicator, the schools' share of
// the shared indicator II.5 (reported by health for hospitals), and its own supplementary indicators,
// with figures by school level.
import { CITY, indicatorsOf, reportingUnitCodes } from "@p06/catalogue";
import {
  planIndicator,
  reportingSubgraph,
  type DefinitionOptions,
  type IndicatorDefinition,
} from "@p06/subgraph-kit";

export const SCHOOL_LEVELS = {
  field: "bySchoolLevel",
  categories: ["primary", "lower-secondary", "upper-secondary"],
};

const options: Record<string, DefinitionOptions> = {
  // schools that teach the digital-skills and online-safety programmes
  "III.9": { level: "COMMUNE", breakdown: SCHOOL_LEVELS },
};

const own = indicatorsOf("education").map((indicator) =>
  planIndicator(indicator, ["DOET"], options[indicator.code]),
);

/** II.5 is tracked by health (hospitals) and education (schools): schools report it here. */
const SHARED_CODE = "II.5";
const shared: IndicatorDefinition = {
  code: SHARED_CODE,
  measure: "PERCENT",
  aggregation: "STOCK",
  level: "COMMUNE",
  writers: ["DOET"],
  breakdown: SCHOOL_LEVELS,
};

/** Tracked by the department beyond the plan (section IV.8 of the plan: học bạ số, văn bằng số). */
export const supplementary: IndicatorDefinition[] = [
  {
    code: "EDU-S1",
    measure: "PERCENT",
    aggregation: "STOCK",
    level: "COMMUNE",
    writers: ["DOET"],
    breakdown: SCHOOL_LEVELS,
    supplementary: {
      title: "Share of students with a digital school record",
      titleVi: "Tỷ lệ học sinh có học bạ số",
      unit: "%",
    },
  },
  {
    code: "EDU-S2",
    measure: "COUNT",
    aggregation: "FLOW",
    level: "CITY",
    writers: ["DOET"],
    supplementary: {
      title: "Digital diplomas and certificates issued in the month",
      titleVi: "Số văn bằng, chứng chỉ số được cấp trong tháng",
      unit: "văn bằng",
    },
  },
];

export const definitions = [...own, shared, ...supplementary];
const ownCodes = new Set(own.map((d) => d.code));
const supplementaryByCode = new Map(supplementary.map((d) => [d.code, d]));

export function buildEducationSubgraph(overrides: { now?: () => Date } = {}) {
  return reportingSubgraph({
    name: "education",
    agencyName: "Department of Education and Training",
    sdl: new URL("../schema.graphql", import.meta.url),
    definitions,
    units: reportingUnitCodes(),
    cityCode: CITY.code,
    indicatorTypes: {
      EducationIndicator: {},
      EducationSupplementaryIndicator: {},
      HealthIndicator: {
        educationContribution: "citySeries",
        educationValues: "values",
        educationBySchoolLevel: "bySchoolLevel",
      },
    },
    resolvers: {
      Query: {
        educationIndicators: () => own.map(({ code }) => ({ code })),
        educationSupplementaryIndicators: () => supplementary.map(({ code }) => ({ code })),
      },
      EducationIndicator: {
        __resolveReference: ({ code }: { code: string }) => (ownCodes.has(code) ? { code } : null),
      },
      EducationSupplementaryIndicator: {
        __resolveReference: ({ code }: { code: string }) =>
          supplementaryByCode.has(code) ? { code } : null,
        supplementary: () => true,
        title: ({ code }: { code: string }) => supplementaryByCode.get(code)?.supplementary?.title,
        titleVi: ({ code }: { code: string }) =>
          supplementaryByCode.get(code)?.supplementary?.titleVi,
        unit: ({ code }: { code: string }) => supplementaryByCode.get(code)?.supplementary?.unit,
      },
      // every health indicator can be asked for the schools' contribution: empty unless shared
      HealthIndicator: { __resolveReference: ({ code }: { code: string }) => ({ code }) },
    },
    ...overrides,
  });
}

/** The schema alone, as composition builds it (every subgraph package exports one). */
export const buildSchema = () => buildEducationSubgraph().schema;
