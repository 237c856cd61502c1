// An agency's month in the graph: what it owes (every indicator and reporting unit it must report,
// received, late or missing), the warnings its figures raise, and the month's review (submit, accept,
// return, reopen). Part of every reporting subgraph's values module, named after the subgraph.
import { userError } from "../errors.js";
import { page, type PageArguments } from "../paging.js";
import type { IndicatorDefinition } from "./definitions.js";
import type { KitContext } from "./context.js";
import type { FigureWarning } from "./figure-store.js";
import { dhisDataValues } from "./data-value-sets.js";
import { dueDate } from "./figures.js";
import { stepMonth, type MonthAction, type MonthStepDoc } from "./months.js";
import { writeValues } from "./store.js";

export interface MonthModuleOptions {
  prefix: string;
  agencyName: string;
  definitions: Map<string, IndicatorDefinition>;
  units: string[];
  cityCode: string;
  now: () => Date;
  /** Refuses a malformed month argument (the values module's check). */
  checkPeriod: (value: string, argumentName: string) => void;
}

/** The largest page of a month's obligations (114 communes × a dozen indicators fit one). */
export const MAX_OBLIGATIONS_PAGE = 5000;
/** The largest page of a month's warnings. */
export const MAX_WARNINGS_PAGE = 5000;
/** The largest page of a month's data values for DHIS2. */
export const MAX_DATA_VALUES_PAGE = 20_000;

export function monthTypeDefs(prefix: string, agencyName: string): string {
  const lower = prefix.charAt(0).toLowerCase() + prefix.slice(1);
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

interface MonthRef {
  agency: string;
  period: string;
}

interface ObligationRow {
  indicator: string;
  unit: string;
  status: "RECEIVED" | "LATE" | "MISSING" | "DUE";
  reportedAt: string | null;
}

export function monthModule(options: MonthModuleOptions) {
  const { prefix, definitions, cityCode, now, checkPeriod } = options;
  const lower = prefix.charAt(0).toLowerCase() + prefix.slice(1);
  const communes = options.units.filter((unit) => unit !== cityCode);
  const agencies = new Set([...definitions.values()].flatMap((d) => d.writers));
  // everything it reports, its supplementary indicators too: late reporting counts them as well
  const owedBy = (agency: string) =>
    [...definitions.values()].filter((d) => d.writers.includes(agency));

  function checkAgency(agency: string) {
    if (!agencies.has(agency)) {
      throw userError(`agency ${agency} does not report through this subgraph`, {
        argumentName: "agency",
      });
    }
  }

  /** The agency itself or the IOC. */
  function checkReader(ctx: KitContext, agency: string) {
    if (ctx.caller !== agency && ctx.caller !== "IOC") {
      throw userError(`an agency's month is for the agency itself and the IOC to read`, {
        code: ctx.caller ? "FORBIDDEN" : "UNAUTHENTICATED",
      });
    }
  }

  /** Each month's obligations, worked out once for the request that asked (its counts read them too). */
  const owed = new WeakMap<MonthRef, ObligationRow[]>();

  function obligations(month: MonthRef, ctx: KitContext): ObligationRow[] {
    let rows = owed.get(month);
    if (!rows) owed.set(month, (rows = obligationsOf(month, ctx)));
    return rows;
  }

  function obligationsOf({ agency, period }: MonthRef, ctx: KitContext): ObligationRow[] {
    const due = dueDate(period).getTime();
    const pastDue = now().getTime() > due;
    return owedBy(agency).flatMap((definition) =>
      (definition.level === "COMMUNE" ? communes : [cityCode]).map((unit): ObligationRow => {
        const doc = ctx.values.store.get({ indicator: definition.code, unit, period });
        if (!doc) {
          return {
            indicator: definition.code,
            unit,
            status: pastDue ? "MISSING" : "DUE",
            reportedAt: null,
          };
        }
        const first = new Date(doc.firstReportedAt ?? doc.reportedAt);
        return {
          indicator: definition.code,
          unit,
          status: first.getTime() > due ? "LATE" : "RECEIVED",
          reportedAt: first.toISOString(),
        };
      }),
    );
  }

  /** The warnings of the agency's figures for the month. */
  function warningsOf({ agency, period }: MonthRef, ctx: KitContext): FigureWarning[] {
    const owed = new Set(owedBy(agency).map((d) => d.code));
    return ctx.values.store.warnings(period).filter((w) => owed.has(w.indicator));
  }

  const monthOf = (agency: string, period: string): MonthRef => ({ agency, period });

  const agencyMonth = {
    state: (month: MonthRef, _: unknown, ctx: KitContext) =>
      ctx.values.months.state(month.agency, month.period),
    steps: (month: MonthRef, _: unknown, ctx: KitContext) =>
      ctx.values.months.stepsOf(month.agency, month.period).map((step: MonthStepDoc) => ({
        ...step,
        at: step.at.toISOString(),
      })),
    dueAt: (month: MonthRef) => dueDate(month.period).toISOString(),
    expected: (month: MonthRef, _: unknown, ctx: KitContext) => obligations(month, ctx).length,
    received: (month: MonthRef, _: unknown, ctx: KitContext) =>
      obligations(month, ctx).filter((o) => o.status === "RECEIVED" || o.status === "LATE").length,
    late: (month: MonthRef, _: unknown, ctx: KitContext) =>
      obligations(month, ctx).filter((o) => o.status === "LATE").length,
    obligations: (
      month: MonthRef,
      args: PageArguments & { status?: ObligationRow["status"] | null },
      ctx: KitContext,
    ) =>
      page(
        obligations(month, ctx).filter((o) => args.status == null || o.status === args.status),
        args,
        MAX_OBLIGATIONS_PAGE,
      ),
    warnings: (month: MonthRef, args: PageArguments & { all: boolean }, ctx: KitContext) =>
      page(
        warningsOf(month, ctx).filter((w) => args.all || !w.confirmed),
        args,
        MAX_WARNINGS_PAGE,
      ),
  };

  async function step(
    ctx: KitContext,
    action: MonthAction,
    agency: string,
    period: string,
    reason?: string | null,
  ) {
    checkPeriod(period, "period");
    checkAgency(agency);
    if (!ctx.caller) {
      throw userError("a month's review needs a calling agency or the IOC", {
        code: "UNAUTHENTICATED",
      });
    }
    // a submission waits for every warning to be answered
    const noOpenWarnings = () => {
      const open = warningsOf({ agency, period }, ctx).filter((w) => !w.confirmed);
      if (open.length > 0) {
        throw userError(
          `${open.length} figure warning(s) of ${period} are open: confirm each figure with a comment or correct it, then submit. First: ${open[0]!.indicator} ${open[0]!.unit}: ${open[0]!.message}`,
          { code: "OPEN_WARNINGS", warnings: open.length },
        );
      }
    };
    await stepMonth(
      {
        book: ctx.values.months,
        steps: ctx.values.models.MonthStep,
        audit: ctx.values.models.Audit,
        replica: ctx.values.replica,
      },
      { action, agency, period, actor: { agency: ctx.caller, person: ctx.person ?? null }, reason },
      now(),
      action === "SUBMIT" ? noOpenWarnings : undefined,
    );
    return monthOf(agency, period);
  }

  return {
    resolvers: {
      AgencyMonth: agencyMonth,
      Query: {
        [`${lower}DataValues`](
          _: unknown,
          args: PageArguments & { period: string },
          ctx: KitContext,
        ) {
          checkPeriod(args.period, "period");
          const open = new Set(
            ctx.values.store
              .warnings(args.period)
              .filter((w) => !w.confirmed)
              .map((w) => `${w.indicator}|${w.unit}`),
          );
          const values = [...definitions.values()].flatMap((definition) =>
            ctx.values.store
              .values(definition.code, { from: args.period, to: args.period })
              .flatMap((doc) =>
                dhisDataValues(doc, definition, open.has(`${doc.indicator}|${doc.unit}`)),
              ),
          );
          return page(values, args, MAX_DATA_VALUES_PAGE);
        },
        [`${lower}Month`](_: unknown, args: MonthRef, ctx: KitContext) {
          checkPeriod(args.period, "period");
          checkAgency(args.agency);
          checkReader(ctx, args.agency);
          return monthOf(args.agency, args.period);
        },
      },
      Mutation: {
        [`submit${prefix}Month`](_: unknown, args: { period: string }, ctx: KitContext) {
          if (ctx.caller === "IOC") {
            throw userError("the IOC reviews months; an agency submits its own", {
              code: "FORBIDDEN",
            });
          }
          return step(ctx, "SUBMIT", ctx.caller ?? "", args.period);
        },
        [`review${prefix}Month`]: (
          _: unknown,
          {
            input,
          }: {
            input: MonthRef & { decision: Exclude<MonthAction, "SUBMIT">; reason?: string | null };
          },
          ctx: KitContext,
        ) => step(ctx, input.decision, input.agency, input.period, input.reason),
        async [`confirm${prefix}Figure`](
          _: unknown,
          {
            input,
          }: { input: { indicator: string; unit: string; period: string; comment: string } },
          ctx: KitContext,
        ) {
          checkPeriod(input.period, "period");
          const definition = definitions.get(input.indicator);
          if (!ctx.caller || !definition?.writers.includes(ctx.caller)) {
            throw userError(
              `only the agency that reports ${input.indicator} confirms its figures`,
              {
                code: ctx.caller ? "FORBIDDEN" : "UNAUTHENTICATED",
              },
            );
          }
          const comment = input.comment.trim();
          if (!comment) {
            throw userError("a confirmation needs a comment saying why the figure is right", {
              argumentName: "comment",
            });
          }
          await ctx.values.replica.catchUp(0, false);
          const current = ctx.values.store.get(input);
          if (!current) {
            throw userError(
              `no figure of ${input.indicator} for unit ${input.unit} in ${input.period} to confirm`,
            );
          }
          const rules = ctx.values.store.warningsOf(current).map((w) => w.rule);
          if (rules.length === 0) {
            throw userError(
              `${input.indicator} for unit ${input.unit} in ${input.period} raises no warning to confirm`,
            );
          }
          const { indicator, unit, period, numerator, denominator, value, met, breakdown } =
            current;
          const figure = { indicator, unit, period, numerator, denominator, value, met, breakdown };
          const summary = await writeValues(
            ctx.values,
            [{ ...figure, comment, confirmed: rules }],
            { agency: ctx.caller, person: ctx.person ?? null },
            now(),
            "value.confirm",
          );
          return summary.values[0];
        },
      },
    },
    /** The months of the subgraph's agencies, for the plan's review of a month. */
    monthsOf: (period: string) => [...agencies].sort().map((agency) => monthOf(agency, period)),
    /** The open warnings of a month, for the plan's review. */
    openWarnings: (period: string, args: PageArguments, ctx: KitContext) =>
      page(
        ctx.values.store.warnings(period).filter((w) => !w.confirmed),
        args,
        MAX_WARNINGS_PAGE,
      ),
  };
}
