// Chỉ tiêu: one indicator. Its monthly series as a chart with the target line and the projection
// (dashed), its communes ranked (a sortable table and a bar chart), the city figure's versions, its
// tracking agencies. One request (WebIndicator); a commune's versions are asked when opened.
import { useMemo, useState } from "react";
import { Link } from "wouter";
import { Chart, type ChartOption } from "../components/chart.js";
import { Explanations } from "../components/explanations.js";
import { DataTable, type Column } from "../components/data-table.js";
import { isDemo, PageState } from "../components/page-state.js";
import { formatFigure, formatInstant, formatPace, formatPeriod, monthsUpTo } from "../format.js";
import {
  WebFigureVersionsDocument,
  WebIndicatorDocument,
  type WebIndicatorQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n, type I18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { StatusBadge } from "../status.js";
import { latestDueMonth } from "../format.js";

type Indicator = NonNullable<WebIndicatorQuery["indicator"]>;
type Version = {
  version: number;
  value: number | null;
  met: boolean | null;
  reportedBy: string;
  reportedAt: string;
  comment: string | null;
};

interface CommuneRow {
  unit: string;
  name: string;
  value: number | null;
  met: boolean | null;
  version: number;
  rank: number;
}

/** The communes' figures for the month, ranked (ties share the better rank). */
function rankCommunes(indicator: Indicator, names: Map<string, string>): CommuneRow[] {
  const values = "values" in indicator ? indicator.values : [];
  const score = (v: { value: number | null; met: boolean | null }) => v.value ?? (v.met ? 1 : 0);
  const sorted = values.filter((v) => v.unit !== "31").sort((a, b) => score(b) - score(a));
  return sorted.map((v) => ({
    unit: v.unit,
    name: names.get(v.unit) ?? v.unit,
    value: v.value,
    met: v.met,
    version: v.version,
    rank: sorted.findIndex((w) => score(w) === score(v)) + 1,
  }));
}

export default function IndicatorPage({ code }: { code: string }) {
  const params = useReviewParams();
  const period = params.period ?? latestDueMonth();
  const query = useQuery(WebIndicatorDocument, { code, year: params.year, period });
  return (
    <PageState query={query} agencies={query.data?.agencies} demo={isDemo(query.data?.review)}>
      {(data) => <IndicatorView data={data} code={code} period={period} />}
    </PageState>
  );
}

function seriesOption(i18n: I18n, indicator: Indicator, year: number): ChartOption {
  const { t } = i18n;
  const progress = indicator.progress;
  const observed = indicator.series.filter((m) => m.period <= `${year}-12`);
  const projected = progress.projectionSeries;
  const present = [...observed, ...projected].map((m) => m.period).sort();
  // every month from the first to the last, so that a gap of months reads as one on the axis
  const months = present.length
    ? monthsUpTo(present.at(-1)!)
        .reverse()
        .filter((m) => m >= present[0]!)
    : [];
  const byMonth = new Map(observed.map((m) => [m.period, m.value]));
  const projection = new Map(projected.map((m) => [m.period, m.value]));
  // the projection starts from the latest figure, so the dashed line joins the solid one
  if (progress.latest) projection.set(progress.latest.period, progress.latest.value);
  const target = indicator.target?.value ?? null;
  return {
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    // room on the right for the target line's label
    grid: { left: 56, right: 96, top: 36, bottom: 32 },
    xAxis: {
      type: "category",
      data: months.map((m) => formatPeriod(i18n, m)),
    },
    yAxis: {
      type: "value",
      // the target line stays in view even above every figure
      ...(target !== null && { max: (extent: { max: number }) => Math.max(extent.max, target) }),
      axisLabel: { formatter: (v: number) => formatFigure(i18n, v, indicator.unit) },
    },
    series: [
      {
        name: t("seriesName"),
        type: "line",
        data: months.map((m) => byMonth.get(m) ?? null),
        // a month not reported leaves a gap in the data, not in the line
        connectNulls: true,
        symbolSize: 7,
        lineStyle: { width: 3 },
        ...(target !== null && {
          markLine: {
            symbol: "none",
            lineStyle: { type: "dotted", width: 2, color: "#1b5e20" },
            label: { formatter: t("targetName", { year }) },
            data: [{ yAxis: target, name: t("targetName", { year }) }],
          },
        }),
      },
      {
        name: t("projectionName"),
        type: "line",
        data: months.map((m) => projection.get(m) ?? null),
        lineStyle: { type: "dashed", width: 2 },
        symbol: "none",
      },
    ],
  };
}

function IndicatorView({
  data,
  code,
  period,
}: {
  data: WebIndicatorQuery;
  code: string;
  period: string;
}) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const params = useReviewParams();
  const [opened, setOpened] = useState<string | null>(null);
  const indicator = data.indicator;
  const names = useMemo(() => new Map(data.reportingUnits.map((u) => [u.code, u.name])), [data]);
  const communes = useMemo(
    () => (indicator ? rankCommunes(indicator, names) : []),
    [indicator, names],
  );
  const option = useMemo(
    () => (indicator ? seriesOption(i18n, indicator, params.year) : null),
    [i18n, indicator, params.year],
  );
  if (!indicator) return <p className="failure">{t("unknownIndicator", { code })}</p>;
  const { progress } = indicator;
  const unit = indicator.unit;
  const periodText = formatPeriod(i18n, period);
  const history: Version[] = "history" in indicator ? indicator.history : [];
  const level = "reportingLevel" in indicator ? indicator.reportingLevel : null;

  const communeColumns: Column<CommuneRow>[] = [
    { id: "rank", header: t("colRank"), value: (r) => r.rank, numeric: true },
    {
      id: "name",
      header: t("colCommune"),
      value: (r) => r.name,
      render: (r) => <Link href={params.href(`/xa-phuong/${r.unit}`)}>{r.name}</Link>,
      rowHeader: true,
    },
    {
      id: "value",
      header: t("colValue"),
      value: (r) => r.value ?? (r.met === null ? null : r.met ? 1 : 0),
      render: (r) => formatFigure(i18n, r.value, unit, r.met),
      numeric: true,
    },
    {
      id: "version",
      header: t("colVersion"),
      value: (r) => r.version,
      render: (r) => (
        <button
          type="button"
          className="link"
          onClick={() => setOpened(r.unit)}
          aria-label={`${t("showVersions")}: ${r.name}`}
        >
          v{r.version}
        </button>
      ),
      numeric: true,
    },
  ];
  const versionColumns: Column<Version>[] = [
    {
      id: "version",
      header: t("colVersion"),
      value: (v) => v.version,
      numeric: true,
      rowHeader: true,
    },
    {
      id: "value",
      header: t("colValue"),
      value: (v) => v.value,
      render: (v) => formatFigure(i18n, v.value, unit, v.met),
      numeric: true,
    },
    { id: "by", header: t("colReportedBy"), value: (v) => v.reportedBy },
    {
      id: "at",
      header: t("colReportedAt"),
      value: (v) => v.reportedAt,
      render: (v) => formatInstant(i18n, v.reportedAt),
    },
    { id: "comment", header: t("colComment"), value: (v) => v.comment },
  ];
  const barOption: ChartOption = {
    animation: false,
    tooltip: { trigger: "axis" },
    grid: { left: 56, right: 16, top: 16, bottom: 40 },
    xAxis: {
      type: "category",
      data: communes.map((c) => c.name),
      axisLabel: { show: communes.length <= 20, rotate: 30 },
    },
    yAxis: { type: "value" },
    series: [
      { type: "bar", name: t("colValue"), data: communes.map((c) => c.value ?? (c.met ? 1 : 0)) },
    ],
  };

  return (
    <div className="page indicator">
      <p className="breadcrumb">
        <Link href={params.href("/")}>{t("navOverview")}</Link> › {indicator.group.code}.{" "}
        {pick(indicator.group.titleVi, indicator.group.title)}
      </p>
      <h1>
        {indicator.code}. {pick(indicator.titleVi, indicator.title)}
      </h1>
      <dl className="facts" data-testid="indicator-facts">
        <div>
          <dt>{t("colStatus")}</dt>
          <dd>
            <StatusBadge status={progress.status} />
          </dd>
        </div>
        <div>
          <dt>
            {t("colTarget")} {params.year}
          </dt>
          <dd>
            {indicator.target?.raw ?? "–"}
            {unit && unit !== "%" ? ` ${unit}` : ""}
          </dd>
        </div>
        <div>
          <dt>{t("baseline")}</dt>
          <dd>
            {formatFigure(i18n, progress.baseline?.value, unit)} (
            {formatPeriod(i18n, progress.baseline?.period)})
          </dd>
        </div>
        <div>
          <dt>{t("latest")}</dt>
          <dd data-testid="latest">
            {formatFigure(i18n, progress.latest?.value, unit, progress.latest?.met)} (
            {formatPeriod(i18n, progress.latest?.period)})
          </dd>
        </div>
        <div>
          <dt>{t("projection", { year: params.year })}</dt>
          <dd data-testid="projection">{formatFigure(i18n, progress.projection, unit)}</dd>
        </div>
        <div>
          <dt>{t("gap")}</dt>
          <dd>{formatFigure(i18n, progress.gap, unit)}</dd>
        </div>
        <div>
          <dt>{t("pace")}</dt>
          <dd>{formatPace(i18n, progress.paceRatio)}</dd>
        </div>
        <div>
          <dt>{t("trackingAgencies")}</dt>
          <dd>
            {indicator.trackingAgencies.map((a, i) => (
              <span key={a.code}>
                {i > 0 && ", "}
                <Link href={params.href(`/co-quan/${a.code}`)}>{pick(a.nameVi, a.name)}</Link>
              </span>
            ))}
          </dd>
        </div>
      </dl>
      {progress.note && <p className="note">{progress.note}</p>}
      <section>
        <h2>{t("seriesChart", { period: periodText })}</h2>
        {option && (
          <Chart
            option={option}
            testId="series-chart"
            summary={t("chartSummary", {
              points: indicator.series.length,
              target: indicator.target?.raw ?? "–",
              projection: formatFigure(i18n, progress.projection, unit),
            })}
          />
        )}
      </section>
      {level === "COMMUNE" || communes.length > 0 ? (
        <section className="two-columns">
          <DataTable
            caption={t("communesRanked", { period: periodText })}
            fileName={`chi-tieu-${indicator.code}-xa-${period}`}
            columns={communeColumns}
            rows={communes}
            rowKey={(r) => r.unit}
            initialSort={{ id: "rank" }}
            testId="communes"
          />
          <div>
            <h2>{t("communesChart", { period: periodText })}</h2>
            <Chart
              option={barOption}
              height={Math.max(320, Math.min(communes.length * 4, 600))}
              summary={t("communesChart", { period: periodText })}
              testId="communes-chart"
            />
          </div>
        </section>
      ) : null}
      <section>
        {level === "COMMUNE" && history.length === 0 ? (
          <p className="note">{t("cityAggregated")}</p>
        ) : (
          <DataTable
            caption={t("cityVersions", { period: periodText })}
            fileName={`chi-tieu-${indicator.code}-phien-ban-${period}`}
            columns={versionColumns}
            rows={history}
            rowKey={(v) => String(v.version)}
            testId="city-versions"
          />
        )}
      </section>
      {opened && (
        <FigureVersions
          code={indicator.code}
          unit={opened}
          unitName={names.get(opened) ?? opened}
          period={period}
          columns={versionColumns}
          onClose={() => setOpened(null)}
        />
      )}
      <Explanations
        subject={{ kind: "INDICATOR", code: indicator.code, agencies: indicator.trackingAgencies }}
      />
    </div>
  );
}

function FigureVersions(props: {
  code: string;
  unit: string;
  unitName: string;
  period: string;
  columns: Column<Version>[];
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const query = useQuery(WebFigureVersionsDocument, {
    code: props.code,
    unit: props.unit,
    period: props.period,
  });
  const title = t("figureVersions", {
    unit: props.unitName,
    period: formatPeriod(i18n, props.period),
  });
  return (
    <div className="dialog-backdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-label={title}
        className="dialog"
        onKeyDown={(event) => event.key === "Escape" && props.onClose()}
      >
        <button type="button" className="dialog-close" onClick={props.onClose} autoFocus>
          {t("close")}
        </button>
        <PageState query={query}>
          {(data) => (
            <DataTable
              caption={title}
              fileName={`chi-tieu-${props.code}-${props.unit}-${props.period}-phien-ban`}
              columns={props.columns}
              rows={data.indicator && "history" in data.indicator ? data.indicator.history : []}
              rowKey={(v) => String(v.version)}
              testId="figure-versions"
            />
          )}
        </PageState>
      </div>
    </div>
  );
}
