// The columns several tables share: an indicator's code (a link to its page), title, target, latest
// figure, pace and status; a task's code, title, timing and due date; a row's counts by status.
import { Link } from "wouter";
import { formatDay, formatFigure, formatPace } from "../format.js";
import type { ProgressStatus, TaskStatus } from "../graphql/generated/graphql.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { STATUS_ORDER, StatusBadge, STATUSES } from "../status.js";
import type { Column } from "./data-table.js";
import { countOf, StackedCounts } from "./status-counts.js";

interface IndicatorLike {
  code: string;
  title: string;
  titleVi: string;
  unit?: string | null;
}

interface ProgressLike {
  status: ProgressStatus;
  target?: { raw: string } | null;
  latest?: { value: number | null; met?: boolean | null } | null;
  paceRatio?: number | null;
}

interface TaskViewLike {
  task: { code: string; title: string; titleVi: string; timingVi: string };
  dueDate: string | null;
  status: TaskStatus;
}

type Counts = { status: ProgressStatus; count: number }[];

export function useColumns() {
  const i18n = useI18n();
  const { t, pick, language } = i18n;
  const params = useReviewParams();
  return {
    indicatorCode: <Row,>(get: (row: Row) => IndicatorLike): Column<Row> => ({
      id: "code",
      header: t("colCode"),
      value: (row) => get(row).code,
      render: (row) => (
        <Link href={params.href(`/chi-tieu/${encodeURIComponent(get(row).code)}`)}>
          {get(row).code}
        </Link>
      ),
      rowHeader: true,
    }),
    indicatorTitle: <Row,>(get: (row: Row) => IndicatorLike): Column<Row> => ({
      id: "title",
      header: t("colIndicator"),
      value: (row) => pick(get(row).titleVi, get(row).title),
      className: "wide",
    }),
    target: <Row,>(get: (row: Row) => ProgressLike): Column<Row> => ({
      id: "target",
      header: t("colTarget"),
      value: (row) => get(row).target?.raw ?? null,
    }),
    latest: <Row,>(
      get: (row: Row) => Pick<ProgressLike, "latest">,
      unit: (row: Row) => string | null | undefined,
    ): Column<Row> => ({
      id: "latest",
      header: t("colLatest"),
      value: (row) => get(row).latest?.value ?? null,
      render: (row) => formatFigure(i18n, get(row).latest?.value, unit(row), get(row).latest?.met),
      numeric: true,
    }),
    pace: <Row,>(get: (row: Row) => ProgressLike): Column<Row> => ({
      id: "pace",
      header: t("colPace"),
      value: (row) => get(row).paceRatio ?? null,
      render: (row) => formatPace(i18n, get(row).paceRatio),
      numeric: true,
    }),
    status: <Row,>(get: (row: Row) => ProgressLike): Column<Row> => ({
      id: "status",
      header: t("colStatus"),
      value: (row) => STATUSES[get(row).status][language],
      render: (row) => <StatusBadge status={get(row).status} />,
    }),
    /** A task's code, title, timing as the plan writes it, and due date. */
    task: <Row extends TaskViewLike>(): Column<Row>[] => [
      { id: "code", header: t("colCode"), value: (r) => r.task.code, rowHeader: true },
      {
        id: "title",
        header: t("colTask"),
        value: (r) => pick(r.task.titleVi, r.task.title),
        className: "wide",
      },
      { id: "timing", header: t("colTiming"), value: (r) => r.task.timingVi },
      {
        id: "due",
        header: t("colDueDate"),
        value: (r) => r.dueDate,
        render: (r) => formatDay(r.dueDate),
      },
    ],
    /** The total, a stacked bar of the counts, and one column a status. */
    statusCounts: <Row extends { total: number; counts: Counts }>(): Column<Row>[] => [
      { id: "total", header: t("colTotal"), value: (row) => row.total, numeric: true },
      {
        id: "bar",
        header: t("colStatus"),
        value: () => null,
        render: (row) => <StackedCounts counts={row.counts} total={row.total} />,
        download: false,
        sortable: false,
      },
      ...STATUS_ORDER.map((status): Column<Row> => ({
        id: status,
        header: STATUSES[status][language],
        value: (row) => countOf(row.counts, status),
        numeric: true,
      })),
    ],
  };
}
