// A commune's month as one reporting subgraph sees it: every indicator the commune reports to this
// subgraph's agencies, with who asks for it, when it is due, last month's figure, this month's status
// and the open warnings. Each reporting subgraph adds its part to the plan's ReportingUnit entity
// (`<subgraph>Obligations`), so a commune's whole month is one request across the graph and a new
// agency's subgraph brings its part with no change to the plan.
import { userError } from "../errors.js";
import { COMMUNE } from "../roles.js";
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
}

${owner ? "extend type" : `"A reporting unit (owned by the plan subgraph)."\ntype`} ReportingUnit${owner ? "" : ' @key(fields: "code")'} {
${owner ? "" : `  "National statistics office code (31 for the city)."\n  code: ID!\n`}  "What the unit owes the ${agencyName} subgraph's agencies for a month: the unit itself (a commune's people), its agencies or the IOC."
  ${field}(period: String!): UnitMonth!
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
  const reportedAt = (level: IndicatorDefinition["level"]) =>
    [...definitions.values()]
      .filter((definition) => definition.level === level)
      .sort((a, b) => a.code.localeCompare(b.code));

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

  function unitMonth(unit: string, period: string, ctx: KitContext) {
    checkReader(ctx, unit);
    checkPeriodArgument(period, "period");
    if (!known.has(unit)) {
      throw userError(`reporting unit ${unit} is not in the list of units`, {
        code: "UNKNOWN_REPORTING_UNIT",
      });
    }
    const due = dueDate(period);
    const pastDue = now().getTime() > due.getTime();
    const before = previousPeriod(period);
    const obligations = reportedAt(unit === cityCode ? "CITY" : "COMMUNE").map((definition) => {
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
    return { unit, period, dueAt: due.toISOString(), obligations };
  }

  return {
    ReportingUnit: {
      // the plan, which owns the unit, resolves its references itself
      ...(!ownsReportingUnit && { __resolveReference: ({ code }: { code: string }) => ({ code }) }),
      [field]: ({ code }: { code: string }, { period }: { period: string }, ctx: KitContext) =>
        unitMonth(code, period, ctx),
    },
  };
}
