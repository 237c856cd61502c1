// The parts of the plan's schema that follow from the list of subgraphs (subgraphs.json): each agency
// subgraph's Indicator type and supplementary type, the review's fields, and what the review reads of
// every agency's figures (agency-figures.ts). A subgraph added to the list is in the plan's schema at
// the next composition, and in its review, with no edit here.
import { agencyNames, agencySubgraphs, type SubgraphSpec } from "@p06/catalogue";
import { Kind, print, type DocumentNode, type InterfaceTypeDefinitionNode } from "graphql";

const CITY_MONTH = "period numerator denominator value met reportingUnits source";
/** What the method reads of a month: the rest of a city month is not needed to judge it. */
const OBSERVED_MONTH = "period value met";
/** Each indicator's summary as the plan judges it against the target (Open SDG's method). */
const SUMMARY = `code measure timeAggregation baseline { ${OBSERVED_MONTH} } latest { ${OBSERVED_MONTH} } yearIsOver yearTotal { ${OBSERVED_MONTH} } monthsInYear contribution { ${CITY_MONTH} }`;
const REPORTING_FIELDS = "code agencies expected received onTime missingUnits lateUnits";
const REPORTING = `reporting { ${REPORTING_FIELDS} }`;
/** An agency's indicators beyond the plan: their own lists, so nothing that counts the plan's sees them. */
const SUPPLEMENTARY_REPORTING = `supplementaryReporting { ${REPORTING_FIELDS} }`;
const SUPPLEMENTARY = `supplementarySummaries { code lastMonth { ${CITY_MONTH} } } ${SUPPLEMENTARY_REPORTING}`;

/** What the plan reads of an agency's indicator for its series and progress (agency-figures.ts). */
export const INDICATOR_SERIES = `code measure timeAggregation citySeries { ${CITY_MONTH} }`;

/**
 * Everything the review reads of one agency's figures of a month (agency-figures.ts reads it through
 * the graph): each indicator's summary as the agency worked it out, its communes ranked, and its
 * reporting; a few numbers an indicator (a rank a commune), never a whole series.
 */
export const REVIEW_FIGURES = `summaries { ${SUMMARY} reportingLevel latestMonthState rankedUnits { unit value met rank } } ${REPORTING} ${SUPPLEMENTARY}`;

/** The review's fields that combine the agencies' figures (the plan holds them: agency-figures.ts). */
const REVIEW_FIELDS = [
  {
    doc: "The city scorecard: every indicator with its target, latest figure and status; counts by status, objective group and tracking agency.",
    field: "scorecard: CityScorecard!",
  },
  {
    doc: "An agency's scorecard: its indicators, its tasks (overdue, due soon, done), its reporting of the month, and its monthly score.",
    field: "agency(code: ID!, asOf: String, dueSoonDays: Int = 30): AgencyScorecard",
  },
  {
    doc: "Every agency's scorecard, as agency(code) gives one, in the catalogue's order: those tracking an indicator or leading a task (the city's monthly report ranks them).",
    field: "agencyScorecards(asOf: String, dueSoonDays: Int = 30): [AgencyScorecard!]!",
  },
  {
    doc: "Every commune-level indicator for one commune, ward or special zone, its monthly score (indicators, reporting, its implementation plan) and its rank by that score among them.",
    field: "commune(code: ID!): CommuneDrillDown",
  },
  {
    doc: "Every active commune, ward and special zone with every commune-level indicator, its monthly score and its rank by that score: the league table of the month, the best ranked first, those with no score last.",
    field: "communes: [CommuneDrillDown!]!",
  },
  {
    doc: "Who has not reported the month, or reported it late: by agency and reporting unit, in that order. A page of at most limit entries (1 to 5000) after the first offset.",
    field: "lateReporting(limit: Int! = 2000, offset: Int! = 0): [LateReport!]!",
  },
  {
    doc: "Tasks overdue or due within the given days (of today in Hai Phong, or asOf YYYY-MM-DD), soonest first, with their lead agencies' indicator statuses.",
    field: "tasksDue(withinDays: Int! = 30, asOf: String): [TaskDue!]!",
  },
];

/** The fields the plan gives every Indicator type (all the interface's but series and progress). */
function catalogueFields(base: DocumentNode): string {
  const indicator = base.definitions.find(
    (d): d is InterfaceTypeDefinitionNode =>
      d.kind === Kind.INTERFACE_TYPE_DEFINITION && d.name.value === "Indicator",
  );
  if (!indicator) throw new Error("schema.graphql declares no Indicator interface");
  return (indicator.fields ?? [])
    .filter((field) => !["series", "progress"].includes(field.name.value))
    .map((field) => print(field).replace(/^/gm, "  "))
    .join("\n");
}

const quoted = (text: string) => JSON.stringify(text);

/**
 * An agency subgraph's indicator type as the plan gives it: the catalogue, and the series and
 * progress the plan works out from the agency's city series it holds (agency-figures.ts).
 */
function indicatorType(spec: SubgraphSpec, catalogue: string): string {
  return `
${quoted(`An indicator reported by the ${agencyNames(spec.agencies)} (the ${spec.name} subgraph holds its figures).`)}
type ${spec.indicatorType} implements Indicator @key(fields: "code") {
${catalogue}
  "The city's monthly figures as the IOC sees them, oldest first. upTo (YYYY-MM): only that month and those before it; in a month's review, as of that month already."
  series(upTo: String): [CityMonth!]!
  "Where the indicator stands against its target for a year, with the projection to the end of that year. upTo (YYYY-MM): from the months up to that one alone, as series(upTo) gives them; in a month's review, as of that month already."
  progress(year: Int!, upTo: String): Progress!
}
`;
}

/** The SupplementaryIndicator interface's fields, each the agency's (its subgraph resolves them). */
const SUPPLEMENTARY_FIELDS = [
  ["supplementary", "Boolean!", "Always true: an indicator beyond the plan."],
  ["title", "String!", "English title."],
  ["titleVi", "String!", "Vietnamese title."],
  ["unit", "String!", "Unit of measure."],
  ["measure", "Measure!", "How a figure is expressed."],
  ["timeAggregation", "TimeAggregation!", "How months make a year."],
  ["reportingLevel", "ReportingLevel!", "Reported by every commune or by the city alone."],
  ["citySeries", "[CityMonth!]!", "The city's monthly figures, oldest first."],
] as const;

/** The interface the IOC reads any agency's supplementary indicator through. */
const SUPPLEMENTARY_INTERFACE = `
"An indicator an agency tracks beyond the plan (not in Appendix I, no plan target), found by its code: the agency defines it in its own subgraph and holds its figures; the plan's counts never include it."
interface SupplementaryIndicator {
  "The agency's code for it, e.g. EDU-S1."
  code: ID!
${SUPPLEMENTARY_FIELDS.map(([field, type, doc]) => `  ${quoted(doc)}\n  ${field}: ${type}\n`).join("")}}
`;

/**
 * A subgraph's type of indicators beyond the plan, as the plan knows it: the key, for the plan to
 * point at it (by code, in an agency's scorecard, in late reporting), and the interface's fields,
 * every one the agency's own.
 */
function supplementaryType(spec: SubgraphSpec & { supplementaryType: string }): string {
  return `
${quoted(`An indicator the ${agencyNames(spec.agencies)} track beyond the plan, its code beginning ${spec.supplementaryPrefix} (the ${spec.name} subgraph defines it and holds its figures).`)}
type ${spec.supplementaryType} implements SupplementaryIndicator @key(fields: "code") {
  "The agency's code for it, e.g. ${spec.supplementaryPrefix}1."
  code: ID!
${SUPPLEMENTARY_FIELDS.map(
  ([field, type, doc]) => `  ${quoted(`${doc} (resolved by the ${spec.name} subgraph)`)}
  ${field}: ${type} @external
`,
).join("")}}
`;
}

function reviewExtension(): string {
  const fields = REVIEW_FIELDS.map(({ doc, field }) => `  ${quoted(doc)}\n  ${field}`);
  return `
extend type ProgressReview {
${fields.join("\n")}
}
`;
}

/** The SDL the list of subgraphs adds to the plan's schema.graphql (`base`). */
export function agencyTypeDefs(
  base: DocumentNode,
  specs: SubgraphSpec[] = agencySubgraphs,
): string {
  const fields = catalogueFields(base);
  const supplementary = specs.filter(
    (spec): spec is SubgraphSpec & { supplementaryType: string } => spec.supplementaryType !== null,
  );
  return (
    specs.map((spec) => indicatorType(spec, fields)).join("") +
    SUPPLEMENTARY_INTERFACE +
    supplementary.map(supplementaryType).join("") +
    reviewExtension()
  );
}
