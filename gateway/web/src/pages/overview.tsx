// Tổng quan: the city scorecard for a target year and month. Status counts as traffic lights, by
// objective group and by tracking agency; every indicator with target, latest figure, sparkline, pace
// and status; filters by group, agency and status. One request (WebOverview).
import { useMemo, useState } from "react";
import { Link } from "wouter";
import { DataTable, type Column } from "../components/data-table.js";
import { isDemo, PageState } from "../components/page-state.js";
import { Sparkline } from "../components/sparkline.js";
import { useColumns } from "../components/columns.js";
import { SelectFilter } from "../components/filters.js";
import { TrafficLights } from "../components/status-counts.js";
import { formatFigure, formatPeriod } from "../format.js";
import {
  WebOverviewDocument,
  type ProgressStatus,
  type WebOverviewQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { STATUS_ORDER, STATUSES } from "../status.js";

type Scorecard = WebOverviewQuery["review"]["scorecard"];
type IndicatorRow = Scorecard["indicators"][number];
type GroupRow = Scorecard["byGroup"][number];
type AgencyRow = Scorecard["byAgency"][number];

export function Overview() {
  const params = useReviewParams();
  const query = useQuery(WebOverviewDocument, { year: params.year, period: params.period });
  return (
    <PageState query={query} agencies={query.data?.agencies} demo={isDemo(query.data?.review)}>
      {(data) => <OverviewView data={data} />}
    </PageState>
  );
}

function OverviewView({ data }: { data: WebOverviewQuery }) {
  const i18n = useI18n();
  const { t, pick, language } = i18n;
  const params = useReviewParams();
  const columns = useColumns();
  const { scorecard } = data.review;
  const [group, setGroup] = useState("");
  const [agency, setAgency] = useState("");
  const [status, setStatus] = useState<ProgressStatus | "">("");
  const agencyNames = new Map(
    scorecard.byAgency.map((a) => [a.agency.code, pick(a.agency.nameVi, a.agency.name)]),
  );
  const rows = useMemo(
    () =>
      scorecard.indicators.filter(
        (row) =>
          (!group || row.indicator.group.code === group) &&
          (!agency || row.indicator.trackingAgencies.some((a) => a.code === agency)) &&
          (!status || row.progress.status === status),
      ),
    [scorecard.indicators, group, agency, status],
  );
  const indicatorColumns: Column<IndicatorRow>[] = [
    columns.indicatorCode((row) => row.indicator),
    columns.indicatorTitle((row) => row.indicator),
    { id: "unit", header: t("colUnit"), value: (row) => row.indicator.unit },
    columns.target((row) => row.progress),
    columns.latest(
      (row) => row.progress,
      (row) => row.indicator.unit,
    ),
    {
      id: "period",
      header: t("colPeriod"),
      value: (row) => row.progress.latest?.period ?? null,
      render: (row) => formatPeriod(i18n, row.progress.latest?.period),
    },
    {
      id: "trend",
      header: t("colTrend"),
      value: () => null,
      render: (row) => (
        <Sparkline
          values={row.indicator.series.map((m) => m.value)}
          target={row.progress.target?.value}
          label={`${t("colTrend")} ${row.indicator.code}: ${row.indicator.series
            .map((m) => formatFigure(i18n, m.value, row.indicator.unit))
            .join(", ")}`}
        />
      ),
      download: false,
      sortable: false,
    },
    columns.pace((row) => row.progress),
    columns.status((row) => row.progress),
    {
      // where the review of the latest month stands: accepted figures are final
      id: "reviewState",
      header: t("latestMonthState"),
      value: (row) => t(row.latestMonthState === "ACCEPTED" ? "final" : "provisional"),
      render: (row) => (
        <span
          className={`month-state ${row.latestMonthState === "ACCEPTED" ? "final" : "provisional"}`}
          data-state={row.latestMonthState}
        >
          {t(row.latestMonthState === "ACCEPTED" ? "final" : "provisional")}
        </span>
      ),
    },
  ];

  const groupColumns: Column<GroupRow>[] = [
    {
      id: "group",
      header: t("colGroup"),
      value: (row) => `${row.group.code}. ${pick(row.group.titleVi, row.group.title)}`,
      render: (row) => (
        <button
          type="button"
          className="link"
          aria-pressed={group === row.group.code}
          onClick={() => setGroup(group === row.group.code ? "" : row.group.code)}
        >
          {row.group.code}. {pick(row.group.titleVi, row.group.title)}
        </button>
      ),
      rowHeader: true,
      className: "wide",
    },
    ...columns.statusCounts<GroupRow>(),
  ];
  const agencyColumns: Column<AgencyRow>[] = [
    {
      id: "agency",
      header: t("colAgency"),
      value: (row) => pick(row.agency.nameVi, row.agency.name),
      render: (row) => (
        <Link href={params.href(`/co-quan/${encodeURIComponent(row.agency.code)}`)}>
          {pick(row.agency.nameVi, row.agency.name)}
        </Link>
      ),
      rowHeader: true,
      className: "wide",
    },
    ...columns.statusCounts<AgencyRow>(),
  ];

  const period = formatPeriod(i18n, data.review.period);
  return (
    <div className="page overview">
      <h1>
        {t("navOverview")}: {t("targetYear").toLowerCase()} {data.review.year},{" "}
        {t("month").toLowerCase()} {period}
      </h1>
      <TrafficLights
        title={t("statusCounts")}
        counts={scorecard.byStatus}
        picked={status || null}
        onPick={(s) => setStatus(status === s ? "" : s)}
      />
      <div className="two-columns">
        <DataTable
          caption={t("byGroup")}
          fileName={`tong-quan-nhom-${data.review.year}-${data.review.period}`}
          columns={groupColumns}
          rows={scorecard.byGroup}
          rowKey={(row) => row.group.code}
          testId="by-group"
        />
        <DataTable
          caption={t("byAgency")}
          fileName={`tong-quan-co-quan-${data.review.year}-${data.review.period}`}
          columns={agencyColumns}
          rows={scorecard.byAgency}
          rowKey={(row) => row.agency.code}
          testId="by-agency"
        />
      </div>
      <DataTable
        caption={`${t("indicators")} (${t("showing", { shown: rows.length, total: scorecard.indicators.length })})`}
        fileName={`tong-quan-chi-tieu-${data.review.year}-${data.review.period}`}
        columns={indicatorColumns}
        rows={rows}
        rowKey={(row) => row.indicator.code}
        empty={t("emptyFiltered")}
        testId="indicators"
        toolbar={
          <div className="filters" role="group" aria-label={t("clearFilters")}>
            <SelectFilter
              label={t("filterGroup")}
              name="group"
              value={group}
              onChange={setGroup}
              options={scorecard.byGroup.map((g) => ({
                value: g.group.code,
                label: `${g.group.code}. ${pick(g.group.titleVi, g.group.title)}`,
              }))}
            />
            <SelectFilter
              label={t("filterAgency")}
              name="agency"
              value={agency}
              onChange={setAgency}
              options={[...agencyNames].map(([code, name]) => ({ value: code, label: name }))}
            />
            <SelectFilter
              label={t("filterStatus")}
              name="status"
              value={status}
              onChange={(value) => setStatus(value as ProgressStatus | "")}
              options={STATUS_ORDER.map((s) => ({ value: s, label: STATUSES[s][language] }))}
            />
            {(group || agency || status) && (
              <button
                type="button"
                onClick={() => {
                  setGroup("");
                  setAgency("");
                  setStatus("");
                }}
              >
                {t("clearFilters")}
              </button>
            )}
          </div>
        }
      />
    </div>
  );
}
