// The data values' SDL: the types every reporting subgraph shares, its own value entity, audit trail
// and mutations (named after the subgraph so that they compose), and its field on the plan's review.
import { parse, type DocumentNode } from "graphql";
import { communeMonthTypeDefs } from "./commune-month.js";
import { monthTypeDefs } from "./month-sdl.js";
import { lowerFirst, MAX_AUDIT_PAGE } from "./rules.js";

function sharedTypeDefs(): string {
  return `
# every subgraph's schema.graphql names its owner with it (extend schema @contact(...))
"Names the team that owns this subgraph."
directive @contact(
  "Who owns the subgraph"
  name: String!
  "Where to reach them"
  url: String
  "What the subgraph holds"
  description: String
) on SCHEMA

"The city's figure for one month, reported directly or aggregated from the communes."
type CityMonth @shareable {
  "The month, YYYY-MM (or the year, YYYY, for a year view of a flow)."
  period: String!
  "Sum of the numerators (ratios and percentages)."
  numerator: Float
  "Sum of the denominators (ratios and percentages)."
  denominator: Float
  "The figure: a percentage, a ratio or a count."
  value: Float
  "For a milestone: met or not."
  met: Boolean
  "How many reporting units the figure stands on (1 when the city reported directly)."
  reportingUnits: Int!
  "Whether the city reported it or it was aggregated from the communes."
  source: AggregationSource!
}

"How one figure of an indicator is expressed."
enum Measure {
  "Numerator over denominator, times 100: stays in 0-100."
  PERCENT
  "Numerator over denominator (e.g. cashless payments over GRDP)."
  RATIO
  "A plain number."
  COUNT
  "Met or not met."
  MILESTONE
}

"How months make a year."
enum TimeAggregation {
  "A stock (accounts, a coverage rate): the year is its latest month."
  STOCK
  "A flow (transactions in the month): the year adds its months up."
  FLOW
}

"Where an indicator's figures are reported."
enum ReportingLevel {
  "By every commune, ward and special zone; the city's figure is aggregated unless reported directly."
  COMMUNE
  "By the city alone."
  CITY
}

"An agency subgraph's figures for a review: what the plan needs to assess progress and reporting."
type AgencyFigures @shareable {
  "The agencies that report through the subgraph."
  agencies: [ID!]!
  "Each plan indicator's figures."
  indicators: [IndicatorFigures!]!
  "How each plan indicator was reported for the review's month."
  reporting: [IndicatorReporting!]!
  "Each indicator its agencies track beyond the plan (supplementary, e.g. EDU-S1), with its figures: kept apart from the plan's indicators."
  supplementaryIndicators: [IndicatorFigures!]!
  "How each supplementary indicator was reported for the review's month."
  supplementaryReporting: [IndicatorReporting!]!
  "Each plan indicator's summary for the review, worked out where its figures are: what Open SDG's method reads of its series for the target year (a few numbers however long the series) and its communes ranked for the month. What the plan combines into the review."
  summaries: [IndicatorSummary!]!
  "Each supplementary indicator's summary for the review, as summaries gives the plan's."
  supplementarySummaries: [IndicatorSummary!]!
  "True when the subgraph's figures are demo data (generated into its empty database at start-up), not reported ones."
  demo: Boolean!
  "Each of its agencies' month under review."
  months: [AgencyMonth!]!
  "The warnings still open on the month's figures, by indicator then unit; a page of at most limit (1 to 5000) after offset."
  openWarnings(limit: Int! = 500, offset: Int! = 0): [FigureWarning!]!
}

"One indicator's figures for a review."
type IndicatorFigures @shareable {
  "The indicator's code."
  code: ID!
  "How a figure is expressed."
  measure: Measure!
  "How months make a year."
  timeAggregation: TimeAggregation!
  "Reported by every commune or by the city alone."
  reportingLevel: ReportingLevel!
  "The city's months up to the review's month."
  citySeries: [CityMonth!]!
  "Each commune's figure for the review's month (commune-level indicators)."
  unitValues: [UnitValue!]!
  "Where the review of its latest month (the last of citySeries) stands: ACCEPTED figures are final, any other state provisional."
  latestMonthState: MonthState!
}

"One indicator's part of a review of a target year and a month, worked out by the subgraph that holds its figures: the observations Open SDG's method judges against the target (the plan applies the target), and its communes ranked."
type IndicatorSummary @shareable {
  "The indicator's code."
  code: ID!
  "How a figure is expressed."
  measure: Measure!
  "How months make a year."
  timeAggregation: TimeAggregation!
  "Reported by every commune or by the city alone."
  reportingLevel: ReportingLevel!
  "The baseline: the first city month with a figure, up to December of the target year."
  baseline: CityMonth
  "The latest city month with a figure, up to the review's month and December of the target year."
  latest: CityMonth
  "True when the city has figures after the target year (up to the review's month): the year is over."
  yearIsOver: Boolean!
  "A flow's target year so far: its months added up (null for a stock)."
  yearTotal: CityMonth
  "How many months of the target year have a figure."
  monthsInYear: Int!
  "The last city month up to the review's month, in the target year or after it."
  lastMonth: CityMonth
  "The city's months up to the review's month, only for an indicator other subgraphs add figures to (II.5), which the plan combines before judging; null for every other."
  contribution: [CityMonth!]
  "The communes' figures for the review's month, best first, each with its rank (commune-level indicators; empty for the others)."
  rankedUnits: [UnitRank!]!
  "Where the review of its last month stands: ACCEPTED figures are final, any other state provisional."
  latestMonthState: MonthState!
}

"A commune's figure for a month and its rank among the communes that reported it."
type UnitRank @shareable {
  "The unit's code."
  unit: ID!
  "The figure."
  value: Float
  "For a milestone: met or not."
  met: Boolean
  "1 for the best figure; equal figures share the better rank."
  rank: Int!
}

"A reporting unit's figure."
type UnitValue @shareable {
  "The unit's code."
  unit: ID!
  "The figure."
  value: Float
  "For a milestone: met or not."
  met: Boolean
}

"How completely and how timely one indicator was reported for a month (DHIS2's completeness and timeliness)."
type IndicatorReporting @shareable {
  "The indicator's code."
  code: ID!
  "The agencies that report it."
  agencies: [ID!]!
  "Reports expected: every commune for a commune-level indicator, the city for a city-level one."
  expected: Int!
  "Reports received."
  received: Int!
  "Reports received by the due date (the 10th of the next month, server clock, Vietnam time)."
  onTime: Int!
  "Units that have not reported."
  missingUnits: [ID!]!
  "Units that reported after the due date."
  lateUnits: [ID!]!
}

"A person, as the city's identity provider names them."
type Person @shareable {
  "Their stable id at the identity provider (their token's subject)."
  id: ID!
  "Their name as shown."
  name: String!
}

"One accepted write: who made it, when, and the record before and after (as JSON)."
type AuditEntry @shareable {
  "When it was accepted (ISO 8601, server clock)."
  at: String!
  "The agency that wrote, or IOC: on whose behalf."
  actor: ID!
  "The person who wrote for the actor; null for the agency's service account (a machine, such as an import command) and for writes recorded before people were."
  person: Person
  "value.submit, report.submit, report.import, task.update or target.assign."
  action: String!
  "What was written: indicator|unit|period, a task, a target."
  subject: String!
  "Writes made by one call (a whole report or file) share a batch."
  batch: ID!
  "The record before, as JSON; null for a first write."
  before: String
  "The record after, as JSON."
  after: String
}

"Where a city figure comes from."
enum AggregationSource {
  "The city reported the figure itself."
  DIRECT
  "Summed from the communes: numerators over denominators, never an average of percentages."
  AGGREGATED
}

"One category of an indicator's breakdown (facility type, school level, age band, ...)."
type CategoryFigure @shareable {
  "The category's code, e.g. hospital."
  category: String!
  "Numerator (ratios and percentages)."
  numerator: Float
  "Denominator (ratios and percentages)."
  denominator: Float
  "The figure for the category."
  value: Float
}

"What a report or an import wrote."
type ReportResult @shareable {
  "The month reported."
  period: String!
  "Figures stored for the first time."
  created: Int!
  "Figures that replaced an earlier version (kept in history)."
  replaced: Int!
  "The indicators the report touched."
  indicators: [ID!]!
  "Warnings the stored figures raise: each figure is kept; confirm it with a comment or correct it."
  warnings: [FigureWarning!]!
}

"A breakdown category's figure: numerator and denominator for ratios and percentages, value for counts."
input CategoryInput {
  "The category's code, one of the indicator's breakdown categories."
  category: String!
  "Numerator (ratios and percentages)."
  numerator: Float
  "Denominator (ratios and percentages)."
  denominator: Float
  "Value (counts)."
  value: Float
}

"One figure: numerator and denominator for ratios and percentages, value for counts, met for milestones."
input DataValueInput {
  "The indicator's code, e.g. III.3."
  indicator: ID!
  "The reporting unit's code (31 for the city)."
  unit: ID!
  "The month, YYYY-MM; not in the future."
  period: String!
  "Numerator (ratios and percentages)."
  numerator: Float
  "Denominator (ratios and percentages); must be at least the numerator for a percentage."
  denominator: Float
  "Value (counts)."
  value: Float
  "Met or not (milestones)."
  met: Boolean
  "A note for the reviewers."
  comment: String
  "The figure by category, adding up to the total."
  breakdown: [CategoryInput!]
}

"One figure of a monthly report (the month is the report's)."
input ReportValueInput {
  "The indicator's code."
  indicator: ID!
  "The reporting unit's code (31 for the city)."
  unit: ID!
  "Numerator (ratios and percentages)."
  numerator: Float
  "Denominator (ratios and percentages)."
  denominator: Float
  "Value (counts)."
  value: Float
  "Met or not (milestones)."
  met: Boolean
  "A note for the reviewers."
  comment: String
  "The figure by category, adding up to the total."
  breakdown: [CategoryInput!]
}

"A whole month's report in one call: every figure is checked before any is stored."
input MonthlyReportInput {
  "The month, YYYY-MM."
  period: String!
  "The figures."
  values: [ReportValueInput!]!
}

"A month's report as a spreadsheet: columns indicator,unit,numerator,denominator,value,met,category,comment."
input ImportReportInput {
  "The month, YYYY-MM."
  period: String!
  "CSV or XLSX."
  format: ReportFileFormat!
  "The file, base64-encoded (at most 10 MB)."
  contentBase64: String!
  "The file's name, for the logs."
  fileName: String
}

"Spreadsheet formats an import reads."
enum ReportFileFormat {
  "Comma-separated values, UTF-8."
  CSV
  "Excel workbook (first sheet)."
  XLSX
}
`;
}

function reviewTypeDefs(field: string, agencyName: string): string {
  return `
"A review of the plan for a target year and a reporting month (owned by the plan subgraph)."
type ProgressReview @key(fields: "year period") {
  "The target year."
  year: Int!
  "The reporting month, YYYY-MM."
  period: String!
  "The ${agencyName}'s figures for the review (null when its subgraph does not answer)."
  ${field}: AgencyFigures
}

"One indicator's city series, every month: what the plan reads of it to give its series and progress."
type IndicatorSeries @shareable {
  "The indicator's code."
  code: ID!
  "How a figure is expressed."
  measure: Measure!
  "How months make a year."
  timeAggregation: TimeAggregation!
  "The city's months, oldest first."
  citySeries: [CityMonth!]!
}

extend type Query {
  "The ${agencyName}'s figures of a review month, as its review field gives them: what the plan's review reads of this subgraph, asked of it alone."
  ${field}(year: Int!, period: String!): AgencyFigures!
  "The city series of every plan indicator the ${agencyName} holds figures of (its part, for an indicator it shares with another agency): what the plan reads of this subgraph for the indicators' series and progress."
  ${field}Series: [IndicatorSeries!]!
}
`;
}

function ownTypeDefs(prefix: string, agencyName: string): string {
  return `
extend type Query {
  "The ${agencyName} subgraph's audit trail, newest first: every accepted write, between two times (ISO 8601), optionally of one actor (an agency, or IOC) and of one person (their id); a page of at most limit entries (1 to ${MAX_AUDIT_PAGE}) after the first offset. The IOC only."
  ${lowerFirst(prefix)}AuditTrail(from: String, to: String, actor: ID, person: ID, limit: Int! = 100, offset: Int! = 0): [AuditEntry!]!
}

"A figure as reported to the ${agencyName} subgraph: one per indicator, reporting unit and month (DHIS2's data value)."
type ${prefix}Value @key(fields: "indicator unit period") {
  "The indicator's code."
  indicator: ID!
  "The reporting unit's code (31 for the city)."
  unit: ID!
  "The reporting unit."
  reportingUnit: ReportingUnit!
  "The month, YYYY-MM."
  period: String!
  "Numerator (ratios and percentages)."
  numerator: Float
  "Denominator (ratios and percentages)."
  denominator: Float
  "The figure: the percentage or ratio computed from numerator and denominator, or the count."
  value: Float
  "For a milestone: met or not."
  met: Boolean
  "The figure by breakdown category, where reported."
  breakdown: [CategoryFigure!]!
  "The reporter's note."
  comment: String
  "The agency that reported this version."
  reportedBy: ID!
  "The person who reported this version for the agency; null for the agency's service account (a machine, such as an import command) and for versions reported before people were recorded."
  person: Person
  "When this version was received (server clock, ISO 8601)."
  reportedAt: String!
  "1 for the first submission, +1 for each replacement."
  version: Int!
  "The warnings the figure raises (confirmed ones included)."
  warnings: [FigureWarning!]!
}

type Mutation {
  "Submit one figure to the ${agencyName} subgraph. Re-submitting the same indicator, unit and month replaces it; the earlier version stays in history."
  submit${prefix}Value(input: DataValueInput!): ${prefix}Value!
  "Submit a whole month's report. Every figure is checked first; with any problem nothing is stored and extensions.problems lists each."
  submit${prefix}Report(input: MonthlyReportInput!): ReportResult!
  "Import a month's report from a CSV or XLSX file. Every row is checked first; with any bad row nothing is stored and extensions.problems lists each by line."
  import${prefix}Report(input: ImportReportInput!): ReportResult!
}
`;
}

/** The values module's schema for one subgraph. */
export function valuesTypeDefs(options: {
  prefix: string;
  agencyName: string;
  referenceReportingUnit?: boolean;
  reviewField?: string;
}): DocumentNode {
  return parse(
    communeMonthTypeDefs(
      options.prefix,
      options.agencyName,
      options.referenceReportingUnit === false,
    ) +
      sharedTypeDefs() +
      ownTypeDefs(options.prefix, options.agencyName) +
      monthTypeDefs(options.prefix, options.agencyName) +
      (options.reviewField ? reviewTypeDefs(options.reviewField, options.agencyName) : ""),
  );
}
