// The subgraph's value entity and its writes: one figure, a month's report, a month's spreadsheet.
// Every figure of a report is checked before any is stored.
import { userError, type ErrorCode } from "../errors.js";
import type { Actor, AuditAction } from "../audit.js";
import { authorize, COMMUNE } from "../roles.js";
import type { KitContext } from "./context.js";
import type { DataValueDoc } from "./model.js";
import { parseReportFile, type ReportFileFormat } from "./report-file.js";
import { checkPeriodArgument, MAX_FILE_BYTES, MAX_REPORT_VALUES, reportError } from "./rules.js";
import type { ValuesSettings } from "./settings.js";
import { writeValues } from "./store.js";
import {
  validateValue,
  type NormalizedValue,
  type Problem,
  type ValueInput,
  type ValidationScope,
} from "./validate.js";

export function valueResolvers(settings: ValuesSettings) {
  const { prefix, definitions, cityCode, now } = settings;
  const units = new Set(settings.units);

  /** Who may write what: checked first, so that an anonymous write is told to sign in. */
  const scopeFor = (ctx: KitContext): ValidationScope => ({
    definitions,
    units,
    cityCode,
    agency: authorize(ctx, "enterFigures"),
    commune: ctx.commune ?? null,
    now: now(),
  });
  /**
   * The months a commune's figures belong to: those of the agencies that ask for them, and its own
   * month with each (an agency's figures belong to its own month, the default).
   */
  const monthsOf = (scope: ValidationScope) =>
    scope.agency === COMMUNE
      ? (value: NormalizedValue) => ({
          agencies: definitions.get(value.indicator)!.writers,
          commune: value.unit,
        })
      : undefined;
  /** Who writes: the calling agency and the person acting for it. */
  const actorOf = (scope: ValidationScope, ctx: KitContext): Actor => ({
    agency: scope.agency,
    person: ctx.person ?? null,
  });

  /** A figure of a report: from a file, with the lines it came from; else by its index. */
  interface ReportFigure {
    input: ValueInput;
    line?: number;
    categoryLines?: ReadonlyMap<string, number>;
    partialBreakdown?: boolean;
  }
  type ReportProblem = Problem & { index?: number; line?: number };

  /**
   * Checks every figure and stores them all, or none: a refusal lists every problem, those found
   * before (a file's unreadable rows) with the figures' own, by line or index.
   */
  async function store(
    ctx: KitContext,
    action: AuditAction,
    period: string,
    inputs: ReportFigure[],
    found: ReportProblem[] = [],
  ) {
    const scope = scopeFor(ctx);
    checkPeriodArgument(period, "period");
    if (inputs.length > MAX_REPORT_VALUES) {
      throw userError(`a report holds at most ${MAX_REPORT_VALUES} figures`, {
        code: "INVALID_REPORT",
      });
    }
    const problems: ReportProblem[] = [...found];
    const seen = new Map<string, number>();
    const valid = inputs.flatMap(({ input, line, categoryLines, partialBreakdown }, index) => {
      const where = line !== undefined ? { line } : { index };
      const result = validateValue({ ...input, period }, scope, { partialBreakdown });
      if ("problem" in result) {
        // a category's problem is on the category's own row of a file
        const categoryLine =
          result.problem.category !== undefined
            ? categoryLines?.get(result.problem.category)
            : undefined;
        problems.push({ ...where, ...(categoryLine && { line: categoryLine }), ...result.problem });
        return [];
      }
      const key = `${input.indicator}|${input.unit}`;
      if (seen.has(key)) {
        problems.push({
          ...where,
          code: "INVALID_VALUE" as ErrorCode,
          message: `${input.indicator} for unit ${input.unit} is given twice`,
        });
        return [];
      }
      seen.set(key, index);
      return [result.value];
    });
    problems.sort((a, b) => (a.line ?? a.index ?? 0) - (b.line ?? b.index ?? 0));
    if (problems.length > 0) throw reportError(problems);
    const summary = await writeValues(
      ctx.values,
      valid,
      actorOf(scope, ctx),
      scope.now,
      action,
      monthsOf(scope),
    );
    return {
      period,
      created: summary.created,
      replaced: summary.replaced,
      indicators: [...new Set(valid.map((v) => v.indicator))],
      warnings: summary.values.flatMap((value) => ctx.values.store.warningsOf(value)),
    };
  }

  const value = {
    __resolveReference: (
      ref: { indicator: string; unit: string; period: string },
      ctx: KitContext,
    ) => ctx.values.store.get(ref),
    reportingUnit: (value: DataValueDoc) => ({ code: value.unit }),
    // an upsert may store an empty list as absent
    breakdown: (value: DataValueDoc) => value.breakdown ?? [],
    reportedAt: (value: DataValueDoc) => new Date(value.reportedAt).toISOString(),
    warnings: (value: DataValueDoc, _: unknown, ctx: KitContext) =>
      ctx.values.store.warningsOf(value),
  };

  const mutations = {
    async [`submit${prefix}Value`](_: unknown, { input }: { input: ValueInput }, ctx: KitContext) {
      const scope = scopeFor(ctx);
      checkPeriodArgument(input.period, "period");
      const result = validateValue(input, scope);
      if ("problem" in result)
        throw userError(result.problem.message, { code: result.problem.code });
      const summary = await writeValues(
        ctx.values,
        [result.value],
        actorOf(scope, ctx),
        scope.now,
        "value.submit",
        monthsOf(scope),
      );
      return summary.values[0];
    },
    async [`submit${prefix}Report`](
      _: unknown,
      { input }: { input: { period: string; values: Omit<ValueInput, "period">[] } },
      ctx: KitContext,
    ) {
      return store(
        ctx,
        "report.submit",
        input.period,
        input.values.map((value) => ({ input: { ...value, period: input.period } })),
      );
    },
    async [`import${prefix}Report`](
      _: unknown,
      { input }: { input: { period: string; format: ReportFileFormat; contentBase64: string } },
      ctx: KitContext,
    ) {
      scopeFor(ctx);
      checkPeriodArgument(input.period, "period");
      if (input.contentBase64.length > (MAX_FILE_BYTES * 4) / 3 + 4) {
        throw userError("the file is larger than 10 MB", { code: "INVALID_REPORT" });
      }
      const parsed = await parseReportFile(
        Buffer.from(input.contentBase64, "base64"),
        input.format,
      );
      // the rows that could be read are checked too: one refusal lists every bad row
      const unreadable = parsed.problems.map((p) => ({
        ...p,
        code: "INVALID_REPORT" as ErrorCode,
      }));
      return store(ctx, "report.import", input.period, parsed.values, unreadable);
    },
  };

  return { [`${prefix}Value`]: value, Mutation: mutations };
}
