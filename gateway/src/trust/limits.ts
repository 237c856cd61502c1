// Limits against abuse: the cost of every operation, counting what its arguments ask for, beside the
// depth, alias and directive limits of graphql-armor; refusals are GraphQL errors with a code,
// counted in the metrics.
import type { ApolloServerPlugin } from "@apollo/server";
import { agencySubgraphs, catalogue, reportingUnitCodes } from "@p06/catalogue";
import type { Claims } from "@p06/subgraph-kit";
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";

export interface Limits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
}

type Arguments = Record<string, unknown>;
/** The most items a list can hold, or a function of the field's arguments that says so. */
type Size = number | ((args: Arguments) => number);

const most = (counts: number[]) => Math.max(0, ...counts);
/** The size of the largest group of `items` by `key`. */
function largestGroup<T>(items: T[], key: (item: T) => string): number {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return most([...counts.values()]);
}

/** The plan's sizes: its catalogue, its reporting units, its months (January 2025 to December 2030). */
const INDICATORS = catalogue.indicators.length;
const TASKS = catalogue.tasks.length;
const AGENCIES = catalogue.agencies.length;
const UNITS = reportingUnitCodes().length;
const FIRST_MONTH = monthIndex("2025-01")!;
const LAST_MONTH = monthIndex("2030-12")!;
const MONTHS = LAST_MONTH - FIRST_MONTH + 1;
const STATUSES = 7;
/** Categories of a breakdown (age bands, facility types, school levels, ...: three each today). */
const CATEGORIES = 5;
const owners = catalogue.indicators.map((indicator) => indicator.trackingAgencies[0]!);
/**
 * An agency's indicators beyond the plan: its own to define, so no catalogue counts them; a handful
 * each (education has two), priced as at most this many.
 */
const SUPPLEMENTARY = 20;

function monthIndex(period: unknown): number | null {
  const match = typeof period === "string" ? /^(\d{4})-(\d{2})$/.exec(period) : null;
  return match ? Number(match[1]) * 12 + Number(match[2]) - 1 : null;
}

/** The months from `from` to `to` (inclusive; either open), within the plan's. */
function monthsAsked(args: Arguments): number {
  const from = Math.max(FIRST_MONTH, monthIndex(args.from) ?? FIRST_MONTH);
  const to = Math.min(LAST_MONTH, monthIndex(args.to) ?? LAST_MONTH);
  return Math.max(0, to - from + 1);
}

/** How many of the catalogue's `items` have what each argument given asks for (its values in `fields`). */
function matching<T>(items: T[], fields: Record<string, (item: T) => string[]>): Size {
  return (args) =>
    items.filter((item) =>
      Object.entries(fields).every(
        ([name, values]) => args[name] == null || values(item).includes(String(args[name])),
      ),
    ).length;
}

/** One unit's months, or every unit's. */
const figures: Size = (args) => (args.unit == null ? UNITS : 1) * monthsAsked(args);

/**
 * What each list can hold, by `Type.field` or by field name. A list with a `limit` argument holds
 * no more than it (given, or the schema's default); one that only grows with time (history, audit
 * trails, task updates) holds exactly that. A test checks that every list of the supergraph is here.
 */
export const LIST_SIZES: Record<string, Size> = {
  "Query.indicators": matching(catalogue.indicators, {
    group: (i) => [i.group],
    agency: (i) => i.trackingAgencies,
  }),
  "Query.tasks": matching(catalogue.tasks, {
    group: (t) => [t.group],
    leadAgency: (t) => t.leadAgencies,
  }),
  "Query.agencies": AGENCIES,
  "Query.indicatorGroups": catalogue.indicatorGroups.length,
  "Query.taskGroups": catalogue.taskGroups.length,
  "Query.reportingUnits": UNITS,
  // an agency's city series of every plan indicator it holds (what the plan reads of it)
  ...Object.fromEntries(
    agencySubgraphs.map((spec) => [`Query.${spec.reviewField}Series`, INDICATORS]),
  ),
  // every active commune with its drill-down (the dashboard's communes page)
  "ProgressReview.communes": UNITS,
  "ProgressReview.agencyScorecards": AGENCIES,
  "IndicatorGroup.indicators": largestGroup(catalogue.indicators, (i) => i.group),
  "TaskGroup.tasks": largestGroup(catalogue.tasks, (t) => t.group),
  indicators: INDICATORS,
  targets: 2,
  milestones: 2,
  trackingAgencies: most(catalogue.indicators.map((i) => i.trackingAgencies.length)),
  leadAgencies: most(catalogue.tasks.map((t) => t.leadAgencies.length)),
  coordinatingAgencies: most(catalogue.tasks.map((t) => t.coordinatingAgencies.length)),
  agencies: AGENCIES,
  byStatus: STATUSES,
  counts: STATUSES,
  statusCounts: STATUSES,
  byGroup: catalogue.indicatorGroups.length,
  byAgency: AGENCIES,
  overdue: TASKS,
  dueSoon: TASKS,
  done: TASKS,
  tasksDue: TASKS,
  // an entry per reporting agency and unit, each naming that agency's indicators
  lateReporting: UNITS * new Set(owners).size,
  missing: largestGroup(owners, (owner) => owner),
  late: largestGroup(owners, (owner) => owner),
  reporting: INDICATORS,
  // an agency's indicators beyond the plan, apart from the plan's (by subgraph and by agency alike)
  "AgencyFigures.supplementaryIndicators": SUPPLEMENTARY,
  // a review's summaries: one an indicator, its communes ranked, its months where another agency adds to it
  "AgencyFigures.summaries": INDICATORS,
  "AgencyFigures.supplementarySummaries": SUPPLEMENTARY,
  "IndicatorSummary.contribution": MONTHS,
  "IndicatorSummary.rankedUnits": UNITS,
  supplementaryReporting: SUPPLEMENTARY,
  "AgencyScorecard.supplementary": SUPPLEMENTARY,
  missingSupplementary: SUPPLEMENTARY,
  lateSupplementary: SUPPLEMENTARY,
  unitValues: UNITS,
  missingUnits: UNITS,
  lateUnits: UNITS,
  citySeries: MONTHS,
  series: MONTHS,
  educationContribution: MONTHS,
  projectionSeries: MONTHS,
  values: figures,
  educationValues: figures,
  breakdown: CATEGORIES,
  byAgeBand: CATEGORIES,
  byProcedureLevel: CATEGORIES,
  byFacilityType: CATEGORIES,
  bySchoolLevel: CATEGORIES,
  educationBySchoolLevel: CATEGORIES,
  byBenefitType: CATEGORIES,
  history: Infinity,
  updates: Infinity,
  // an agency's month: its obligations and warnings are paged; a figure raises at most one warning a rule
  "AgencyFigures.months": AGENCIES,
  "AgencyFigures.openWarnings": Infinity,
  "AgencyMonth.obligations": Infinity,
  "AgencyMonth.warnings": Infinity,
  // a unit's month in one subgraph: each indicator it reports there
  "UnitMonth.obligations": INDICATORS,
  // its month with each agency that asks it for figures
  "UnitMonth.reviews": AGENCIES,
  // a report is one agency's month: at most a warning a figure, each of its indicators in every unit
  "ReportResult.warnings": UNITS * largestGroup(owners, (owner) => owner),
  warnings: 4,
  "Query.explanationRequests": Infinity,
  // reminder digests are paged, and so is each one's list of figures owed; a digest has a few addresses
  "Query.reminders": Infinity,
  "Reminder.outstanding": Infinity,
  "Reminder.to": 20,
  "Reminder.cc": 20,
  // a month's review steps: a handful (submit, return, submit, accept, reopen, ...)
  steps: 20,
};

/** A list the table does not know. */
const DEFAULT_LIST_SIZE = 20;

/** What the table says a list holds (undefined: it does not know the list). */
export function sizeOf(typeName: string, fieldName: string): Size | undefined {
  const listed = (key: string) => (Object.hasOwn(LIST_SIZES, key) ? LIST_SIZES[key] : undefined);
  return (
    listed(`${typeName}.${fieldName}`) ??
    listed(fieldName) ??
    // an agency's indicators (healthIndicators, ...), its audit trail (healthAuditTrail, ...) and its
    // figures for DHIS2 (healthDataValues, ...; both paged)
    (fieldName.endsWith("Indicators")
      ? INDICATORS
      : fieldName.endsWith("AuditTrail") || fieldName.endsWith("DataValues")
        ? Infinity
        : undefined)
  );
}

/** The size a list is priced at: its own, by its arguments, no more than its `limit`. */
function listSize(
  parent: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  args: Arguments,
): number {
  const size = sizeOf(parent.name, field.name) ?? DEFAULT_LIST_SIZE;
  const natural = typeof size === "function" ? size(args) : size;
  const limit = typeof args.limit === "number" ? args.limit : Infinity;
  return Math.max(0, Math.min(natural, limit));
}

/**
 * Cost: one per field, and a list's selection counted once for each item the list can hold given
 * its arguments (a `unit` is one unit's figures, `from`/`to` that many months, `limit` caps it).
 * Where the type is abstract (Indicator), the most costly of its types: an answer's item has one.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> = {},
): number {
  const root =
    operation.operation === "mutation"
      ? schema.getMutationType()
      : operation.operation === "subscription"
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  const variableValues = coerced.coerced ?? variables;
  // a selection set costs the same for the same type wherever it is spread
  const known = new Map<SelectionSetNode, Map<GraphQLNamedType, number>>();

  const argumentsOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): Arguments => {
    try {
      return getArgumentValues(field, node, variableValues);
    } catch {
      // malformed arguments are refused when it runs; priced here at the list's largest
      return {};
    }
  };

  /** What @skip and @include leave out costs nothing (one document can serve several pages). */
  const included = (node: SelectionNode): boolean => {
    try {
      if (getDirectiveValues(GraphQLSkipDirective, node, variableValues)?.if === true) return false;
      return getDirectiveValues(GraphQLIncludeDirective, node, variableValues)?.if !== false;
    } catch {
      // a malformed condition is refused when it runs; priced here as included
      return true;
    }
  };

  const fieldCost = (node: FieldNode, parent: GraphQLObjectType): number => {
    if (node.name.value.startsWith("__")) return 0;
    const field = parent.getFields()[node.name.value];
    if (!field || !node.selectionSet) return 1;
    const type = getNamedType(field.type) as GraphQLCompositeType;
    const items = isListType(getNullableType(field.type))
      ? listSize(parent, field, argumentsOf(field, node))
      : 1;
    return items === 0 ? 1 : 1 + items * selectionCost(node.selectionSet, type);
  };

  const selectionCost = (selectionSet: SelectionSetNode, type: GraphQLCompositeType): number => {
    if (isAbstractType(type)) {
      return most(schema.getPossibleTypes(type).map((t) => selectionCost(selectionSet, t)));
    }
    if (!isObjectType(type)) return 0;
    const byType = known.get(selectionSet) ?? new Map<GraphQLNamedType, number>();
    known.set(selectionSet, byType);
    const kept = byType.get(type);
    if (kept !== undefined) return kept;
    // a fragment spread within itself is refused by validation; never recursed into here
    byType.set(type, 0);
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(selection, type);
        continue;
      }
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
      const condition = fragment?.typeCondition
        ? schema.getType(fragment.typeCondition.name.value)
        : type;
      // a type condition this type does not meet selects nothing on it
      if (!fragment || !condition || !appliesTo(schema, condition, type)) continue;
      cost += selectionCost(fragment.selectionSet, type);
    }
    byType.set(type, cost);
    return cost;
  };

  return selectionCost(operation.selectionSet, root);
}

function appliesTo(schema: GraphQLSchema, condition: GraphQLNamedType, type: GraphQLObjectType) {
  return condition === type || (isAbstractType(condition) && schema.isSubType(condition, type));
}

/** Refuses an operation whose cost exceeds the limit, before any subgraph is asked. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const fragments = Object.fromEntries(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const cost = operationCost(schema, operation, fragments, request.variables ?? {});
          if (cost > maxCost) {
            throw new GraphQLError(
              `the operation costs ${Number.isFinite(cost) ? cost : "without bound"}, above the limit of ${maxCost} (every field counts once for each item the lists above it can hold, given their arguments): filter by unit or months, or page with limit`,
              {
                extensions: {
                  code: "QUERY_TOO_COSTLY",
                  cost: Number.isFinite(cost) ? cost : null,
                  maxCost,
                  http: { status: 400 },
                },
              },
            );
          }
        },
      };
    },
  };
}

/**
 * Whose budget a request counts against (the rate limit's key): the person a token names, so one
 * officer cannot use up their agency's; an agency's service account by the agency; anything else (no
 * token, a refused one) by address (`ip`, as express-rate-limit reduces it), so a made-up token can
 * neither dodge the limit nor use up someone else's.
 */
export function rateLimitKey(
  identified: { claims: Claims | null } | undefined,
  ip: string,
): string {
  const claims = identified?.claims;
  if (!claims) return `ip:${ip}`;
  return claims.person ? `person:${claims.person.id}` : `agency:${claims.sub}`;
}
