// One figure at a time, made for a phone: the indicator, who asks for it and when, the inputs its
// measure needs (numerator and denominator, a value, or met / not met) with last month's figure beside
// them, and previous / next. What is typed is kept on the device until the gateway takes it; a figure
// not sent yet says so, with a button to send it now; a refusal is shown on its field.
import { useState } from "react";
import { describeError } from "../error-codes.js";
import { formatInstant } from "../format.js";
import { useI18n, type MessageKey } from "../i18n.js";
import type { KeptFigure } from "./kept-figures.js";
import { FigureText } from "./figure-text.js";
import { isOpen, type Obligation } from "./obligations.js";
import {
  fieldsOf,
  figureInput,
  typedOf,
  type FigureField,
  type TypedFigure,
} from "./typed-figure.js";

const FIELD_LABELS: Record<Exclude<FigureField, "met">, MessageKey> = {
  numerator: "cmNumerator",
  denominator: "cmDenominator",
  value: "cmValue",
};

export function FigureEntry(props: {
  obligation: Obligation;
  title: string;
  unitOfMeasure: string;
  agencies: string;
  kept: KeptFigure | undefined;
  sending: boolean;
  saved: boolean;
  position: { n: number; total: number };
  onMove: (step: -1 | 1) => void;
  onSave: (typed: TypedFigure) => void;
  onSendNow: () => void;
}) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const o = props.obligation;
  // starts from what was kept on the device, else the figure stored
  const [typed, setTyped] = useState<TypedFigure>(() => props.kept?.typed ?? typedOf(o));
  const [problem, setProblem] = useState<{ field: FigureField; message: string } | null>(null);
  // a refusal stays on its field until the person changes the figure
  const [edited, setEdited] = useState(false);
  const refusal = props.kept?.state === "refused" && !edited ? props.kept.refusal : undefined;
  const refusedText = refusal && describeError(language, refusal.code, refusal.message);
  const shownProblem =
    problem ??
    (refusal && refusedText
      ? { field: refusal.field ?? fieldsOf(o.measure)[0]!, message: refusedText }
      : null);
  const open = isOpen(o);
  const id = (field: string) => `entry-${field}`;
  const invalid = (field: FigureField) => shownProblem?.field === field;

  const change = (field: keyof TypedFigure, value: string) => {
    setProblem(null);
    setEdited(true);
    setTyped((now) => ({ ...now, [field]: value }));
  };
  const save = () => {
    const made = figureInput(o.measure, typed);
    if ("missing" in made) setProblem({ field: made.missing, message: t("cmIncomplete") });
    else if ("notANumber" in made)
      setProblem({ field: made.notANumber, message: t("cmNotANumber") });
    else {
      setEdited(false);
      props.onSave(typed);
    }
  };

  return (
    <form
      className="figure-entry"
      data-testid="figure-entry"
      data-key={o.key}
      aria-labelledby="entry-heading"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <p className="entry-position">{t("cmPosition", props.position)}</p>
      <h3 id="entry-heading">
        {o.indicator}: {props.title}
      </h3>
      <p className="entry-facts">
        {t("cmAskedBy", { agencies: props.agencies })} · {t("cmDueAt")}{" "}
        {formatInstant(i18n, o.dueAt)}
        {props.unitOfMeasure && ` · ${t("cmUnitOf", { unit: props.unitOfMeasure })}`}
      </p>
      {!open && (
        <p className="notice" role="note">
          {t("cmLocked")}
        </p>
      )}
      <fieldset disabled={!open} className="entry-fields">
        <legend className="visually-hidden">{o.indicator}</legend>
        <div className="entry-inputs">
          {o.measure === "MILESTONE" ? (
            <div
              role="radiogroup"
              aria-labelledby={id("met-label")}
              aria-invalid={invalid("met") || undefined}
              aria-describedby={invalid("met") ? "entry-problem" : undefined}
              className="milestone"
            >
              <span id={id("met-label")}>{t("cmMilestone")}</span>
              {(["true", "false"] as const).map((met) => (
                <label key={met} className="choice">
                  <input
                    type="radio"
                    name="met"
                    value={met}
                    checked={typed.met === met}
                    onChange={() => change("met", met)}
                  />
                  {t(met === "true" ? "met" : "notMet")}
                </label>
              ))}
            </div>
          ) : (
            fieldsOf(o.measure).map((field) => (
              <label key={field} htmlFor={id(field)}>
                <span>{t(FIELD_LABELS[field as Exclude<FigureField, "met">])}</span>
                <input
                  id={id(field)}
                  name={field}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  value={typed[field as Exclude<FigureField, "met">]}
                  onChange={(event) => change(field, event.target.value)}
                  aria-invalid={invalid(field) || undefined}
                  aria-describedby={invalid(field) ? "entry-problem" : undefined}
                />
              </label>
            ))
          )}
          <p className="last-month" data-testid="entry-last-month">
            <span>{t("cmLastMonth")}</span>
            <strong>
              <FigureText
                value={o.lastMonthValue}
                met={o.lastMonthMet}
                unit={props.unitOfMeasure}
              />
            </strong>
          </p>
        </div>
        {shownProblem && (
          <p id="entry-problem" className="field-problem" role="alert" data-testid="entry-problem">
            {refusal && !problem
              ? t("cmRefused", { message: shownProblem.message })
              : shownProblem.message}
          </p>
        )}
        <label htmlFor={id("comment")} className="entry-comment">
          <span>{t("cmComment")}</span>
          <input
            id={id("comment")}
            type="text"
            value={typed.comment}
            onChange={(event) => change("comment", event.target.value)}
          />
        </label>
        <button type="submit" className="primary" data-testid="entry-save">
          {t("cmSave")}
        </button>
      </fieldset>
      <div role="status" className="entry-status" data-testid="entry-status">
        {props.sending ? (
          t("cmSending")
        ) : props.kept?.state === "unsent" ? (
          <span className="unsent" data-testid="entry-unsent">
            <strong>{t("cmUnsent")}</strong> {t("cmUnsentExplain")}{" "}
            <button type="button" onClick={props.onSendNow} data-testid="entry-send-now">
              {t("cmSendAgain")}
            </button>
          </span>
        ) : props.saved && !props.kept ? (
          t("cmSaved", { indicator: o.indicator })
        ) : null}
      </div>
      <nav className="entry-moves" aria-label={t("cmEntryTitle")}>
        <button
          type="button"
          disabled={props.position.n === 1}
          onClick={() => props.onMove(-1)}
          data-testid="entry-previous"
        >
          {t("cmPrevious")}
        </button>
        <button
          type="button"
          disabled={props.position.n === props.position.total}
          onClick={() => props.onMove(1)}
          data-testid="entry-next"
        >
          {t("cmNext")}
        </button>
      </nav>
    </form>
  );
}
