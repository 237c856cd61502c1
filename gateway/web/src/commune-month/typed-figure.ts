// What a person typed for one figure, as text (kept exactly as typed until the gateway takes it), and
// the figure it makes for the gateway: numerator and denominator for a percentage or a ratio, a value
// for a count, met or not for a milestone.
import type { Measure, ReportValueInput } from "../graphql/generated/graphql.js";

export interface TypedFigure {
  numerator: string;
  denominator: string;
  value: string;
  met: "" | "true" | "false";
  comment: string;
}

/** The form's fields, as the gateway's refusals name them (a problem's `column`). */
export type FigureField = "numerator" | "denominator" | "value" | "met";

export const isRatio = (measure: Measure) => measure === "PERCENT" || measure === "RATIO";

/** The fields a measure asks for. */
export function fieldsOf(measure: Measure): FigureField[] {
  if (measure === "MILESTONE") return ["met"];
  return isRatio(measure) ? ["numerator", "denominator"] : ["value"];
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));

/** The stored figure as the form starts from it. */
export function typedOf(figure: {
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  met: boolean | null;
}): TypedFigure {
  return {
    numerator: text(figure.numerator),
    denominator: text(figure.denominator),
    value: text(figure.value),
    met: figure.met === true ? "true" : figure.met === false ? "false" : "",
    comment: "",
  };
}

/** A figure as the gateway takes it, without its indicator and unit. */
export type Figure = Omit<ReportValueInput, "indicator" | "unit">;

/** A typed number: the decimal comma read as a point; NaN for anything else. */
const numberOf = (raw: string) => Number(raw.trim().replace(",", "."));

/**
 * The figure to send, or what is wrong before sending: a field left empty, or one that is not a
 * number. The gateway's own rules (a percentage's numerator within its denominator, ...) are its to say.
 */
export function figureInput(
  measure: Measure,
  typed: TypedFigure,
): { figure: Figure } | { missing: FigureField } | { notANumber: FigureField } {
  const figure: Figure = { comment: typed.comment.trim() || null };
  for (const field of fieldsOf(measure)) {
    const raw = typed[field];
    if (raw.trim() === "") return { missing: field };
    if (field === "met") figure.met = raw === "true";
    else if (Number.isNaN(numberOf(raw))) return { notANumber: field };
    else figure[field] = numberOf(raw);
  }
  return { figure };
}
