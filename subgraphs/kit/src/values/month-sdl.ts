// The SDL of an agency's month in the graph: what it owes, the warnings its figures raise, the
// month's review and its figures as DHIS2 imports them (named after the subgraph so that they compose).
import {
  lowerFirst,
  MAX_DATA_VALUES_PAGE,
  MAX_OBLIGATIONS_PAGE,
  MAX_WARNINGS_PAGE,
} from "./rules.js";

export function monthTypeDefs(prefix: string, agencyName: string): string {
  const lower = lowerFirst(prefix);
  return `
"Where an agency's month stands in its review (DHIS2's data approval)."
enum MonthState {
  "Open for figures; not submitted yet."
  DRAFT
  "Submitted by the agency; awaits the IOC. Its figures do not change meanwhile."
  SUBMITTED
  "Returned by the IOC with a reason: open for corrections, then submitted again."
  RETURNED
  "Accepted by the IOC: its figures are locked."
  ACCEPTED
  "Reopened by the IOC with a reason after it was accepted: open for corrections."
  REOPENED
}

"A step of a month's review."
enum MonthDecision {
  "Accept a submitted month: its figures are locked."
  ACCEPT
  "Return a submitted month to the agency, with a reason."
  RETURN
  "Reopen an accepted month, with a reason."
  REOPEN
}

"A check a valid figure can still fail (DHIS2's validation rules and outlier detection): a warning, not a refusal."
enum WarningRule {
  "Beyond 3 median absolute deviations of the unit's last 12 months (at least 6 of them)."
  OUTLIER
  "A stock count below the unit's month before."
  STOCK_FELL
  "A denominator that dropped or jumped by more than half from the unit's month before."
  DENOMINATOR_SHIFT
  "A commune's count or denominator larger than the city's own total for the month."
  ABOVE_CITY
}

"Whether an expected figure has come in."
enum ObligationStatus {
  "Received by the due date."
  RECEIVED
  "Received after the due date."
  LATE
  "Not received, and the due date has passed."
  MISSING
  "Not received yet; the due date has not passed."
  DUE
}

"A warning on a stored figure: open until the reporter confirms the figure with a comment or corrects it."
type FigureWarning @shareable {
  "The indicator's code."
  indicator: ID!
  "The reporting unit's code."
  unit: ID!
  "The month, YYYY-MM."
  period: String!
  "The rule the figure breaks."
  rule: WarningRule!
  "The figure the rule looked at (the value, or the denominator)."
  value: Float!
  "The lowest figure the rule expected (null: no lower bound)."
  low: Float
  "The highest figure the rule expected (null: no upper bound)."
  high: Float
  "What is wrong, in words."
  message: String!
  "True once the reporter confirmed the figure against this rule."
  confirmed: Boolean!
  "The reporter's comment on the figure."
  comment: String
}

"A step taken in a month's review."
type MonthStep @shareable {
  "The state the step left the month in."
  state: MonthState!
  "On whose behalf: the agency's code, or IOC."
  by: ID!
  "The person who took it (null: a service account)."
  person: Person
  "When (ISO 8601, server clock)."
  at: String!
  "Why (returning and reopening need a reason)."
  reason: String
}

"One figure an agency owes for a month: an indicator for a reporting unit."
type Obligation @shareable {
  "The indicator's code."
  indicator: ID!
  "The reporting unit's code."
  unit: ID!
  "Received, late, missing or still due."
  status: ObligationStatus!
  "When its first version arrived (ISO 8601), if it has."
  reportedAt: String
}

"An agency's month: what it owes, what came in, the warnings to answer, and the month's review."
type AgencyMonth @shareable {
  "The agency's code."
  agency: ID!
  "The month, YYYY-MM."
  period: String!
  "Where its review stands."
  state: MonthState!
  "The steps of its review, oldest first."
  steps: [MonthStep!]!
  "When its figures are due: the end of the 10th of the next month, Vietnam time (ISO 8601)."
  dueAt: String!
  "Figures expected: each indicator it reports (its supplementary ones too) for each unit that reports it."
  expected: Int!
  "Figures received (on time or late)."
  received: Int!
  "Figures received after the due date."
  late: Int!
  "Every figure owed with its status, by indicator then unit; a page of at most limit (1 to ${MAX_OBLIGATIONS_PAGE}) after offset, optionally of one status."
  obligations(status: ObligationStatus, limit: Int! = 1000, offset: Int! = 0): [Obligation!]!
  "The warnings its figures of the month raise, by indicator then unit; only those still open unless all is true. A page of at most limit (1 to ${MAX_WARNINGS_PAGE}) after offset."
  warnings(all: Boolean! = false, limit: Int! = 500, offset: Int! = 0): [FigureWarning!]!
}

"A step of the IOC's review of an agency's month."
input MonthReviewInput {
  "The agency's code."
  agency: ID!
  "The month, YYYY-MM."
  period: String!
  "Accept, return or reopen."
  decision: MonthDecision!
  "Why: needed to return or reopen."
  reason: String
}

"A figure confirmed as it stands, despite its warnings."
input ConfirmFigureInput {
  "The indicator's code."
  indicator: ID!
  "The reporting unit's code."
  unit: ID!
  "The month, YYYY-MM."
  period: String!
  "Why the figure is right (required)."
  comment: String!
}

"One number of a figure as DHIS2 imports it (dataValueSets, id scheme CODE): a count's or milestone's value, a percentage's or ratio's numerator and denominator as <code>.numerator and <code>.denominator, a breakdown category as its category option combo."
type DhisDataValue @shareable {
  "The indicator's code, or <code>.numerator / <code>.denominator."
  dataElement: String!
  "The month as DHIS2 writes it, YYYYMM."
  period: String!
  "The reporting unit's code."
  orgUnit: String!
  "default for the total, else the breakdown category's code."
  categoryOptionCombo: String!
  "The number (true or false for a milestone), as text."
  value: String!
  "Who stored it: the person's id, or the agency's code for a service account."
  storedBy: String!
  "When its first version arrived (ISO 8601)."
  created: String!
  "When this version arrived (ISO 8601)."
  lastUpdated: String!
  "The reporter's comment."
  comment: String
  "True while the figure has an open warning."
  followup: Boolean!
}

extend type Query {
  "The ${agencyName} subgraph's figures of a month as DHIS2 dataValues, by indicator then unit; a page of at most limit (1 to ${MAX_DATA_VALUES_PAGE}) after offset."
  ${lower}DataValues(period: String!, limit: Int! = 5000, offset: Int! = 0): [DhisDataValue!]!
  "An agency's month in the ${agencyName} subgraph: what it owes, its warnings and its review. The agency itself or the IOC."
  ${lower}Month(agency: ID!, period: String!): AgencyMonth!
}

extend type Mutation {
  "Submit the calling agency's month for the IOC's review: refused while any of its figures has an open warning. Its figures are then locked until the IOC returns it."
  submit${prefix}Month(period: String!): AgencyMonth!
  "The IOC accepts, returns (with a reason) or reopens (with a reason) an agency's month."
  review${prefix}Month(input: MonthReviewInput!): AgencyMonth!
  "Confirm a figure against its warnings with a comment: the figure stays, a new version records the confirmation."
  confirm${prefix}Figure(input: ConfirmFigureInput!): ${prefix}Value!
}
`;
}
