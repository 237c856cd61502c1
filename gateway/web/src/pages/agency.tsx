// Cơ quan: one agency's monthly score and the parts it is made of, its indicators, its tasks
// (overdue, due soon, done), its reporting completeness and timeliness for the month, and the
// communes late or missing; apart from all that, its supplementary indicators (its own, beyond the
// plan). One request (WebAgency).
import { Link } from "wouter";
import { useColumns } from "../components/columns.js";
import { DataTable, type Column } from "../components/data-table.js";
import { isDemo, PageState } from "../components/page-state.js";
import { TrafficLights } from "../components/status-counts.js";
import { formatDay, formatInstant, formatPeriod } from "../format.js";
import { WebAgencyDocument, type WebAgencyQuery } from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { Score } from "../components/score.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { useTaskStatusLabel } from "../status.js";

const DUE_SOON_DAYS = 30;

type Scorecard = NonNullable<WebAgencyQuery["review"]["agency"]>;
type IndicatorRow = Scorecard["indicators"][number];
type TaskRow = Scorecard["tasks"]["overdue"][number];
type SupplementaryRow = Scorecard["supplementary"][number];

interface UnitRow {
  unit: string;
  name: string;
  city: boolean;
  missing: string[];
  late: string[];
}

export default function AgencyPage({ code }: { code: string }) {
  const params = useReviewParams();
  const query = useQuery(WebAgencyDocument, {
    year: params.year,
    period: params.period,
    agency: code,
    asOf: params.asOf,
    dueSoonDays: DUE_SOON_DAYS,
  });
  return (
    <PageState query={query} agencies={query.data?.agencies} demo={isDemo(query.data?.review)}>
      {(data) => <AgencyView data={data} />}
    </PageState>
  );
}

function AgencyView({ data }: { data: WebAgencyQuery }) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const params = useReviewParams();
  const taskStatus = useTaskStatusLabel();
  const columns = useColumns();
  const scorecard = data.review.agency;
  if (!scorecard) return <p className="failure">{t("notFound")}</p>;
  const { score, tasks, reporting } = scorecard;
  const units = new Map(data.reportingUnits.map((u) => [u.code, u]));
  const period = formatPeriod(i18n, data.review.period);

  const late = new Map<string, UnitRow>();
  for (const indicator of reporting.indicators) {
    for (const [kind, list] of [
      ["missing", indicator.missingUnits],
      ["late", indicator.lateUnits],
    ] as const) {
      for (const unit of list) {
        const row = late.get(unit) ?? {
          unit,
          name: units.get(unit)?.name ?? unit,
          city: units.get(unit)?.kind === "CITY",
          missing: [],
          late: [],
        };
        row[kind].push(indicator.code);
        late.set(unit, row);
      }
    }
  }

  const indicatorColumns: Column<IndicatorRow>[] = [
    columns.indicatorCode((r) => r.indicator),
    columns.indicatorTitle((r) => r.indicator),
    columns.target((r) => r.progress),
    columns.latest(
      (r) => r.progress,
      (r) => r.indicator.unit,
    ),
    columns.pace((r) => r.progress),
    columns.status((r) => r.progress),
  ];
  const taskColumns: Column<TaskRow>[] = [
    ...columns.task<TaskRow>(),
    { id: "days", header: t("colDaysLeft"), value: (r) => r.daysLeft, numeric: true },
    { id: "status", header: t("colStatus"), value: (r) => taskStatus(r.status) },
  ];
  const unitColumns: Column<UnitRow>[] = [
    {
      id: "unit",
      header: t("colCommune"),
      value: (r) => r.name,
      render: (r) =>
        r.city ? r.name : <Link href={params.href(`/xa-phuong/${r.unit}`)}>{r.name}</Link>,
      rowHeader: true,
    },
    { id: "missing", header: t("colMissing"), value: (r) => r.missing.join(", ") || null },
    { id: "late", header: t("colLate"), value: (r) => r.late.join(", ") || null },
  ];
  const taskTable = (caption: string, rows: TaskRow[], file: string, testId: string) => (
    <DataTable
      caption={`${caption} (${rows.length})`}
      fileName={`co-quan-${scorecard.agency.code}-${file}-${tasks.asOf}`}
      columns={taskColumns}
      rows={rows}
      rowKey={(r) => r.task.code}
      testId={testId}
    />
  );

  return (
    <div className="page agency">
      <h1>{t("agencyTitle", { name: pick(scorecard.agency.nameVi, scorecard.agency.name) })}</h1>
      <section aria-labelledby="score-title" className="scores">
        <h2 id="score-title">
          {t("score")}: {t("month").toLowerCase()} {period}
        </h2>
        <div className="score-row">
          <Score label={t("score")} value={score.total} testId="score-total" />
          <Score label={t("scoreIndicators")} value={score.indicators} testId="score-indicators" />
          <Score label={t("scoreTasks")} value={score.tasks} testId="score-tasks" />
          <Score label={t("scoreReporting")} value={score.reporting} testId="score-reporting" />
        </div>
      </section>
      <TrafficLights title={t("statusCounts")} counts={scorecard.statusCounts} />
      <DataTable
        caption={t("agencyIndicators")}
        fileName={`co-quan-${scorecard.agency.code}-chi-tieu-${data.review.period}`}
        columns={indicatorColumns}
        rows={scorecard.indicators}
        rowKey={(r) => r.indicator.code}
        testId="agency-indicators"
      />
      <h2>{t("tasksOf", { total: tasks.total, date: formatDay(tasks.asOf) })}</h2>
      {taskTable(t("tasksOverdue"), tasks.overdue, "qua-han", "tasks-overdue")}
      {taskTable(
        t("tasksDueSoon", { days: DUE_SOON_DAYS }),
        tasks.dueSoon,
        "sap-den-han",
        "tasks-due-soon",
      )}
      {taskTable(t("tasksDone"), tasks.done, "da-xong", "tasks-done")}
      <section aria-labelledby="reporting-title">
        <h2 id="reporting-title">{t("reporting", { period })}</h2>
        <div className="score-row" data-testid="reporting">
          <Score
            label={t("completeness")}
            value={reporting.completeness ?? null}
            testId="completeness"
          />
          <Score label={t("timeliness")} value={reporting.timeliness ?? null} testId="timeliness" />
          <p className="reporting-counts">
            {t("reportsReceived", {
              received: reporting.received,
              expected: reporting.expected,
              onTime: reporting.onTime,
            })}
            <br />
            {t("dueDate", { date: formatInstant(i18n, reporting.dueDate) })}
          </p>
        </div>
        <DataTable
          caption={t("lateUnits")}
          fileName={`co-quan-${scorecard.agency.code}-xa-cham-${data.review.period}`}
          columns={unitColumns}
          rows={[...late.values()]}
          rowKey={(r) => r.unit}
          initialSort={{ id: "unit" }}
          testId="late-units"
        />
      </section>
      {scorecard.supplementary.length > 0 && (
        <Supplementary scorecard={scorecard} period={data.review.period} />
      )}
    </div>
  );
}

/**
 * The agency's own indicators beyond the plan, in a section of their own: no target, so no status;
 * the graph keeps them out of the statuses, reporting and score above, and so does the page.
 */
function Supplementary({ scorecard, period }: { scorecard: Scorecard; period: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const shared = useColumns();
  const reporting = scorecard.supplementaryReporting;
  const columns: Column<SupplementaryRow>[] = [
    // no link: the indicator page is Appendix I's
    { id: "code", header: t("colCode"), value: (r) => r.indicator.code, rowHeader: true },
    shared.indicatorTitle((r) => r.indicator),
    { id: "unit", header: t("colUnit"), value: (r) => r.indicator.unit },
    shared.latest(
      (r) => r,
      (r) => r.indicator.unit,
    ),
    {
      id: "period",
      header: t("colPeriod"),
      value: (r) => r.latest?.period ?? null,
      render: (r) => formatPeriod(i18n, r.latest?.period),
    },
    { id: "received", header: t("colReceived"), value: (r) => r.reporting.received, numeric: true },
    { id: "expected", header: t("colExpected"), value: (r) => r.reporting.expected, numeric: true },
    { id: "onTime", header: t("colOnTime"), value: (r) => r.reporting.onTime, numeric: true },
  ];
  return (
    <section aria-labelledby="supplementary-title" data-testid="supplementary">
      <h2 id="supplementary-title">{t("supplementaryTitle")}</h2>
      <p className="note">{t("supplementaryExplain")}</p>
      <p className="reporting-counts" data-testid="supplementary-reporting">
        {t("reporting", { period: formatPeriod(i18n, period) })}:{" "}
        {t("reportsReceived", {
          received: reporting.received,
          expected: reporting.expected,
          onTime: reporting.onTime,
        })}
      </p>
      <DataTable
        caption={t("supplementaryTitle")}
        fileName={`co-quan-${scorecard.agency.code}-chi-tieu-bo-sung-${period}`}
        columns={columns}
        rows={scorecard.supplementary}
        rowKey={(r) => r.indicator.code}
        testId="supplementary-indicators"
      />
    </section>
  );
}
