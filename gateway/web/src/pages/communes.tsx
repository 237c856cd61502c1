// Xã, phường: the 114 communes, wards and special zones against every commune-level indicator for the
// month, as a heat grid (the colour is the commune's rank on the indicator; the number is its figure),
// with its monthly score, the score's parts and its rank by it. One request (WebCommunes).
import { useMemo, useState } from "react";
import { Link } from "wouter";
import { DataTable, type Column } from "../components/data-table.js";
import { matchesSearch, SearchFilter } from "../components/filters.js";
import { isDemo, PageState } from "../components/page-state.js";
import { formatFigure, formatNumber, formatPeriod } from "../format.js";
import { WebCommunesDocument, type WebCommunesQuery } from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { useKindLabel } from "../unit-kinds.js";

type Commune = WebCommunesQuery["review"]["communes"][number];

export default function CommunesPage() {
  const params = useReviewParams();
  const query = useQuery(WebCommunesDocument, { year: params.year, period: params.period });
  return (
    <PageState query={query} agencies={query.data?.agencies} demo={isDemo(query.data?.review)}>
      {(data) => <CommunesView data={data} />}
    </PageState>
  );
}

const PART_LABELS = {
  indicators: "scoreIndicators",
  tasks: "scoreTasks",
  reporting: "scoreReporting",
} as const;

/** A cell's shade from the commune's rank on the indicator: five steps, best darkest. */
const shade = (rank: number | null, outOf: number) =>
  rank === null || outOf === 0
    ? "heat-none"
    : `heat-${Math.min(4, Math.floor(((rank - 1) / Math.max(outOf, 1)) * 5))}`;

function CommunesView({ data }: { data: WebCommunesQuery }) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const params = useReviewParams();
  const kindLabel = useKindLabel();
  const [search, setSearch] = useState("");
  const communes = data.review.communes;
  const titles = new Map(data.indicators.map((i) => [i.code, i]));
  const codes = communes[0]?.indicators.map((i) => i.indicator.code) ?? [];
  const outOf = (code: string) =>
    communes.filter((c) => c.indicators.some((i) => i.indicator.code === code && i.reported))
      .length;
  const reporters = new Map(codes.map((code) => [code, outOf(code)]));
  const rows = useMemo(() => {
    return communes.filter((c) => matchesSearch(c.unit.name, search, i18n.locale));
  }, [communes, search, i18n.locale]);

  const columns: Column<Commune>[] = [
    { id: "rank", header: t("colRank"), value: (c) => c.rank ?? null, numeric: true },
    {
      id: "name",
      header: t("colCommune"),
      value: (c) => c.unit.name,
      render: (c) => <Link href={params.href(`/xa-phuong/${c.unit.code}`)}>{c.unit.name}</Link>,
      rowHeader: true,
    },
    { id: "kind", header: t("colKind"), value: (c) => kindLabel(c.unit.kind) },
    {
      id: "score",
      header: t("colScore"),
      value: (c) => c.score ?? null,
      render: (c) => formatNumber(i18n, c.score, 1),
      numeric: true,
    },
    // the score's parts: indicator results, tasks (its implementation plan), reporting
    ...(["indicators", "tasks", "reporting"] as const).map((part): Column<Commune> => ({
      id: `score-${part}`,
      header: t(PART_LABELS[part]),
      value: (c) => c.monthlyScore[part] ?? null,
      render: (c) => formatNumber(i18n, c.monthlyScore[part], 1),
      numeric: true,
    })),
    ...codes.map((code): Column<Commune> => {
      const indicator = titles.get(code);
      const cell = (c: Commune) => c.indicators.find((i) => i.indicator.code === code);
      return {
        id: code,
        header: code,
        value: (c) => {
          const own = cell(c);
          return own?.reported ? (own.value ?? (own.met ? 1 : 0)) : null;
        },
        render: (c) => {
          const own = cell(c);
          const title = indicator ? pick(indicator.titleVi, indicator.title) : code;
          if (!own?.reported) {
            return (
              <span className="heat heat-none" title={`${title}: ${t("notReported")}`}>
                –<span className="visually-hidden"> {t("notReported")}</span>
              </span>
            );
          }
          return (
            <span
              className={`heat ${shade(own.rank ?? null, reporters.get(code) ?? 0)}`}
              title={`${title}: ${t("rankOf", { rank: own.rank ?? "–", outOf: reporters.get(code) ?? 0 })}`}
            >
              {formatFigure(i18n, own.value, indicator?.unit, own.met)}
            </span>
          );
        },
        numeric: true,
        className: "heat-cell",
      };
    }),
  ];

  return (
    <div className="page communes">
      <h1>{t("communesTitle", { period: formatPeriod(i18n, data.review.period) })}</h1>
      <p className="legend">{t("communeScoreExplain")}</p>
      <p>
        <Link href={params.href("/xep-hang-xa")}>{t("leagueLink")}</Link>
      </p>
      <p className="legend">{t("heatLegend")}</p>
      <details className="indicator-key">
        <summary>{t("communeIndicators")}</summary>
        <ul>
          {codes.map((code) => (
            <li key={code}>
              <Link href={params.href(`/chi-tieu/${encodeURIComponent(code)}`)}>{code}</Link>:{" "}
              {titles.get(code) ? pick(titles.get(code)!.titleVi, titles.get(code)!.title) : ""}
            </li>
          ))}
        </ul>
      </details>
      <DataTable
        caption={`${t("navCommunes")}: ${rows.length}`}
        fileName={`xa-phuong-${data.review.period}`}
        columns={columns}
        rows={rows}
        rowKey={(c) => c.unit.code}
        initialSort={{ id: "rank" }}
        testId="heat-grid"
        toolbar={<SearchFilter value={search} onChange={setSearch} />}
      />
    </div>
  );
}
