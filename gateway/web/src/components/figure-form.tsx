// The month's figures of one indicator, unit by unit: numerator and denominator for a percentage or
// a ratio, a value for a count, met or not for a milestone, the breakdown where the indicator has
// one, and a comment; last month's figure beside each. "Save" sends the changed rows as one report
// (submit<Agency>Report): all are checked before any is stored, and a refusal marks its rows.
import { useEffect, useMemo, useRef, useState } from "react";
import {
  breakdownOf,
  CATEGORY_NAMES,
  flagsFor,
  monthBefore,
  type SubgraphKey,
} from "../agency-subgraph.js";
import { formatFigure, formatPeriod } from "../format.js";
import { mutate, Refusal } from "../graphql/client.js";
import { errorText } from "./refusal.js";
import {
  WebIndicatorFiguresDocument,
  WebSubmitReportDocument,
  type Measure,
  type ObligationStatus,
  type ReportValueInput,
  type WebAgencyMonthQuery,
  type WebIndicatorFiguresQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n, type MessageKey } from "../i18n.js";

export type MonthIndicator = WebAgencyMonthQuery["indicators"][number];
type Unit = WebAgencyMonthQuery["reportingUnits"][number];

interface Figure {
  unit: string;
  period: string;
  numerator?: number | null;
  denominator?: number | null;
  value?: number | null;
  met?: boolean | null;
  comment?: string | null;
  breakdown: {
    category: string;
    numerator?: number | null;
    denominator?: number | null;
    value?: number | null;
  }[];
}

/** The figures in an answer of WebIndicatorFigures (the schools' II.5 under educationValues). */
export function figuresOf(data: WebIndicatorFiguresQuery | null): Figure[] {
  const indicator = data?.indicator as Record<string, unknown> | null | undefined;
  if (!indicator) return [];
  return ((indicator.educationValues ?? indicator.values ?? []) as Figure[]) ?? [];
}

/** How an indicator is measured (the form's inputs), from the inline fragments of WebAgencyMonth. */
export function measureOf(indicator: MonthIndicator): Measure {
  return ("measure" in indicator ? indicator.measure : null) ?? "COUNT";
}

type Field = "numerator" | "denominator" | "value";
interface Draft {
  numerator: string;
  denominator: string;
  value: string;
  met: "" | "true" | "false";
  comment: string;
  breakdown: Record<string, Record<Field, string>>;
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));

function draftOf(figure: Figure | undefined, categories: string[]): Draft {
  return {
    numerator: text(figure?.numerator),
    denominator: text(figure?.denominator),
    value: text(figure?.value),
    met: figure?.met === true ? "true" : figure?.met === false ? "false" : "",
    comment: figure?.comment ?? "",
    breakdown: Object.fromEntries(
      categories.map((category) => {
        const part = figure?.breakdown.find((b) => b.category === category);
        return [
          category,
          {
            numerator: text(part?.numerator),
            denominator: text(part?.denominator),
            value: text(part?.value),
          },
        ];
      }),
    ),
  };
}

/** A typed number: the decimal comma read as a point; empty is null; anything else NaN (refused). */
const numberOf = (raw: string) => (raw.trim() === "" ? null : Number(raw.trim().replace(",", ".")));

function inputOf(
  indicator: string,
  unit: string,
  measure: Measure,
  draft: Draft,
  categories: string[],
): ReportValueInput | null {
  const ratio = measure === "PERCENT" || measure === "RATIO";
  const input: ReportValueInput = { indicator, unit, comment: draft.comment.trim() || null };
  if (measure === "MILESTONE") {
    if (draft.met === "") return null;
    input.met = draft.met === "true";
  } else if (ratio) {
    if (draft.numerator.trim() === "" && draft.denominator.trim() === "") return null;
    input.numerator = numberOf(draft.numerator);
    input.denominator = numberOf(draft.denominator);
  } else {
    if (draft.value.trim() === "") return null;
    input.value = numberOf(draft.value);
  }
  const parts = categories
    .map((category) => ({ category, ...draft.breakdown[category]! }))
    .filter((p) => (ratio ? p.numerator.trim() || p.denominator.trim() : p.value.trim()));
  if (parts.length > 0) {
    input.breakdown = parts.map((p) =>
      ratio
        ? {
            category: p.category,
            numerator: numberOf(p.numerator),
            denominator: numberOf(p.denominator),
          }
        : { category: p.category, value: numberOf(p.value) },
    );
  }
  return input;
}

export function FigureForm(props: {
  agency: string;
  subgraph: SubgraphKey;
  period: string;
  indicators: MonthIndicator[];
  units: Unit[];
  obligations: { indicator: string; unit: string; status: ObligationStatus }[];
  locked: boolean;
  indicator: string | null;
  onIndicator: (code: string) => void;
  focusUnit: string | null;
  onSaved: () => void;
}) {
  const { t, pick } = useI18n();
  const indicator = props.indicators.find((i) => i.code === props.indicator);
  // kept here: the rows start again from the stored figures after a save, the message stays
  const [message, setMessage] = useState<string | null>(null);
  const figures = useQuery(
    WebIndicatorFiguresDocument,
    {
      code: props.indicator ?? "",
      from: monthBefore(props.period),
      to: props.period,
      education: props.subgraph === "education",
    },
    { skip: !props.indicator, poll: false },
  );
  return (
    <div className="figure-form" data-testid="figure-form">
      <label className="entry-indicator">
        <span>{t("entryIndicator")}</span>
        <select
          value={props.indicator ?? ""}
          onChange={(event) => {
            setMessage(null);
            props.onIndicator(event.target.value);
          }}
          data-testid="entry-indicator"
        >
          {props.indicators.map((i) => (
            <option key={i.code} value={i.code}>
              {i.code}: {pick(i.titleVi, i.title)}
            </option>
          ))}
        </select>
      </label>
      {indicator && figures.data && (
        <IndicatorRows
          // a new answer (after a save) starts the rows again from the stored figures
          key={`${indicator.code}|${figures.updatedAt?.getTime()}`}
          {...props}
          indicator={indicator}
          figures={figuresOf(figures.data)}
          setMessage={setMessage}
          onSaved={() => {
            figures.reload();
            props.onSaved();
          }}
        />
      )}
      {figures.loading && !figures.data && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t("loading")}
        </p>
      )}
      {message && (
        <p role="status" data-testid="entry-message">
          {message}
        </p>
      )}
    </div>
  );
}

function IndicatorRows(props: {
  agency: string;
  subgraph: SubgraphKey;
  period: string;
  indicator: MonthIndicator;
  figures: Figure[];
  units: Unit[];
  obligations: { indicator: string; unit: string; status: ObligationStatus }[];
  locked: boolean;
  focusUnit: string | null;
  setMessage: (message: string | null) => void;
  onSaved: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const code = props.indicator.code;
  const measure = measureOf(props.indicator);
  const ratio = measure === "PERCENT" || measure === "RATIO";
  const categories = breakdownOf(props.subgraph, code);
  const previous = monthBefore(props.period);
  const unitsByCode = new Map(props.units.map((u) => [u.code, u]));
  const owed = props.obligations.filter((o) => o.indicator === code);
  const current = new Map(
    props.figures.filter((f) => f.period === props.period).map((f) => [f.unit, f]),
  );
  const last = new Map(props.figures.filter((f) => f.period === previous).map((f) => [f.unit, f]));
  const initial = useMemo(
    () => new Map(owed.map((o) => [o.unit, draftOf(current.get(o.unit), categories)])),
    // the rows start once from the figures this component was made with
    [],
  );
  const [drafts, setDrafts] = useState(initial);
  const [withBreakdown, setWithBreakdown] = useState(false);
  const [filter, setFilter] = useState("");
  const [busy, setBusy] = useState(false);
  const { setMessage } = props;
  const [rowProblems, setRowProblems] = useState(new Map<string, string>());
  const focusRef = useRef<HTMLInputElement | HTMLSelectElement | null>(null);
  useEffect(() => {
    focusRef.current?.focus();
  }, []);

  const nameOf = (unit: string) =>
    unitsByCode.get(unit)?.kind === "CITY" ? t("wholeCity") : (unitsByCode.get(unit)?.name ?? unit);
  const set = (unit: string, change: Partial<Draft>) =>
    setDrafts((d) => new Map(d).set(unit, { ...d.get(unit)!, ...change }));
  const setPart = (unit: string, category: string, field: Field, value: string) =>
    setDrafts((d) => {
      const draft = d.get(unit)!;
      return new Map(d).set(unit, {
        ...draft,
        breakdown: {
          ...draft.breakdown,
          [category]: { ...draft.breakdown[category]!, [field]: value },
        },
      });
    });

  const save = async () => {
    const rows = owed
      .map((o) => o.unit)
      .filter((unit) => JSON.stringify(drafts.get(unit)) !== JSON.stringify(initial.get(unit)))
      .flatMap((unit) => {
        const input = inputOf(code, unit, measure, drafts.get(unit)!, categories);
        return input ? [{ unit, input }] : [];
      });
    // a typing mistake is caught here, before anything is sent
    const typos = new Map(
      rows
        .filter(({ input }) =>
          [
            input.numerator,
            input.denominator,
            input.value,
            ...(input.breakdown ?? []).flatMap((b) => [b.numerator, b.denominator, b.value]),
          ].some((n) => typeof n === "number" && Number.isNaN(n)),
        )
        .map(({ unit }) => [unit, t("notANumber")]),
    );
    setRowProblems(typos);
    if (typos.size > 0) {
      setMessage(t("refusedRows", { count: typos.size }));
      return;
    }
    if (rows.length === 0) {
      setMessage(t("nothingToSave"));
      return;
    }
    setBusy(true);
    try {
      const data = await mutate(WebSubmitReportDocument, {
        input: { period: props.period, values: rows.map((r) => r.input) },
        ...flagsFor(props.subgraph),
      });
      const result = data[props.subgraph];
      const saved = (result?.created ?? 0) + (result?.replaced ?? 0);
      setMessage(
        result && result.warnings.length > 0
          ? `${t("saved", { count: saved, created: result.created, replaced: result.replaced })} ${t("savedWarnings", { count: result.warnings.length })}`
          : t("saved", {
              count: saved,
              created: result?.created ?? 0,
              replaced: result?.replaced ?? 0,
            }),
      );
      props.onSaved();
    } catch (error) {
      if (error instanceof Refusal && error.problems.length > 0) {
        const byUnit = new Map<string, string>();
        for (const problem of error.problems) {
          const row = problem.index !== undefined ? rows[problem.index] : undefined;
          if (row) byUnit.set(row.unit, problem.message);
        }
        setRowProblems(byUnit);
        setMessage(t("refusedRows", { count: error.problems.length }));
      } else {
        setMessage(errorText(i18n, error));
      }
    } finally {
      setBusy(false);
    }
  };

  const search = filter.trim().toLocaleLowerCase("vi");
  const shown = owed.filter(
    (o) =>
      !search || nameOf(o.unit).toLocaleLowerCase("vi").includes(search) || o.unit.includes(search),
  );
  const numberInput = (
    unit: string,
    field: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    focus = false,
  ) => (
    <input
      type="text"
      inputMode="decimal"
      name={`${unit}.${field}`}
      aria-label={`${label}: ${nameOf(unit)}`}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      ref={focus ? (el) => void (focusRef.current = el) : undefined}
      size={8}
    />
  );

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      data-testid="entry-rows"
      data-indicator={code}
    >
      <fieldset disabled={props.locked || busy}>
        <legend className="visually-hidden">{t("entry")}</legend>
        <div className="form-toolbar">
          {owed.length > 1 && (
            <label>
              <span>{t("entryFind")}</span>
              <input
                type="search"
                value={filter}
                onChange={(event) => setFilter(event.target.value)}
              />
            </label>
          )}
          {categories.length > 0 && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={withBreakdown}
                onChange={(event) => setWithBreakdown(event.target.checked)}
                data-testid="entry-breakdown"
              />
              <span>{t("entryBreakdown")}</span>
            </label>
          )}
          <button type="submit" className="primary" data-testid="save-figures">
            {busy ? t("saving") : t("saveFigures")}
          </button>
        </div>
        <div className="table-scroll">
          <table className="data-table entry-table">
            <thead>
              <tr>
                <th scope="col">{t("colCommune")}</th>
                <th scope="col">{t("colObligation")}</th>
                <th scope="col">
                  {t("colLastMonth")} ({formatPeriod(i18n, previous)})
                </th>
                {ratio && (
                  <>
                    <th scope="col">{t("colNumerator")}</th>
                    <th scope="col">{t("colDenominator")}</th>
                  </>
                )}
                {measure === "COUNT" && <th scope="col">{t("colPlainValue")}</th>}
                {measure === "MILESTONE" && <th scope="col">{t("colMet")}</th>}
                {withBreakdown &&
                  categories.map((category) => (
                    <th scope="col" key={category}>
                      {i18n.pick(...(CATEGORY_NAMES[category] ?? [category, category]))}
                    </th>
                  ))}
                <th scope="col">{t("colComment")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((o) => {
                const draft = drafts.get(o.unit)!;
                const before = last.get(o.unit);
                const problem = rowProblems.get(o.unit);
                const focus = o.unit === props.focusUnit;
                return (
                  <tr
                    key={o.unit}
                    data-key={o.unit}
                    className={problem ? "has-problem" : undefined}
                  >
                    <th scope="row">
                      {nameOf(o.unit)}
                      {problem && (
                        <span className="row-problem" role="alert">
                          {problem}
                        </span>
                      )}
                    </th>
                    <td>{t(`obligation${o.status}` as MessageKey)}</td>
                    <td className="numeric">
                      {before
                        ? formatFigure(i18n, before.value, props.indicator.unit, before.met)
                        : "–"}
                    </td>
                    {ratio && (
                      <>
                        <td>
                          {numberInput(
                            o.unit,
                            "numerator",
                            t("colNumerator"),
                            draft.numerator,
                            (v) => set(o.unit, { numerator: v }),
                            focus,
                          )}
                        </td>
                        <td>
                          {numberInput(
                            o.unit,
                            "denominator",
                            t("colDenominator"),
                            draft.denominator,
                            (v) => set(o.unit, { denominator: v }),
                          )}
                        </td>
                      </>
                    )}
                    {measure === "COUNT" && (
                      <td>
                        {numberInput(
                          o.unit,
                          "value",
                          t("colPlainValue"),
                          draft.value,
                          (v) => set(o.unit, { value: v }),
                          focus,
                        )}
                      </td>
                    )}
                    {measure === "MILESTONE" && (
                      <td>
                        <select
                          name={`${o.unit}.met`}
                          aria-label={`${t("colMet")}: ${nameOf(o.unit)}`}
                          value={draft.met}
                          onChange={(event) =>
                            set(o.unit, { met: event.target.value as Draft["met"] })
                          }
                          ref={focus ? (el) => void (focusRef.current = el) : undefined}
                        >
                          <option value="">{t("metNone")}</option>
                          <option value="true">{t("metYes")}</option>
                          <option value="false">{t("metNo")}</option>
                        </select>
                      </td>
                    )}
                    {withBreakdown &&
                      categories.map((category) => {
                        const part = draft.breakdown[category]!;
                        const name = i18n.pick(
                          ...(CATEGORY_NAMES[category] ?? [category, category]),
                        );
                        return (
                          <td key={category} className="breakdown-cell">
                            {ratio ? (
                              <>
                                {numberInput(
                                  o.unit,
                                  `${category}.numerator`,
                                  `${name} ${t("colNumerator")}`,
                                  part.numerator,
                                  (v) => setPart(o.unit, category, "numerator", v),
                                )}
                                /
                                {numberInput(
                                  o.unit,
                                  `${category}.denominator`,
                                  `${name} ${t("colDenominator")}`,
                                  part.denominator,
                                  (v) => setPart(o.unit, category, "denominator", v),
                                )}
                              </>
                            ) : (
                              numberInput(
                                o.unit,
                                `${category}.value`,
                                `${name} ${t("colPlainValue")}`,
                                part.value,
                                (v) => setPart(o.unit, category, "value", v),
                              )
                            )}
                          </td>
                        );
                      })}
                    <td>
                      <input
                        type="text"
                        name={`${o.unit}.comment`}
                        aria-label={`${t("colComment")}: ${nameOf(o.unit)}`}
                        value={draft.comment}
                        onChange={(event) => set(o.unit, { comment: event.target.value })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>
    </form>
  );
}
