// Nhiệm vụ đến hạn: tasks overdue or due within the chosen days, with their lead agencies and how
// those agencies' indicators stand; filterable. One request (WebTasks). The IOC asks a lead agency to
// explain a task from its row (the task's requests and the form show below the table).
import { useMemo, useState } from "react";
import { Link } from "wouter";
import { useColumns } from "../components/columns.js";
import { DataTable, type Column } from "../components/data-table.js";
import { Explanations } from "../components/explanations.js";
import { formatDay } from "../format.js";
import { SelectFilter } from "../components/filters.js";
import { isDemo, PageState } from "../components/page-state.js";
import { StackedCounts } from "../components/status-counts.js";
import { session } from "../session/session.js";
import { WebTasksDocument, type WebTasksQuery } from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { useTaskStatusLabel } from "../status.js";

type Row = WebTasksQuery["review"]["tasksDue"][number];

export default function TasksPage() {
  const params = useReviewParams();
  const [withinDays, setWithinDays] = useState(30);
  const query = useQuery(WebTasksDocument, { year: params.year, withinDays, asOf: params.asOf });
  return (
    <div className="page tasks">
      <h1>{useI18n().t("tasksTitle")}</h1>
      <TasksControls withinDays={withinDays} onWithinDays={setWithinDays} />
      <PageState query={query} agencies={query.data?.agencies} demo={isDemo(query.data?.review)}>
        {(data) => <TasksView data={data} />}
      </PageState>
    </div>
  );
}

function TasksControls(props: { withinDays: number; onWithinDays: (days: number) => void }) {
  const { t } = useI18n();
  const params = useReviewParams();
  return (
    <div className="filters page-controls">
      <label>
        <span>{t("withinDays")}</span>
        <select
          value={props.withinDays}
          onChange={(e) => props.onWithinDays(Number(e.target.value))}
          name="within-days"
        >
          {[7, 14, 30, 45, 60, 90, 180, 365].map((days) => (
            <option key={days} value={days}>
              {days}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>
          {t("asOf")}: {formatDay(params.asOf)}
        </span>
        <input
          type="date"
          value={params.asOf}
          onChange={(e) => params.set({ ngay: e.target.value || null })}
          name="as-of"
        />
      </label>
    </div>
  );
}

function TasksView({ data }: { data: WebTasksQuery }) {
  const { t, pick } = useI18n();
  const params = useReviewParams();
  const taskStatus = useTaskStatusLabel();
  const shared = useColumns();
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  const [agency, setAgency] = useState("");
  /** The task the IOC is asking an explanation of (its requests and the form show below). */
  const [asking, setAsking] = useState<Row | null>(null);
  const all = data.review.tasksDue;
  const agencies = [
    ...new Map(
      all.flatMap((r) => r.leadAgencies.map((l) => [l.agency.code, l.agency] as const)),
    ).values(),
  ];
  const rows = useMemo(
    () =>
      all.filter(
        (r) =>
          (!onlyOverdue || r.overdue) &&
          (!agency || r.leadAgencies.some((l) => l.agency.code === agency)),
      ),
    [all, onlyOverdue, agency],
  );
  const columns: Column<Row>[] = [
    ...shared.task<Row>(),
    {
      id: "days",
      header: t("colDaysLeft"),
      value: (r) => r.daysLeft,
      render: (r) =>
        r.overdue ? (
          <span className="overdue">
            <span aria-hidden="true">! </span>
            {t("daysOverdue", { days: -(r.daysLeft ?? 0) })}
          </span>
        ) : (
          r.daysLeft
        ),
      numeric: true,
    },
    {
      id: "status",
      header: t("colStatus"),
      value: (r) => (r.overdue ? `${t("overdue")}: ${taskStatus(r.status)}` : taskStatus(r.status)),
    },
    {
      id: "lead",
      header: t("colLeadAgencies"),
      value: (r) => r.leadAgencies.map((l) => pick(l.agency.nameVi, l.agency.name)).join("; "),
      render: (r) =>
        r.leadAgencies.map((l, i) => (
          <span key={l.agency.code}>
            {i > 0 && "; "}
            <Link href={params.href(`/co-quan/${l.agency.code}`)}>
              {pick(l.agency.nameVi, l.agency.name)}
            </Link>
          </span>
        )),
    },
    ...(session.isIoc()
      ? [
          {
            id: "explain",
            header: t("explanations"),
            value: () => null,
            render: (r: Row) => (
              <button
                type="button"
                className="link"
                aria-pressed={asking?.task.code === r.task.code}
                onClick={() => setAsking(asking?.task.code === r.task.code ? null : r)}
              >
                {t("askExplanation")}
              </button>
            ),
            download: false,
            sortable: false,
          },
        ]
      : []),
    {
      id: "lead-status",
      header: t("colLeadStatus"),
      value: () => null,
      render: (r) =>
        r.leadAgencies.map((l) => (
          <StackedCounts
            key={l.agency.code}
            counts={l.statusCounts}
            total={l.statusCounts.reduce((n, c) => n + c.count, 0)}
          />
        )),
      download: false,
      sortable: false,
    },
  ];
  return (
    <>
      <DataTable
        caption={`${t("navTasks")}: ${rows.length}`}
        fileName={`nhiem-vu-den-han-${params.asOf}`}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.task.code}
        empty={all.length ? t("emptyFiltered") : t("empty")}
        testId="tasks-due"
        toolbar={
          <div className="filters">
            <SelectFilter
              label={t("colLeadAgencies")}
              name="agency"
              value={agency}
              onChange={setAgency}
              options={agencies.map((a) => ({ value: a.code, label: pick(a.nameVi, a.name) }))}
            />
            <label className="checkbox">
              <input
                type="checkbox"
                checked={onlyOverdue}
                onChange={(e) => setOnlyOverdue(e.target.checked)}
                name="only-overdue"
              />
              <span>{t("onlyOverdue")}</span>
            </label>
          </div>
        }
      />
      {asking && (
        <Explanations
          subject={{
            kind: "TASK",
            code: asking.task.code,
            agencies: asking.leadAgencies.map((l) => l.agency),
          }}
        />
      )}
    </>
  );
}
