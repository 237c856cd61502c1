// Báo cáo tháng: an agency's month in the subgraph that holds its indicators. What it owes (counts,
// then by indicator, then the units of one), its open warnings (confirm with a comment, or correct),
// the review's steps, the Submit button (disabled with the reason), the IOC's Accept / Return /
// Reopen, and the data entry (form, upload, template). The agency itself or the IOC.
import { useState } from "react";
import {
  flagsFor,
  MONTH_FIELDS,
  reportingMonth,
  subgraphKey,
  type SubgraphKey,
} from "../agency-subgraph.js";
import { DataTable, type Column } from "../components/data-table.js";
import { Explanations } from "../components/explanations.js";
import { Reminders } from "../components/reminders.js";
import { FigureForm } from "../components/figure-form.js";
import { DataValuesDownload } from "../components/month-downloads.js";
import { PageState } from "../components/page-state.js";
import { errorText } from "../components/refusal.js";
import { ReportFiles } from "../components/report-files.js";
import { formatFigure, formatInstant, formatNumber, formatPeriod } from "../format.js";
import { mutate } from "../graphql/client.js";
import { session } from "../session/session.js";
import {
  WebAgencyMonthDocument,
  WebConfirmFigureDocument,
  WebReviewMonthDocument,
  WebSubmitMonthDocument,
  type MonthDecision,
  type MonthState,
  type ObligationStatus,
  type WebAgencyMonthQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n, type I18n, type MessageKey } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { describeError } from "../error-codes.js";

export type AgencyMonth = NonNullable<WebAgencyMonthQuery["healthMonth"]>;
type Warning = AgencyMonth["warnings"][number];
type Step = AgencyMonth["steps"][number];

/** The month in the address, else the month agencies report now (last month). */
export function useEntryPeriod(): string {
  return useReviewParams().period ?? reportingMonth();
}

/** Asks once for the agency's subgraph (Agency.subgraph), then for its month there. */
export default function AgencyMonthPage({ code }: { code: string }) {
  const { t } = useI18n();
  const first = useQuery(
    WebAgencyMonthDocument,
    { agency: code, period: useEntryPeriod() },
    { poll: false },
  );
  const agency = first.data?.agency;
  if (agency) return <MonthOf code={code} subgraph={subgraphKey(agency.subgraph)} />;
  return (
    <PageState query={first} agencies={first.data?.agencies}>
      {() => <p className="failure">{t("notFound")}</p>}
    </PageState>
  );
}

export const stateLabel = (i18n: I18n, state: MonthState) => i18n.t(`state${state}` as MessageKey);

function MonthOf({ code, subgraph }: { code: string; subgraph: SubgraphKey }) {
  const { language } = useI18n();
  const period = useEntryPeriod();
  const query = useQuery(WebAgencyMonthDocument, {
    agency: code,
    period,
    ...flagsFor(subgraph),
  });
  return (
    <PageState query={query} agencies={query.data?.agencies}>
      {(data) => {
        const month = data[MONTH_FIELDS[subgraph]];
        if (!month || !data.agency) {
          const error = query.errors[0];
          return (
            <p className="failure">
              {error && describeError(language, error.extensions?.code, error.message)}
            </p>
          );
        }
        return <MonthView data={data} month={month} subgraph={subgraph} reload={query.reload} />;
      }}
    </PageState>
  );
}

const OBLIGATION_STATUSES: ObligationStatus[] = ["RECEIVED", "LATE", "MISSING", "DUE"];

interface IndicatorOwed {
  code: string;
  title: string;
  counts: Record<ObligationStatus, number>;
  total: number;
}

function MonthView({
  data,
  month,
  subgraph,
  reload,
}: {
  data: WebAgencyMonthQuery;
  month: AgencyMonth;
  subgraph: SubgraphKey;
  reload: () => void;
}) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const agency = data.agency!;
  const caller = session.agency();
  const isAgency = caller === agency.code;
  const isIoc = session.isIoc();
  const units = new Map(data.reportingUnits.map((u) => [u.code, u]));
  const unitName = (unit: string) =>
    units.get(unit)?.kind === "CITY" ? t("wholeCity") : (units.get(unit)?.name ?? unit);
  const owed = new Set(month.obligations.map((o) => o.indicator));
  const indicators = data.indicators.filter((i) => owed.has(i.code));
  const titleOf = (code: string) => {
    const indicator = indicators.find((i) => i.code === code);
    return indicator ? pick(indicator.titleVi, indicator.title) : code;
  };
  const [entryIndicator, setEntryIndicator] = useState<string | null>(null);
  const [focusUnit, setFocusUnit] = useState<string | null>(null);

  const count = (status: ObligationStatus) =>
    month.obligations.filter((o) => o.status === status).length;
  const byIndicator = new Map<string, IndicatorOwed>();
  for (const o of month.obligations) {
    const row = byIndicator.get(o.indicator) ?? {
      code: o.indicator,
      title: titleOf(o.indicator),
      counts: { RECEIVED: 0, LATE: 0, MISSING: 0, DUE: 0 },
      total: 0,
    };
    row.counts[o.status] += 1;
    row.total += 1;
    byIndicator.set(o.indicator, row);
  }
  const [openIndicator, setOpenIndicator] = useState<string | null>(null);

  const lastStep = month.steps.at(-1);
  const locked = month.state === "SUBMITTED" || month.state === "ACCEPTED";
  const lockReason =
    month.state === "SUBMITTED" ? t("cannotSubmitSubmitted") : t("cannotSubmitAccepted");

  const owedColumns: Column<IndicatorOwed>[] = [
    {
      id: "code",
      header: t("colCode"),
      value: (r) => r.code,
      rowHeader: true,
      render: (r) => (
        <button
          type="button"
          className="link"
          aria-expanded={openIndicator === r.code}
          onClick={() => setOpenIndicator(openIndicator === r.code ? null : r.code)}
        >
          {r.code}
        </button>
      ),
    },
    { id: "title", header: t("colIndicator"), value: (r) => r.title },
    { id: "owed", header: t("colOwed"), value: (r) => r.total, numeric: true },
    ...OBLIGATION_STATUSES.map((status): Column<IndicatorOwed> => ({
      id: status,
      header: t(`obligation${status}` as MessageKey),
      value: (r) => r.counts[status],
      numeric: true,
    })),
  ];

  return (
    <div className="page agency-month">
      <h1>
        {t("monthTitle", {
          period: formatPeriod(i18n, month.period),
          name: pick(agency.nameVi, agency.name),
        })}
      </h1>
      <dl className="month-facts" data-testid="month-facts">
        <div>
          <dt>{t("monthState")}</dt>
          <dd data-testid="month-state" data-state={month.state}>
            {stateLabel(i18n, month.state)}
          </dd>
        </div>
        <div>
          <dt>{t("dueAt")}</dt>
          <dd>{formatInstant(i18n, month.dueAt)}</dd>
        </div>
      </dl>
      {lastStep?.reason && (lastStep.state === "RETURNED" || lastStep.state === "REOPENED") && (
        <p className="notice" role="note" data-testid="return-reason">
          {t(lastStep.state === "RETURNED" ? "returnedBecause" : "reopenedBecause", {
            reason: lastStep.reason,
          })}
        </p>
      )}

      <section aria-labelledby="owes-title">
        <h2 id="owes-title">{t("owes")}</h2>
        <p data-testid="owes-counts">
          {t("owesCounts", {
            expected: month.expected,
            received: month.received - month.late,
            late: month.late,
            missing: count("MISSING"),
            due: count("DUE"),
          })}
        </p>
        <DataTable
          caption={t("owes")}
          fileName={`bao-cao-${agency.code}-${month.period}-phai-nop`}
          columns={owedColumns}
          rows={[...byIndicator.values()]}
          rowKey={(r) => r.code}
          testId="owed"
        />
        {openIndicator && (
          <OwedUnits
            indicator={openIndicator}
            obligations={month.obligations.filter((o) => o.indicator === openIndicator)}
            unitName={unitName}
            agency={agency.code}
            period={month.period}
          />
        )}
      </section>

      <Warnings
        warnings={month.warnings}
        unitName={unitName}
        subgraph={subgraph}
        canAnswer={isAgency && !locked}
        onDone={reload}
        onCorrect={(w) => {
          setEntryIndicator(w.indicator);
          setFocusUnit(w.unit);
          document.getElementById("entry-title")?.scrollIntoView();
        }}
      />

      <Steps steps={month.steps} />

      <Reminders agency={agency.code} period={month.period} />

      <Explanations agency={agency.code} />

      {isAgency && <SubmitMonth month={month} subgraph={subgraph} onDone={reload} />}
      {isIoc && <ReviewMonth month={month} subgraph={subgraph} onDone={reload} />}

      {isAgency && (
        <section aria-labelledby="entry-title" className="entry">
          <h2 id="entry-title">{t("entry")}</h2>
          {locked && (
            <p className="notice" role="note" data-testid="entry-locked">
              {t("entryLocked", { why: lockReason })}
            </p>
          )}
          <FigureForm
            agency={agency.code}
            subgraph={subgraph}
            period={month.period}
            indicators={indicators}
            units={data.reportingUnits}
            obligations={month.obligations}
            locked={locked}
            indicator={entryIndicator ?? indicators[0]?.code ?? null}
            onIndicator={(code) => {
              setEntryIndicator(code);
              setFocusUnit(null);
            }}
            focusUnit={focusUnit}
            onSaved={reload}
          />
          <ReportFiles
            agency={agency.code}
            subgraph={subgraph}
            period={month.period}
            indicators={indicators}
            units={data.reportingUnits}
            obligations={month.obligations}
            locked={locked}
            onImported={reload}
          />
        </section>
      )}
      <DataValuesDownload
        period={month.period}
        subgraph={subgraph}
        indicators={data.indicators.map((i) => i.code)}
        fileName={`so-lieu-dhis2-${agency.code}-${month.period}`}
      />
    </div>
  );
}

const PAGE_SIZE = 25;

function OwedUnits(props: {
  indicator: string;
  obligations: AgencyMonth["obligations"];
  unitName: (unit: string) => string;
  agency: string;
  period: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [status, setStatus] = useState<ObligationStatus | "">("");
  const [page, setPage] = useState(0);
  const rows = props.obligations.filter((o) => !status || o.status === status);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const shown = rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  type Row = AgencyMonth["obligations"][number];
  const columns: Column<Row>[] = [
    {
      id: "unit",
      header: t("colCommune"),
      value: (r) => props.unitName(r.unit),
      rowHeader: true,
    },
    { id: "code", header: t("colCode"), value: (r) => r.unit },
    {
      id: "status",
      header: t("colObligation"),
      value: (r) => t(`obligation${r.status}` as MessageKey),
    },
    { id: "at", header: t("colAt"), value: (r) => formatInstant(i18n, r.reportedAt) },
  ];
  return (
    <div className="owed-units" data-testid="owed-units">
      <DataTable
        caption={t("unitsOfIndicator", { code: props.indicator })}
        fileName={`bao-cao-${props.agency}-${props.period}-${props.indicator}`}
        columns={columns}
        rows={shown}
        rowKey={(r) => r.unit}
        testId="owed-units-table"
        toolbar={
          <label>
            <span>{t("statusFilter")}</span>
            <select
              value={status}
              onChange={(event) => {
                setStatus(event.target.value as ObligationStatus | "");
                setPage(0);
              }}
            >
              <option value="">{t("allStatuses")}</option>
              {OBLIGATION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`obligation${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        }
      />
      <nav className="pager" aria-label={t("unitsOfIndicator", { code: props.indicator })}>
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          {t("previousPage")}
        </button>
        <span>{t("pageOf", { page: page + 1, pages })}</span>
        <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
          {t("nextPage")}
        </button>
      </nav>
    </div>
  );
}

function Warnings(props: {
  warnings: Warning[];
  unitName: (unit: string) => string;
  subgraph: SubgraphKey;
  canAnswer: boolean;
  onDone: () => void;
  onCorrect: (warning: Warning) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section aria-labelledby="warnings-title" data-testid="warnings">
      <h2 id="warnings-title">{t("warnings", { count: props.warnings.length })}</h2>
      {props.warnings.length === 0 ? (
        <p>{t("noWarnings")}</p>
      ) : (
        <ul className="warnings">
          {props.warnings.map((w) => (
            <WarningItem
              key={`${w.indicator}|${w.unit}|${w.rule}`}
              warning={w}
              unitName={props.unitName}
              subgraph={props.subgraph}
              canAnswer={props.canAnswer}
              onDone={props.onDone}
              onCorrect={props.onCorrect}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function WarningItem(props: {
  warning: Warning;
  unitName: (unit: string) => string;
  subgraph: SubgraphKey;
  canAnswer: boolean;
  onDone: () => void;
  onCorrect: (warning: Warning) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const w = props.warning;
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (!comment.trim()) {
      setMessage(t("commentRequired"));
      return;
    }
    setBusy(true);
    try {
      await mutate(WebConfirmFigureDocument, {
        input: { indicator: w.indicator, unit: w.unit, period: w.period, comment: comment.trim() },
        ...flagsFor(props.subgraph),
      });
      setMessage(t("confirmed", { indicator: w.indicator, unit: props.unitName(w.unit) }));
      props.onDone();
    } catch (error) {
      setMessage(errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };
  const range =
    w.low !== null || w.high !== null
      ? `${formatNumber(i18n, w.low)} – ${formatNumber(i18n, w.high)}`
      : null;
  return (
    <li data-testid="warning" data-key={`${w.indicator}|${w.unit}`}>
      <p>
        <strong>
          {w.indicator} · {props.unitName(w.unit)}
        </strong>{" "}
        <span className="rule">{t(`rule${w.rule}` as MessageKey)}</span>: {t("colFigure")}{" "}
        {formatFigure(i18n, w.value, null)}
        {range && ` (${t("colExpectedRange")} ${range})`}
      </p>
      <p className="warning-message" lang="en">
        {w.message}
      </p>
      {props.canAnswer && (
        <div className="warning-actions">
          <label>
            <span>{t("confirmComment")}</span>
            <input
              type="text"
              value={comment}
              onChange={(event) => setComment(event.target.value)}
              data-testid="warning-comment"
            />
          </label>
          <button type="button" onClick={() => void confirm()} disabled={busy}>
            {t("confirm")}
          </button>
          <button type="button" onClick={() => props.onCorrect(w)}>
            {t("correct")}
          </button>
        </div>
      )}
      {message && <p role="status">{message}</p>}
    </li>
  );
}

function Steps({ steps }: { steps: Step[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const columns: Column<Step>[] = [
    { id: "state", header: t("colStep"), value: (r) => stateLabel(i18n, r.state), rowHeader: true },
    { id: "by", header: t("colBy"), value: (r) => r.by },
    { id: "at", header: t("colAt"), value: (r) => formatInstant(i18n, r.at) },
    { id: "reason", header: t("colReason"), value: (r) => r.reason ?? null },
  ];
  return (
    <DataTable
      caption={t("steps")}
      fileName="cac-buoc-duyet"
      columns={columns}
      rows={steps}
      rowKey={(r) => r.at}
      empty={t("noSteps")}
      testId="steps"
    />
  );
}

function SubmitMonth(props: { month: AgencyMonth; subgraph: SubgraphKey; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { month } = props;
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const why =
    month.state === "SUBMITTED"
      ? t("cannotSubmitSubmitted")
      : month.state === "ACCEPTED"
        ? t("cannotSubmitAccepted")
        : month.warnings.length > 0
          ? t("cannotSubmitWarnings", { count: month.warnings.length })
          : null;
  const submit = async () => {
    setBusy(true);
    try {
      await mutate(WebSubmitMonthDocument, { period: month.period, ...flagsFor(props.subgraph) });
      setMessage(t("submitted", { period: formatPeriod(i18n, month.period) }));
      props.onDone();
    } catch (error) {
      setMessage(errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="submit-month" aria-label={t("submitMonth")}>
      <button
        type="button"
        className="primary"
        disabled={Boolean(why) || busy}
        aria-describedby={why ? "submit-why" : undefined}
        onClick={() => void submit()}
        data-testid="submit-month"
      >
        {t("submitMonth")}
      </button>
      {why && (
        <span id="submit-why" className="why" data-testid="submit-why">
          {why}
        </span>
      )}
      {message && <p role="status">{message}</p>}
    </section>
  );
}

function ReviewMonth(props: { month: AgencyMonth; subgraph: SubgraphKey; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { month } = props;
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (decision: MonthDecision) => {
    if (decision !== "ACCEPT" && !reason.trim()) {
      setMessage(t("reasonRequired"));
      return;
    }
    setBusy(true);
    try {
      const data = await mutate(WebReviewMonthDocument, {
        input: {
          agency: month.agency,
          period: month.period,
          decision,
          ...(decision !== "ACCEPT" && { reason: reason.trim() }),
        },
        ...flagsFor(props.subgraph),
      });
      const state = data[props.subgraph]?.state;
      setMessage(t("reviewDone", { state: state ? stateLabel(i18n, state) : "" }));
      setReason("");
      props.onDone();
    } catch (error) {
      setMessage(errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };
  const submitted = month.state === "SUBMITTED";
  const accepted = month.state === "ACCEPTED";
  return (
    <section aria-labelledby="review-title" className="review-month" data-testid="review-month">
      <h2 id="review-title">{t("review")}</h2>
      {!submitted && !accepted ? (
        <p>{t("nothingToReview")}</p>
      ) : (
        <div className="review-actions">
          <label>
            <span>{t("reason")}</span>
            <textarea
              rows={2}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              data-testid="review-reason"
            />
          </label>
          {submitted && (
            <>
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void decide("ACCEPT")}
                data-testid="review-accept"
              >
                {t("accept")}
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => void decide("RETURN")}
                data-testid="review-return"
              >
                {t("returnMonth")}
              </button>
            </>
          )}
          {accepted && (
            <button
              type="button"
              disabled={busy}
              onClick={() => void decide("REOPEN")}
              data-testid="review-reopen"
            >
              {t("reopen")}
            </button>
          )}
        </div>
      )}
      {message && <p role="status">{message}</p>}
    </section>
  );
}
