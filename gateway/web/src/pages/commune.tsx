// One commune, ward or special zone: its monthly score with its parts (indicator results, its
// implementation plan, its reporting of the month), its rank by it, and every commune-level indicator
// for the month against the city's figure with its rank on each (the drill-down). One request (WebCommune).
import { Link } from "wouter";
import { useColumns } from "../components/columns.js";
import { DataTable, type Column } from "../components/data-table.js";
import { Score } from "../components/score.js";
import { isDemo, PageState } from "../components/page-state.js";
import { formatDay, formatFigure, formatPeriod } from "../format.js";
import { WebCommuneDocument, type WebCommuneQuery } from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { useKindLabel } from "../unit-kinds.js";

type Row = NonNullable<WebCommuneQuery["review"]["commune"]>["indicators"][number];

export default function CommunePage({ code }: { code: string }) {
  const params = useReviewParams();
  const query = useQuery(WebCommuneDocument, {
    year: params.year,
    period: params.period,
    commune: code,
  });
  return (
    <PageState query={query} agencies={query.data?.agencies} demo={isDemo(query.data?.review)}>
      {(data) => <CommuneView data={data} />}
    </PageState>
  );
}

function CommuneView({ data }: { data: WebCommuneQuery }) {
  const i18n = useI18n();
  const { t } = i18n;
  const params = useReviewParams();
  const kindLabel = useKindLabel();
  const shared = useColumns();
  const commune = data.review.commune;
  if (!commune) return <p className="failure">{t("notFound")}</p>;
  const plan = commune.implementationPlan;
  const reporting = commune.reporting;
  const columns: Column<Row>[] = [
    shared.indicatorCode((r) => r.indicator),
    shared.indicatorTitle((r) => r.indicator),
    {
      id: "value",
      header: t("colValue"),
      value: (r) => (r.reported ? r.value : null),
      render: (r) =>
        r.reported ? formatFigure(i18n, r.value, r.indicator.unit, r.met) : t("notReported"),
      numeric: true,
    },
    {
      id: "city",
      header: t("colCity"),
      value: (r) => r.cityValue ?? null,
      render: (r) => formatFigure(i18n, r.cityValue, r.indicator.unit),
      numeric: true,
    },
    {
      id: "rank",
      header: t("colRank"),
      value: (r) => r.rank ?? null,
      render: (r) => (r.rank ? `${r.rank}/${r.outOf}` : "–"),
      numeric: true,
    },
  ];
  return (
    <div className="page commune">
      <p className="breadcrumb">
        <Link href={params.href("/xa-phuong")}>{t("navCommunes")}</Link> ›{" "}
        {kindLabel(commune.unit.kind)}
      </p>
      <h1>{commune.unit.name}</h1>
      <dl className="facts" data-testid="commune-facts">
        <div>
          <dt>{t("colRank")}</dt>
          <dd data-testid="commune-rank">
            {commune.rank ? t("rankOf", { rank: commune.rank, outOf: commune.outOf }) : "–"}
          </dd>
        </div>
        <div>
          <dt>{t("colPeriod")}</dt>
          <dd>{formatPeriod(i18n, commune.period)}</dd>
        </div>
      </dl>
      <section aria-labelledby="score-title" className="scores">
        <h2 id="score-title">
          {t("score")}: {formatPeriod(i18n, commune.period)}
        </h2>
        <div className="score-row">
          <Score label={t("score")} value={commune.score} testId="score-total" />
          <Score
            label={t("scoreIndicators")}
            value={commune.monthlyScore.indicators}
            testId="score-indicators"
          />
          <Score label={t("scoreTasks")} value={commune.monthlyScore.tasks} testId="score-tasks" />
          <Score
            label={t("scoreReporting")}
            value={commune.monthlyScore.reporting}
            testId="score-reporting"
          />
        </div>
        <p className="legend">{t("communeScoreExplain")}</p>
        <dl className="facts">
          <div>
            <dt>{t("colCommunePlan")}</dt>
            <dd data-testid="commune-plan">
              {plan
                ? `${t("planIssued", { number: plan.documentNumber, date: formatDay(plan.issuedOn) })}${plan.onTime ? "" : ` (${t("planLate")})`}`
                : t("planNone")}
            </dd>
          </div>
          <div>
            <dt>{t("reporting", { period: formatPeriod(i18n, commune.period) })}</dt>
            <dd data-testid="commune-reporting">
              {t("communeReporting", {
                received: reporting.received,
                expected: reporting.expected,
                onTime: reporting.onTime,
              })}
              {reporting.missing.length > 0 &&
                `; ${t("colMissing").toLowerCase()}: ${reporting.missing.map((i) => i.code).join(", ")}`}
              {reporting.late.length > 0 &&
                `; ${t("colLate").toLowerCase()}: ${reporting.late.map((i) => i.code).join(", ")}`}
            </dd>
          </div>
        </dl>
      </section>
      <DataTable
        caption={t("communeIndicators")}
        fileName={`xa-${commune.unit.code}-${commune.period}`}
        columns={columns}
        rows={commune.indicators}
        rowKey={(r) => r.indicator.code}
        testId="commune-indicators"
      />
    </div>
  );
}
