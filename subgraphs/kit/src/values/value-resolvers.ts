// The subgraph's value entity and its writes: one figure, a month's report, a month's spreadsheet.
// Every figure of a report is checked before any is stored.
import { userError, type ErrorCode } from "../errors.js";
import type { Actor, AuditAction } from "../audit.js";
import { authorize } from "../roles.js";
import type { KitContext } from "./context.js";
import type { DataValueDoc } from "./model.js";
import { parseReportFile, type ReportFileFormat } from "./report-file.js";
import { checkPeriodArgument, MAX_FILE_BYTES, MAX_REPORT_VALUES, reportError } from "./rules.js";
import type { ValuesSettings } from "./settings.js";
import { writeValues } from "./store.js";
import { validateValue, type Problem, type ValueInput, type ValidationScope } from "./validate.js";

export function valueResolvers(settings: ValuesSettings) {
  const { prefix, definitions, cityCode, now } = settings;
  const units = new Set(settings.units);

  const scopeFor = (ctx: KitContext): ValidationScope => ({
    definitions,
    units,
    cityCode,
    agency: authorize(ctx, "enterFigures"),
    now: now(),
  });
  /** Who writes: the calling agency and the person acting for it. */
  const actorOf = (scope: ValidationScope, ctx: KitContext): Actor => ({
    agency: scope.agency,
    person: ctx.person ?? null,
  });

  async function store(
    ctx: KitContext,
    action: AuditAction,
    period: string,
    inputs: { input: ValueInput; line?: number }[],
  ) {
    const scope = scopeFor(ctx);
    checkPeriodArgument(period, "period");
    if (inputs.length > MAX_REPORT_VALUES) {
      throw userError(`a report holds at most ${MAX_REPORT_VALUES} figures`, {
        code: "INVALID_REPORT",
      });
    }
    const problems: (Problem & { index?: number; line?: number })[] = [];
    const seen = new Map<string, number>();
    const valid = inputs.flatMap(({ input, line }, index) => {
      const where = line !== undefined ? { line } : { index };
      const result = validateValue({ ...input, period }, scope);
      if ("problem" in result) {
        problems.push({ ...where, ...result.problem });
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
    if (problems.length > 0) throw reportError(problems);
    const summary = await writeValues(ctx.values, valid, actorOf(scope, ctx), scope.now, action);
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
      const summary = await writeValues(ctx.values, [result.value], actorOf(scope, ctx), scope.now);
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
      if (parsed.problems.length > 0) {
        throw reportError(
          parsed.problems.map((p) => ({ ...p, code: "INVALID_REPORT" as ErrorCode })),
        );
      }
      return store(ctx, "report.import", input.period, parsed.values);
    },
  };

  return { [`${prefix}Value`]: value, Mutation: mutations };
}
