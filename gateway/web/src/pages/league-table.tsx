// Xếp hạng xã: the 114 communes, wards and special zones ranked by their monthly score (indicator
// results, reporting, their implementation plan), each with its parts, its move since the month
// before and its ranks and scores over the months of the year so far. One request (WebCommuneLeague).
import { useMemo, useState } from "react";
import { Link } from "wouter";
import { DataTable, type Column } from "../components/data-table.js";
import { matchesSearch, SearchFilter } from "../components/filters.js";
import { isDemo, PageState } from "../components/page-state.js";
import { Sparkline } from "../components/sparkline.js";
import { formatDay, formatNumber, formatPeriod } from "../format.js";
import {
  WebCommuneLeagueDocument,
  type WebCommuneLeagueQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { leagueTrend, type LeagueRow } from "../report/commune-league.js";
import { useReviewParams } from "../review-params.js";

type Commune = WebCommuneLeagueQuery["review"]["communes"][number];
type Row = LeagueRow & { commune: Commune };

export default function LeagueTablePage() {
  const params = useReviewParams();
  const query = useQuery(WebCommuneLeagueDocument, { year: params.year, period: params.period });
  return (
    <PageState query={query} agencies={query.data?.agencies} demo={isDemo(query.data?.review)}>
      {(data) => <LeagueView data={data} />}
    </PageState>
  );
}

function LeagueView({ data }: { data: WebCommuneLeagueQuery }) {
  const i18n = useI18n();
  const { t } = i18n;
  const params = useReviewParams();
  const [search, setSearch] = useState("");
  const all = useMemo(() => {
    const byCode = new Map(data.review.communes.map((c) => [c.unit.code, c]));
    return leagueTrend(data.review).map((row) => ({ ...row, commune: byCode.get(row.code)! }));
  }, [data.review]);
  const rows = useMemo(
    () => all.filter((r) => matchesSearch(r.commune.unit.name, search, i18n.locale)),
    [all, search, i18n.locale],
  );
  const months = all[0]?.months.map((m) => formatPeriod(i18n, m.period)) ?? [];
  const span = { from: months[0] ?? "", to: months.at(-1) ?? "" };
  const number = (value: number | null | undefined) => formatNumber(i18n, value, 1);
  const change = (r: Row) =>
    r.change === null
      ? "–"
      : r.change > 0
        ? `▲ ${t("rankUp", { n: r.change })}`
        : r.change < 0
          ? `▼ ${t("rankDown", { n: -r.change })}`
          : t("rankSame");
  const ranks = (r: Row) => r.months.map((m) => m.rank ?? "–").join(" → ");
  const part = (id: string, header: string, pick: (r: Row) => number | null | undefined) => ({
    id,
    header,
    value: (r: Row) => pick(r) ?? null,
    render: (r: Row) => number(pick(r)),
    numeric: true,
  });

  const columns: Column<Row>[] = [
    { id: "rank", header: t("colRank"), value: (r) => r.rank, numeric: true },
    {
      id: "name",
      header: t("colCommune"),
      value: (r) => r.commune.unit.name,
      render: (r) => <Link href={params.href(`/xa-phuong/${r.code}`)}>{r.commune.unit.name}</Link>,
      rowHeader: true,
    },
    part("score", t("colScore"), (r) => r.score),
    { id: "change", header: t("colChange"), value: (r) => r.change, render: change, numeric: true },
    part("indicators", t("scoreIndicators"), (r) => r.commune.monthlyScore.indicators),
    part("tasks", t("scoreTasks"), (r) => r.commune.monthlyScore.tasks),
    part("reporting", t("scoreReporting"), (r) => r.commune.monthlyScore.reporting),
    {
      id: "ranks",
      header: t("colRanks"),
      value: ranks,
      render: (r) => (
        <span title={t("ranksOver", { ...span, ranks: ranks(r) })} className="nowrap">
          {ranks(r)}
        </span>
      ),
      sortable: false,
    },
    {
      id: "scores",
      header: t("colScores"),
      value: (r) => r.months.map((m) => number(m.score)).join("; "),
      render: (r) => (
        <Sparkline
          values={r.months.map((m) => m.score)}
          label={t("scoresOver", {
            ...span,
            scores: r.months.map((m) => number(m.score)).join(", "),
          })}
        />
      ),
      sortable: false,
    },
    {
      id: "plan",
      header: t("colCommunePlan"),
      value: (r) => r.commune.implementationPlan?.issuedOn ?? null,
      render: (r) => {
        const plan = r.commune.implementationPlan;
        if (!plan) return <span className="muted">{t("planNone")}</span>;
        return t("planIssued", { number: plan.documentNumber, date: formatDay(plan.issuedOn) });
      },
    },
  ];

  return (
    <div className="page league">
      <h1>{t("leagueTitle", { period: formatPeriod(i18n, data.review.period) })}</h1>
      <p className="legend">{t("communeScoreExplain")}</p>
      <DataTable
        caption={`${t("navLeague")}: ${rows.length}`}
        fileName={`xep-hang-xa-${data.review.period}`}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.code}
        initialSort={{ id: "rank" }}
        testId="league-table"
        toolbar={<SearchFilter value={search} onChange={setSearch} />}
      />
    </div>
  );
}
