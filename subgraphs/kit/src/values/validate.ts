// Checks a submitted figure against what the subgraph knows, and turns it into a stored shape.
// Every refusal has a code from the kit's error catalogue and a message that names the fix.
import type { ErrorCode } from "../errors.js";
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
}

export interface ValidationScope {
  definitions: ReadonlyMap<string, IndicatorDefinition>;
  /** Reporting-unit codes; the city's is `cityCode`. */
  units: ReadonlySet<string>;
  cityCode: string;
  /** The calling agency. */
  agency: string;
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

const problem = (code: ErrorCode, message: string): Problem => ({ code, message });
const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const given = (x: unknown) => x !== null && x !== undefined;

/** The figure a numerator and denominator make for a measure, rounded to 4 decimals. */
export function figureOf(measure: "PERCENT" | "RATIO", numerator: number, denominator: number) {
  const raw = (numerator / denominator) * (measure === "PERCENT" ? 100 : 1);
  return Math.round(raw * 10_000) / 10_000;
}

function checkFigure(
  definition: IndicatorDefinition,
  input: { numerator?: number | null; denominator?: number | null; value?: number | null },
  what: string,
): Problem | { numerator: number | null; denominator: number | null; value: number | null } {
  const { measure } = definition;
  if (measure === "PERCENT" || measure === "RATIO") {
    const { numerator, denominator } = input;
    if (!isNumber(numerator) || !isNumber(denominator)) {
      return problem(
        "INVALID_VALUE",
        `${what}: a ${measure.toLowerCase()} needs numerator and denominator`,
      );
    }
    if (given(input.value)) {
      return problem(
        "INVALID_VALUE",
        `${what}: give numerator and denominator, not value (it is computed)`,
      );
    }
    if (numerator < 0 || denominator <= 0) {
      return problem("INVALID_VALUE", `${what}: numerator must be ≥ 0 and denominator > 0`);
    }
    // a percentage counts people, records, services: 5.5 people is a typing mistake
    if (measure === "PERCENT" && !(Number.isInteger(numerator) && Number.isInteger(denominator))) {
      return problem(
        "INVALID_VALUE",
        `${what}: numerator and denominator of a percentage are counts, whole numbers (got ${numerator} / ${denominator})`,
      );
    }
    if (measure === "PERCENT" && numerator > denominator) {
      return problem(
        "INVALID_VALUE",
        `${what}: numerator ${numerator} exceeds denominator ${denominator} (a percentage stays in 0-100)`,
      );
    }
    return { numerator, denominator, value: figureOf(measure, numerator, denominator) };
  }
  if (measure === "COUNT") {
    if (!isNumber(input.value) || input.value < 0) {
      return problem("INVALID_VALUE", `${what}: a count needs a value ≥ 0`);
    }
    if (!Number.isInteger(input.value)) {
      return problem("INVALID_VALUE", `${what}: a count is a whole number, not ${input.value}`);
    }
    if (given(input.numerator) || given(input.denominator)) {
      return problem(
        "INVALID_VALUE",
        `${what}: a count takes value only, not numerator or denominator`,
      );
    }
    return { numerator: null, denominator: null, value: input.value };
  }
  return problem("INVALID_VALUE", `${what}: a milestone is reported with met: true or false`);
}

export function validateValue(
  input: ValueInput,
  scope: ValidationScope,
): { value: NormalizedValue } | { problem: Problem } {
  const fail = (code: ErrorCode, message: string) => ({ problem: problem(code, message) });
  const definition = scope.definitions.get(input.indicator);
  if (!definition) {
    return fail(
      "UNKNOWN_INDICATOR",
      `indicator ${input.indicator} is not reported through this subgraph`,
    );
  }
  if (!definition.writers.includes(scope.agency)) {
    return fail(
      "FORBIDDEN",
      `agency ${scope.agency} may not report indicator ${input.indicator} (reported by ${definition.writers.join(", ")})`,
    );
  }
  if (!scope.units.has(input.unit)) {
    return fail(
      "UNKNOWN_REPORTING_UNIT",
      `reporting unit ${input.unit} is not in the list of units`,
    );
  }
  if (definition.level === "CITY" && input.unit !== scope.cityCode) {
    return fail(
      "INVALID_VALUE",
      `indicator ${input.indicator} is reported for the city (unit ${scope.cityCode}) only, not unit ${input.unit}`,
    );
  }
  const period = /^(\d{4})-(\d{2})$/.exec(input.period);
  if (!period || Number(period[2]) < 1 || Number(period[2]) > 12) {
    return fail("INVALID_PERIOD", `period "${input.period}" is not a month written YYYY-MM`);
  }
  if (input.period < FIRST_PERIOD) {
    return fail(
      "INVALID_PERIOD",
      `period ${input.period} is before ${FIRST_PERIOD}, the first month tracked`,
    );
  }
  if (input.period > currentPeriod(scope.now)) {
    return fail(
      "FUTURE_PERIOD",
      `period ${input.period} is in the future (this month is ${currentPeriod(scope.now)})`,
    );
  }
  if (input.comment && input.comment.length > MAX_COMMENT) {
    return fail("INVALID_VALUE", `the comment is longer than ${MAX_COMMENT} characters`);
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
      return fail("INVALID_VALUE", `${key}: a milestone needs met: true or false`);
    if ([input.numerator, input.denominator, input.value].some(given) || input.breakdown?.length) {
      return fail("INVALID_VALUE", `${key}: a milestone takes met only`);
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
  if (given(input.met)) return fail("INVALID_VALUE", `${key}: met is only for milestones`);
  const total = checkFigure(definition, input, key);
  if ("code" in total) return { problem: total };

  const breakdown: CategoryFigure[] = [];
  if (input.breakdown?.length) {
    if (!definition.breakdown) {
      return fail("INVALID_VALUE", `${key}: indicator ${input.indicator} has no breakdown`);
    }
    const seen = new Set<string>();
    for (const part of input.breakdown) {
      if (!definition.breakdown.categories.includes(part.category)) {
        return fail(
          "INVALID_VALUE",
          `${key}: category "${part.category}" is not one of ${definition.breakdown.categories.join(", ")}`,
        );
      }
      if (seen.has(part.category))
        return fail("INVALID_VALUE", `${key}: category ${part.category} repeats`);
      seen.add(part.category);
      const figure = checkFigure(definition, part, `${key} ${part.category}`);
      if ("code" in figure) return { problem: figure };
      breakdown.push({ category: part.category, ...figure });
    }
    const sum = (pick: (f: CategoryFigure) => number | null) =>
      breakdown.reduce((acc, f) => acc + (pick(f) ?? 0), 0);
    const parts =
      definition.measure === "COUNT"
        ? [[sum((f) => f.value), total.value] as const]
        : [
            [sum((f) => f.numerator), total.numerator] as const,
            [sum((f) => f.denominator), total.denominator] as const,
          ];
    if (parts.some(([a, b]) => Math.abs(a - (b ?? 0)) > 1e-9)) {
      return fail("INVALID_VALUE", `${key}: the breakdown does not add up to the total`);
    }
  }
  return { value: { ...base, ...total, met: null, breakdown } };
}
