// The resolvers of an agency's month: the month as the agency and the IOC read it, its figures as
// DHIS2 imports them, and its review (submit, accept, return, reopen) and a figure's confirmation.
import type { GraphQLResolveInfo } from "graphql";
import { userError } from "../errors.js";
import { readsUpTo } from "../read-scope.js";
import { page, type PageArguments } from "../paging.js";
import { authorize, COMMUNE } from "../roles.js";
import { refuseCommune } from "./commune-reads.js";
import { callerOf, type KitContext } from "./context.js";
import { dhisDataValues } from "./data-value-sets.js";
import { dueDate } from "./figures.js";
import { monthObligations, type MonthRef, type ObligationRow } from "./month-obligations.js";
import { stepMonth, type MonthAction, type MonthStepDoc } from "./months.js";
import {
  checkPeriodArgument as checkPeriod,
  lowerFirst,
  MAX_DATA_VALUES_PAGE,
  MAX_OBLIGATIONS_PAGE,
  MAX_WARNINGS_PAGE,
} from "./rules.js";
import type { ValuesSettings } from "./settings.js";
import { writeValues } from "./store.js";

export function monthResolvers(settings: ValuesSettings) {
  const { prefix, definitions, now } = settings;
  const lower = lowerFirst(prefix);
  const agencies = new Set([...definitions.values()].flatMap((d) => d.writers));
  const { obligations, warningsOf } = monthObligations(settings);

  function checkAgency(agency: string) {
    if (!agencies.has(agency)) {
      throw userError(`agency ${agency} does not report through this subgraph`, {
        argumentName: "agency",
      });
    }
  }

  /** The agency itself or the IOC. */
  function checkReader(caller: string, agency: string) {
    if (caller !== agency && caller !== "IOC") {
      throw userError(`an agency's month is for the agency itself and the IOC to read`, {
        code: "FORBIDDEN",
      });
    }
  }

  const monthOf = (agency: string, period: string): MonthRef => ({ agency, period });

  /**
   * The communes an agency's month waits on: those whose submitted month it has not decided, those
   * it returned, and those holding figures they typed themselves without submitting them.
   */
  function communesWaiting(agency: string, period: string, ctx: KitContext) {
    const states = ctx.values.communeMonths.statesOf(agency, period);
    const waiting = new Map<string, string>();
    for (const [unit, state] of states) {
      if (state === "SUBMITTED" || state === "RETURNED") waiting.set(unit, state);
    }
    for (const definition of definitions.values()) {
      if (definition.level !== "COMMUNE" || !definition.writers.includes(agency)) continue;
      for (const value of ctx.values.store.values(definition.code, { from: period, to: period })) {
        if (value.reportedBy === COMMUNE && !states.has(value.unit))
          waiting.set(value.unit, "DRAFT");
      }
    }
    return [...waiting].sort().map(([unit, state]) => ({ unit, state }));
  }

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

  /** A step of the month's review, by the caller `authorize` found first. */
  async function step(
    ctx: KitContext,
    caller: string,
    action: MonthAction,
    agency: string,
    period: string,
    reason?: string | null,
  ) {
    checkPeriod(period, "period");
    checkAgency(agency);
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
    // the first level first: no commune waits on the agency, or holds figures it has not submitted
    const noCommuneWaiting = () => {
      const waiting = communesWaiting(agency, period, ctx);
      if (waiting.length > 0) {
        throw userError(
          `${waiting.length} commune(s) of ${period} wait: accept or return each commune's submitted month, and ask those with figures not yet submitted to submit them. First: ${waiting[0]!.unit} (${waiting[0]!.state})`,
          { code: "COMMUNES_PENDING", communes: waiting.map((w) => w.unit) },
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
      { action, agency, period, actor: { agency: caller, person: ctx.person ?? null }, reason },
      now(),
      action === "SUBMIT"
        ? () => {
            noOpenWarnings();
            noCommuneWaiting();
          }
        : undefined,
    );
    return monthOf(agency, period);
  }

  return {
    AgencyMonth: agencyMonth,
    Query: {
      [`${lower}DataValues`](
        _: unknown,
        args: PageArguments & { period: string },
        ctx: KitContext,
        info: GraphQLResolveInfo,
      ) {
        refuseCommune(ctx, "an agency's figures as DHIS2 data values");
        checkPeriod(args.period, "period");
        // the month's figures and their warnings (whose rules look back, never ahead)
        readsUpTo(ctx, info, args.period);
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
      [`${lower}Month`](_: unknown, args: MonthRef, ctx: KitContext, info: GraphQLResolveInfo) {
        const caller = callerOf(ctx, "read");
        checkPeriod(args.period, "period");
        checkAgency(args.agency);
        checkReader(caller, args.agency);
        // its steps, figures and warnings are the month's own; a write to a later month keeps it
        readsUpTo(ctx, info, args.period);
        return monthOf(args.agency, args.period);
      },
    },
    Mutation: {
      [`submit${prefix}Month`](_: unknown, args: { period: string }, ctx: KitContext) {
        const caller = authorize(ctx, "submitMonth");
        if (caller === "IOC") {
          throw userError("the IOC reviews months; an agency submits its own", {
            code: "FORBIDDEN",
          });
        }
        return step(ctx, caller, "SUBMIT", caller, args.period);
      },
      [`review${prefix}Month`]: (
        _: unknown,
        {
          input,
        }: {
          input: MonthRef & { decision: Exclude<MonthAction, "SUBMIT">; reason?: string | null };
        },
        ctx: KitContext,
      ) =>
        step(
          ctx,
          authorize(ctx, "reviewMonth"),
          input.decision,
          input.agency,
          input.period,
          input.reason,
        ),
      async [`confirm${prefix}Figure`](
        _: unknown,
        { input }: { input: { indicator: string; unit: string; period: string; comment: string } },
        ctx: KitContext,
      ) {
        const caller = authorize(ctx, "confirmFigure");
        checkPeriod(input.period, "period");
        const definition = definitions.get(input.indicator);
        if (!definition?.writers.includes(caller)) {
          throw userError(`only the agency that reports ${input.indicator} confirms its figures`, {
            code: "FORBIDDEN",
          });
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
        const { indicator, unit, period, numerator, denominator, value, met, breakdown } = current;
        const figure = { indicator, unit, period, numerator, denominator, value, met, breakdown };
        const summary = await writeValues(
          ctx.values,
          [{ ...figure, comment, confirmed: rules }],
          { agency: caller, person: ctx.person ?? null },
          now(),
          "value.confirm",
        );
        return summary.values[0];
      },
    },
  };
}
