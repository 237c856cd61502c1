// Checks a submitted figure against what the subgraph knows, and turns it into a stored shape.
// Every refusal has a code from the kit's error catalogue and a message that names the fix.
import type { ErrorCode } from "../errors.js";
import { COMMUNE } from "../roles.js";
import type { IndicatorDefinition } from "./definitions.js";
import type { CategoryFigure, DataValueDoc } from "./model.js";

export interface CategoryInput {
  category: string;
  numerator?: number | null;
  denominator?: number | null;
  value?: number | null;
}

export interface ValueInput {
  indicator: string;
  unit: string;
  period: string;
  numerator?: number | null;
  denominator?: number | null;
  value?: number | null;
  met?: boolean | null;
  comment?: string | null;
  breakdown?: CategoryInput[] | null;
}

/** A validated figure, ready to store: a data value before who and when are added. */
export type NormalizedValue = Omit<
  DataValueDoc,
  "reportedBy" | "person" | "reportedAt" | "firstReportedAt" | "version"
>;

export interface Problem {
  code: ErrorCode;
  message: string;
  /** The field that is wrong (a spreadsheet's column of the same name), where one is. */
  column?: string;
  /** The breakdown category whose figure is wrong (its own row in a spreadsheet). */
  category?: string;
}

export interface ValidationScope {
  definitions: ReadonlyMap<string, IndicatorDefinition>;
  /** Reporting-unit codes; the city's is `cityCode`. */
  units: ReadonlySet<string>;
  cityCode: string;
  /** The calling agency, or COMMUNE. */
  agency: string;
  /** The commune a commune's person acts for (agency COMMUNE); null for an agency's. */
  commune: string | null;
  now: Date;
}

/** Earliest month accepted: the baseline year before the plan (targets compare with 2025). */
export const FIRST_PERIOD = "2025-01";
const MAX_COMMENT = 2000;

/** The month it is in Hai Phong (UTC+7): the city's clock decides what is the future. */
export function currentPeriod(now: Date): string {
  const local = new Date(now.getTime() + 7 * 3_600_000);
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, "0")}`;
}

const problem = (
  code: ErrorCode,
  message: string,
  where: { column?: string; category?: string } = {},
): Problem => ({ code, message, ...where });
const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const given = (x: unknown) => x !== null && x !== undefined;

/** The figure a numerator and denominator make for a measure, rounded to 4 decimals. */
export function figureOf(measure: "PERCENT" | "RATIO", numerator: number, denominator: number) {
  const raw = (numerator / denominator) * (measure === "PERCENT" ? 100 : 1);
  return Math.round(raw * 10_000) / 10_000;
}

type FigureFields = {
  numerator?: number | null;
  denominator?: number | null;
  value?: number | null;
};

function checkFigure(
  definition: IndicatorDefinition,
  input: FigureFields,
  what: string,
  /** The breakdown category checked, when it is one. */
  category?: string,
): Problem | { numerator: number | null; denominator: number | null; value: number | null } {
  const { measure } = definition;
  const wrong = (column: keyof FigureFields | "met", message: string) =>
    problem("INVALID_VALUE", `${what}: ${message}`, { column, ...(category && { category }) });
  if (measure === "PERCENT" || measure === "RATIO") {
    const { numerator, denominator } = input;
    if (!isNumber(numerator) || !isNumber(denominator)) {
      return wrong(
        isNumber(numerator) ? "denominator" : "numerator",
        `a ${measure.toLowerCase()} needs numerator and denominator`,
      );
    }
    if (given(input.value)) {
      return wrong("value", "give numerator and denominator, not value (it is computed)");
    }
    if (numerator < 0 || denominator <= 0) {
      return wrong(
        numerator < 0 ? "numerator" : "denominator",
        "numerator must be ≥ 0 and denominator > 0",
      );
    }
    // a percentage counts people, records, services: 5.5 people is a typing mistake
    if (measure === "PERCENT" && !(Number.isInteger(numerator) && Number.isInteger(denominator))) {
      return wrong(
        Number.isInteger(numerator) ? "denominator" : "numerator",
        `numerator and denominator of a percentage are counts, whole numbers (got ${numerator} / ${denominator})`,
      );
    }
    if (measure === "PERCENT" && numerator > denominator) {
      return wrong(
        "numerator",
        `numerator ${numerator} exceeds denominator ${denominator} (a percentage stays in 0-100)`,
      );
    }
    return { numerator, denominator, value: figureOf(measure, numerator, denominator) };
  }
  if (measure === "COUNT") {
    if (!isNumber(input.value) || input.value < 0) {
      return wrong("value", "a count needs a value ≥ 0");
    }
    if (!Number.isInteger(input.value)) {
      return wrong("value", `a count is a whole number, not ${input.value}`);
    }
    if (given(input.numerator) || given(input.denominator)) {
      return wrong(
        given(input.numerator) ? "numerator" : "denominator",
        "a count takes value only, not numerator or denominator",
      );
    }
    return { numerator: null, denominator: null, value: input.value };
  }
  return wrong("met", "a milestone is reported with met: true or false");
}

/** A number as a person wrote it: no binary noise from adding decimals (0.1 + 0.2). */
const shown = (x: number) => String(Number(x.toPrecision(12)));

/**
 * How a breakdown misses its total, field by field: the total, the categories' sum and the
 * difference, so that the row to correct can be found; null when it adds up.
 */
function breakdownMismatch(
  sums: [field: "numerator" | "denominator" | "value", sum: number, total: number | null][],
): { columns: string; message: string } | null {
  const off = sums.filter(([, sum, total]) => Math.abs(sum - (total ?? 0)) > 1e-9);
  if (off.length === 0) return null;
  const parts = off.map(([field, sum, total]) => {
    const difference = sum - (total ?? 0);
    return `${field} total ${shown(total ?? 0)}, breakdown sum ${shown(sum)} (${shown(Math.abs(difference))} ${difference > 0 ? "more" : "less"})`;
  });
  return {
    columns: off.map(([field]) => field).join(", "),
    message: `the breakdown does not add up to the total: ${parts.join("; ")}`,
  };
}

export interface ValidateOptions {
  /**
   * Some of the breakdown's categories were refused before (a spreadsheet's unreadable row): the
   * categories given are checked, their sum is not (the refused row is the problem to report).
   */
  partialBreakdown?: boolean;
}

/**
 * Why a commune's person may not write this figure, or null: a commune reports commune-level
 * indicators (for whichever agency asks for them), and only its own figures.
 */
function communeRefusal(
  definition: IndicatorDefinition,
  unit: string,
  commune: string | null,
): Problem | null {
  if (definition.level !== "COMMUNE") {
    return problem(
      "FORBIDDEN",
      `indicator ${definition.code} is reported for the city by ${definition.writers.join(", ")}, not by a commune`,
      { column: "indicator" },
    );
  }
  if (unit !== commune) {
    return problem(
      "FORBIDDEN",
      `a commune reports its own figures only: unit ${unit} is not commune ${commune ?? "(none named)"}`,
      { column: "unit" },
    );
  }
  return null;
}

export function validateValue(
  input: ValueInput,
  scope: ValidationScope,
  options: ValidateOptions = {},
): { value: NormalizedValue } | { problem: Problem } {
  const fail = (code: ErrorCode, message: string, where: Pick<Problem, "column" | "category">) => ({
    problem: problem(code, message, where),
  });
  const definition = scope.definitions.get(input.indicator);
  if (!definition) {
    return fail(
      "UNKNOWN_INDICATOR",
      `indicator ${input.indicator} is not reported through this subgraph`,
      { column: "indicator" },
    );
  }
  if (scope.agency === COMMUNE) {
    const refusal = communeRefusal(definition, input.unit, scope.commune);
    if (refusal) return { problem: refusal };
  } else if (!definition.writers.includes(scope.agency)) {
    return fail(
      "FORBIDDEN",
      `agency ${scope.agency} may not report indicator ${input.indicator} (reported by ${definition.writers.join(", ")})`,
      { column: "indicator" },
    );
  }
  if (!scope.units.has(input.unit)) {
    return fail(
      "UNKNOWN_REPORTING_UNIT",
      `reporting unit ${input.unit} is not in the list of units`,
      { column: "unit" },
    );
  }
  if (definition.level === "CITY" && input.unit !== scope.cityCode) {
    return fail(
      "INVALID_VALUE",
      `indicator ${input.indicator} is reported for the city (unit ${scope.cityCode}) only, not unit ${input.unit}`,
      { column: "unit" },
    );
  }
  const period = /^(\d{4})-(\d{2})$/.exec(input.period);
  if (!period || Number(period[2]) < 1 || Number(period[2]) > 12) {
    return fail("INVALID_PERIOD", `period "${input.period}" is not a month written YYYY-MM`, {
      column: "period",
    });
  }
  if (input.period < FIRST_PERIOD) {
    return fail(
      "INVALID_PERIOD",
      `period ${input.period} is before ${FIRST_PERIOD}, the first month tracked`,
      { column: "period" },
    );
  }
  if (input.period > currentPeriod(scope.now)) {
    return fail(
      "FUTURE_PERIOD",
      `period ${input.period} is in the future (this month is ${currentPeriod(scope.now)})`,
      { column: "period" },
    );
  }
  if (input.comment && input.comment.length > MAX_COMMENT) {
    return fail("INVALID_VALUE", `the comment is longer than ${MAX_COMMENT} characters`, {
      column: "comment",
    });
  }
  const key = `${input.indicator} ${input.unit} ${input.period}`;
  const base = {
    indicator: input.indicator,
    unit: input.unit,
    period: input.period,
    comment: input.comment?.trim() || null,
  };

  if (definition.measure === "MILESTONE") {
    if (typeof input.met !== "boolean")
      return fail("INVALID_VALUE", `${key}: a milestone needs met: true or false`, {
        column: "met",
      });
    const extra = (["numerator", "denominator", "value"] as const).find((f) => given(input[f]));
    if (extra || input.breakdown?.length) {
      return fail("INVALID_VALUE", `${key}: a milestone takes met only`, {
        column: extra ?? "category",
      });
    }
    return {
      value: {
        ...base,
        numerator: null,
        denominator: null,
        value: null,
        met: input.met,
        breakdown: [],
      },
    };
  }
  if (given(input.met))
    return fail("INVALID_VALUE", `${key}: met is only for milestones`, { column: "met" });
  const total = checkFigure(definition, input, key);
  if ("code" in total) return { problem: total };

  const breakdown: CategoryFigure[] = [];
  if (input.breakdown?.length) {
    if (!definition.breakdown) {
      return fail("INVALID_VALUE", `${key}: indicator ${input.indicator} has no breakdown`, {
        column: "category",
        category: input.breakdown[0]!.category,
      });
    }
    const seen = new Set<string>();
    for (const part of input.breakdown) {
      const where = { column: "category", category: part.category };
      if (!definition.breakdown.categories.includes(part.category)) {
        return fail(
          "INVALID_VALUE",
          `${key}: category "${part.category}" is not one of ${definition.breakdown.categories.join(", ")}`,
          where,
        );
      }
      if (seen.has(part.category))
        return fail("INVALID_VALUE", `${key}: category ${part.category} repeats`, where);
      seen.add(part.category);
      const figure = checkFigure(definition, part, `${key} ${part.category}`, part.category);
      if ("code" in figure) return { problem: figure };
      breakdown.push({ category: part.category, ...figure });
    }
    const sum = (pick: (f: CategoryFigure) => number | null) =>
      breakdown.reduce((acc, f) => acc + (pick(f) ?? 0), 0);
    const mismatch = options.partialBreakdown
      ? null
      : breakdownMismatch(
          definition.measure === "COUNT"
            ? [["value", sum((f) => f.value), total.value]]
            : [
                ["numerator", sum((f) => f.numerator), total.numerator],
                ["denominator", sum((f) => f.denominator), total.denominator],
              ],
        );
    if (mismatch) {
      return fail("INVALID_VALUE", `${key}: ${mismatch.message}`, { column: mismatch.columns });
    }
  }
  return { value: { ...base, ...total, met: null, breakdown } };
}
