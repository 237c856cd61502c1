// A commune's month as one reporting subgraph sees it: every indicator the commune reports to this
// subgraph's agencies, with who asks for it, when it is due, last month's figure, this month's status
// and the open warnings. Each reporting subgraph adds its part to the plan's ReportingUnit entity
// (`<subgraph>Obligations`), so a commune's whole month is one request across the graph and a new
// agency's subgraph brings its part with no change to the plan.
import { userError } from "../errors.js";
import { authorize, COMMUNE } from "../roles.js";
import { stepCommuneMonth, type CommuneAction, type CommuneReview } from "./commune-review.js";
import { callerOf, type KitContext } from "./context.js";
import type { IndicatorDefinition } from "./definitions.js";
import { dueDate } from "./figures.js";
import { indicatorMonthState } from "./months.js";
import { checkPeriodArgument, lowerFirst, previousPeriod } from "./rules.js";
import type { ValuesSettings } from "./settings.js";

export function communeMonthTypeDefs(prefix: string, agencyName: string, owner: boolean): string {
  const field = `${lowerFirst(prefix)}Obligations`;
  return `
"One figure a reporting unit owes for a month: an indicator, the agencies that ask for it, and where it stands."
type UnitObligation @shareable {
  "The indicator's code."
  indicator: ID!
  "The agencies that ask for it (their codes)."
  agencies: [ID!]!
  "How its figure is expressed (what the form asks for)."
  measure: Measure!
  "When it is due: the end of the 10th of the next month, Vietnam time (ISO 8601)."
  dueAt: String!
  "Received, late, missing or still due."
  status: ObligationStatus!
  "Where the month stands in its review."
  monthState: MonthState!
  "The figure entered for the month (null: none yet)."
  value: Float
  "For a milestone: met or not."
  met: Boolean
  "Numerator of the figure entered (ratios and percentages)."
  numerator: Float
  "Denominator of the figure entered (ratios and percentages)."
  denominator: Float
  "Who entered the figure: COMMUNE for the commune itself, else the agency that typed it on the commune's behalf (null: none yet)."
  reportedBy: ID
  "True when an agency typed the figure on the commune's behalf."
  onBehalf: Boolean!
  "Last month's figure (null: none)."
  lastMonthValue: Float
  "Last month's milestone: met or not (null: none)."
  lastMonthMet: Boolean
  "The warnings of this month's figure still open."
  warnings: [FigureWarning!]!
}

"Where a commune's month with one agency stands (the first level of the review)."
enum CommuneMonthState {
  "Open for the commune's figures; not submitted yet."
  DRAFT
  "Submitted by the commune; awaits the agency. Its figures do not change meanwhile."
  SUBMITTED
  "Returned by the agency with a reason: open for corrections, then submitted again."
  RETURNED
  "Accepted by the agency."
  ACCEPTED
  "Marked by the agency as not reporting this month, with a reason."
  NOT_REPORTING
}

"An agency's decision on a commune's month."
enum CommuneDecision {
  "Accept the figures the commune submitted."
  ACCEPT
  "Return them to the commune, with a reason."
  RETURN
  "Mark a commune that sent nothing as not reporting this month, with a reason."
  NOT_REPORTING
}

"A step of a commune's month with an agency."
type CommuneStep @shareable {
  "The state the step left it in."
  state: CommuneMonthState!
  "COMMUNE, or the agency's code."
  by: ID!
  "The person who took it."
  person: Person
  "When (ISO 8601, server clock)."
  at: String!
  "Why (returning and marking as not reporting need a reason)."
  reason: String
}

"A commune's month with one agency: where its review stands."
type CommuneReview @shareable {
  "The agency's code."
  agency: ID!
  "Where it stands."
  state: CommuneMonthState!
  "The reason of the last step, if it gave one (why the figures were returned)."
  reason: String
  "The steps, oldest first."
  steps: [CommuneStep!]!
}

"An agency's decision on a commune's month."
input CommuneReviewInput {
  "The commune's reporting unit code."
  unit: ID!
  "The month, YYYY-MM."
  period: String!
  "Accept, return, or mark as not reporting."
  decision: CommuneDecision!
  "Why: needed to return and to mark as not reporting."
  reason: String
}

"What a reporting unit owes one subgraph's agencies for a month."
type UnitMonth @shareable {
  "The reporting unit's code."
  unit: ID!
  "The month, YYYY-MM."
  period: String!
  "When its figures are due: the end of the 10th of the next month, Vietnam time (ISO 8601)."
  dueAt: String!
  "Every indicator it reports to them, in code order."
  obligations: [UnitObligation!]!
  "Its month with each agency that asks it for figures: where the review stands (none for the city)."
  reviews: [CommuneReview!]!
}

extend type Mutation {
  "A commune's chairman submits the commune's figures of the month to the ${agencyName} subgraph's agencies that ask for them; they are then locked until an agency returns them."
  submit${prefix}CommuneMonth(unit: ID!, period: String!): UnitMonth!
  "An agency's head accepts a commune's submitted month, returns it with a reason, or marks a commune that sent nothing as not reporting, with a reason."
  review${prefix}CommuneMonth(input: CommuneReviewInput!): UnitMonth!
}

${owner ? "extend type" : `"A reporting unit (owned by the plan subgraph)."\ntype`} ReportingUnit${owner ? "" : ' @key(fields: "code")'} {
${owner ? "" : `  "National statistics office code (31 for the city)."\n  code: ID!\n`}  "What the unit owes the ${agencyName} subgraph's agencies for a month: the unit itself (a commune's people), its agencies or the IOC. Null when the subgraph does not answer: the other subgraphs' parts still come."
  ${field}(period: String!): UnitMonth
}
`;
}

export function communeMonthResolvers({
  prefix,
  definitions,
  cityCode,
  units,
  now,
  ownsReportingUnit,
}: ValuesSettings) {
  const known = new Set(units);
  const field = `${lowerFirst(prefix)}Obligations`;
  /** The agencies that ask a commune for figures through this subgraph. */
  const communeAgencies = [
    ...new Set(
      [...definitions.values()].filter((d) => d.level === "COMMUNE").flatMap((d) => d.writers),
    ),
  ].sort();
  // the indicators a unit reports, by its level, in code order: worked out once
  const inCodeOrder = [...definitions.values()].sort((a, b) => a.code.localeCompare(b.code));
  const reportedAt: Record<IndicatorDefinition["level"], IndicatorDefinition[]> = {
    CITY: inCodeOrder.filter((definition) => definition.level === "CITY"),
    COMMUNE: inCodeOrder.filter((definition) => definition.level === "COMMUNE"),
  };

  /** The unit itself, the agencies and the IOC read a unit's month; another commune may not. */
  function checkReader(ctx: KitContext, unit: string) {
    const caller = callerOf(ctx, "read");
    if (caller === COMMUNE && ctx.commune !== unit) {
      throw userError(
        `a commune reads its own month only: unit ${unit} is not commune ${ctx.commune ?? "(none named)"}`,
        { code: "FORBIDDEN" },
      );
    }
  }

  function checkUnit(unit: string, period: string) {
    checkPeriodArgument(period, "period");
    if (!known.has(unit)) {
      throw userError(`reporting unit ${unit} is not in the list of units`, {
        code: "UNKNOWN_REPORTING_UNIT",
      });
    }
  }

  const reviewsOf = (unit: string, period: string, ctx: KitContext) =>
    unit === cityCode
      ? []
      : communeAgencies.map((agency) => {
          const steps = ctx.values.communeMonths.stepsOf(agency, unit, period);
          return {
            agency,
            state: steps.at(-1)?.state ?? "DRAFT",
            reason: steps.at(-1)?.reason ?? null,
            steps: steps.map((step) => ({ ...step, at: step.at.toISOString() })),
          };
        });

  function unitMonth(unit: string, period: string, ctx: KitContext) {
    checkReader(ctx, unit);
    checkUnit(unit, period);
    const due = dueDate(period);
    const pastDue = now().getTime() > due.getTime();
    const before = previousPeriod(period);
    const obligations = reportedAt[unit === cityCode ? "CITY" : "COMMUNE"].map((definition) => {
      const doc = ctx.values.store.get({ indicator: definition.code, unit, period });
      const last = ctx.values.store.get({ indicator: definition.code, unit, period: before });
      const first = doc ? new Date(doc.firstReportedAt ?? doc.reportedAt) : null;
      return {
        indicator: definition.code,
        agencies: definition.writers,
        measure: definition.measure,
        dueAt: due.toISOString(),
        status: first
          ? first.getTime() > due.getTime()
            ? "LATE"
            : "RECEIVED"
          : pastDue
            ? "MISSING"
            : "DUE",
        monthState: indicatorMonthState(ctx.values.months, definition.writers, period),
        value: doc?.value ?? null,
        met: doc?.met ?? null,
        numerator: doc?.numerator ?? null,
        denominator: doc?.denominator ?? null,
        reportedBy: doc?.reportedBy ?? null,
        onBehalf: doc !== null && doc.reportedBy !== COMMUNE && unit !== cityCode,
        lastMonthValue: last?.value ?? null,
        lastMonthMet: last?.met ?? null,
        warnings: doc ? ctx.values.store.warningsOf(doc).filter((w) => !w.confirmed) : [],
      };
    });
    return {
      unit,
      period,
      dueAt: due.toISOString(),
      obligations,
      reviews: reviewsOf(unit, period, ctx),
    };
  }

  const reviewOf = (ctx: KitContext): CommuneReview => ({
    book: ctx.values.communeMonths,
    models: ctx.values.models,
    replica: ctx.values.replica,
  });
  const actorOf = (ctx: KitContext, agency: string) => ({
    agency,
    person: ctx.person ?? null,
  });

  /** The commune's chairman submits its month to every agency it is still open with. */
  async function submit(unit: string, period: string, ctx: KitContext) {
    authorize(ctx, "submitCommuneMonth");
    if (ctx.commune !== unit) {
      throw userError(
        `a commune submits its own month only: unit ${unit} is not commune ${ctx.commune}`,
        {
          code: "FORBIDDEN",
        },
      );
    }
    checkUnit(unit, period);
    const open = communeAgencies.filter((agency) =>
      ["DRAFT", "RETURNED"].includes(ctx.values.communeMonths.state(agency, unit, period)),
    );
    if (open.length === 0) {
      throw userError(`commune ${unit} has nothing open to submit for ${period} in this subgraph`, {
        code: "INVALID_MONTH_STEP",
      });
    }
    // as the agencies do: every warning of its figures answered first
    const noOpenWarnings = () => {
      const warnings = ctx.values.store
        .warnings(period)
        .filter((w) => w.unit === unit && !w.confirmed);
      if (warnings.length > 0) {
        throw userError(
          `${warnings.length} figure warning(s) of ${period} are open: confirm each figure with a comment or correct it, then submit. First: ${warnings[0]!.indicator}: ${warnings[0]!.message}`,
          { code: "OPEN_WARNINGS", warnings: warnings.length },
        );
      }
    };
    await stepCommuneMonth(
      reviewOf(ctx),
      { action: "SUBMIT", agencies: open, unit, period, actor: actorOf(ctx, COMMUNE) },
      null,
      now(),
      noOpenWarnings,
    );
    return unitMonth(unit, period, ctx);
  }

  /** An agency's head decides on a commune's month with that agency, while its own month is open. */
  async function review(
    input: { unit: string; period: string; decision: CommuneAction; reason?: string | null },
    ctx: KitContext,
  ) {
    const agency = authorize(ctx, "reviewCommuneMonth");
    const { unit, period } = input;
    if (!communeAgencies.includes(agency)) {
      throw userError(
        `${agency} asks communes for no figure through this subgraph: only ${communeAgencies.join(", ")} review these communes' months`,
        { code: "FORBIDDEN" },
      );
    }
    checkUnit(unit, period);
    if (unit === cityCode) {
      throw userError(
        `the city reports to the agencies directly: only a commune's month is reviewed`,
        {
          argumentName: "unit",
        },
      );
    }
    await stepCommuneMonth(
      reviewOf(ctx),
      { action: input.decision, agencies: [agency], unit, period, actor: actorOf(ctx, agency) },
      input.reason,
      now(),
      () => ctx.values.months.checkWritable(agency, period),
    );
    return unitMonth(unit, period, ctx);
  }

  return {
    Mutation: {
      [`submit${prefix}CommuneMonth`]: (
        _: unknown,
        { unit, period }: { unit: string; period: string },
        ctx: KitContext,
      ) => submit(unit, period, ctx),
      [`review${prefix}CommuneMonth`]: (
        _: unknown,
        { input }: { input: Parameters<typeof review>[0] },
        ctx: KitContext,
      ) => review(input, ctx),
    },
    ReportingUnit: {
      // the plan, which owns the unit, resolves its references itself
      ...(!ownsReportingUnit && { __resolveReference: ({ code }: { code: string }) => ({ code }) }),
      [field]: ({ code }: { code: string }, { period }: { period: string }, ctx: KitContext) =>
        unitMonth(code, period, ctx),
    },
  };
}
