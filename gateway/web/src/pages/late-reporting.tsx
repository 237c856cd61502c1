// Báo cáo chậm: every agency and reporting unit with reports missing or late for the month, filterable
// by agency and by kind; an agency's supplementary indicators (its own, beyond the plan) beside the
// plan's, tagged; then the communes, wards and special zones missing or late, each named once with
// its counts over every agency. One request (WebLateReporting).
import { useMemo, useState } from "react";
import { Link } from "wouter";
import { DataTable, type Column } from "../components/data-table.js";
import { matchesSearch, SearchFilter, SelectFilter } from "../components/filters.js";
import { isDemo, PageState } from "../components/page-state.js";
import { formatPeriod } from "../format.js";
import {
  WebLateReportingDocument,
  type WebLateReportingQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";

type Row = WebLateReportingQuery["review"]["lateReporting"][number];
type Titled = { title: string; titleVi: string };

/** A row's plan indicators and supplementary ones, missing or late. */
const KINDS = {
  missing: (r: Row) => ({ plan: r.missing, supplementary: r.missingSupplementary }),
  late: (r: Row) => ({ plan: r.late, supplementary: r.lateSupplementary }),
};
const count = (r: Row, kind: keyof typeof KINDS) => {
  const { plan, supplementary } = KINDS[kind](r);
  return plan.length + supplementary.length;
};

export default function LateReportingPage() {
  const params = useReviewParams();
  const query = useQuery(WebLateReportingDocument, { year: params.year, period: params.period });
  return (
    <PageState query={query} agencies={query.data?.agencies} demo={isDemo(query.data?.review)}>
      {(data) => <LateView data={data} />}
    </PageState>
  );
}

function LateView({ data }: { data: WebLateReportingQuery }) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const params = useReviewParams();
  const [agency, setAgency] = useState("");
  const [kind, setKind] = useState<"" | "missing" | "late">("");
  const [search, setSearch] = useState("");
  const all = data.review.lateReporting;
  const agencyByCode = useMemo(
    () => new Map(data.agencies.map((a) => [a.code, a])),
    [data.agencies],
  );
  const agencyName = (code: string) => {
    const found = agencyByCode.get(code);
    return found ? pick(found.nameVi, found.name) : code;
  };
  const agencies = [...new Set(all.map((r) => r.agency.code))].map((code) => ({
    code,
    label: agencyName(code),
  }));
  const rows = useMemo(() => {
    return all.filter(
      (r) =>
        (!agency || r.agency.code === agency) &&
        (!kind || count(r, kind) > 0) &&
        matchesSearch(r.unit.name, search, i18n.locale),
    );
  }, [all, agency, kind, search, i18n.locale]);
  const titles = useMemo(
    () => new Map(data.indicators.map((indicator) => [indicator.code, indicator])),
    [data.indicators],
  );
  /** The codes as the download has them, a supplementary one tagged. */
  const list = (r: Row, kind: keyof typeof KINDS) => {
    const { plan, supplementary } = KINDS[kind](r);
    const tag = t("supplementaryTag");
    const codes = [...plan.map((i) => i.code), ...supplementary.map((i) => `${i.code} (${tag})`)];
    return codes.join(", ") || null;
  };
  const columns: Column<Row>[] = [
    {
      id: "agency",
      header: t("colAgency"),
      value: (r) => agencyName(r.agency.code),
      render: (r) => (
        <Link href={params.href(`/co-quan/${r.agency.code}`)}>{agencyName(r.agency.code)}</Link>
      ),
    },
    {
      id: "unit",
      header: t("colCommune"),
      value: (r) => r.unit.name,
      render: (r) =>
        r.unit.kind === "CITY" ? (
          r.unit.name
        ) : (
          <Link href={params.href(`/xa-phuong/${r.unit.code}`)}>{r.unit.name}</Link>
        ),
      rowHeader: true,
    },
    {
      id: "missing",
      header: t("colMissing"),
      value: (r) => list(r, "missing"),
      render: (r) => <IndicatorList {...KINDS.missing(r)} titles={titles} />,
      className: "wide",
    },
    {
      id: "late",
      header: t("colLate"),
      value: (r) => list(r, "late"),
      render: (r) => <IndicatorList {...KINDS.late(r)} titles={titles} />,
      className: "wide",
    },
  ];
  const missing = rows.reduce((n, r) => n + count(r, "missing"), 0);
  const late = rows.reduce((n, r) => n + count(r, "late"), 0);
  const supplementaryMissing = rows.reduce((n, r) => n + r.missingSupplementary.length, 0);
  const supplementaryLate = rows.reduce((n, r) => n + r.lateSupplementary.length, 0);
  return (
    <div className="page late">
      <h1>{t("lateTitle", { period: formatPeriod(i18n, data.review.period) })}</h1>
      <p data-testid="late-count">
        {t("lateCount", { rows: rows.length, missing, late })}
        {supplementaryMissing + supplementaryLate > 0 &&
          ` ${t("lateCountSupplementary", { missing: supplementaryMissing, late: supplementaryLate })}`}
      </p>
      <DataTable
        caption={t("navLate")}
        fileName={`bao-cao-cham-${data.review.period}`}
        columns={columns}
        rows={rows}
        rowKey={(r) => `${r.agency.code}|${r.unit.code}`}
        empty={all.length ? t("emptyFiltered") : t("empty")}
        testId="late-reporting"
        toolbar={
          <div className="filters">
            <SelectFilter
              label={t("colAgency")}
              name="agency"
              value={agency}
              onChange={setAgency}
              options={agencies.map((a) => ({ value: a.code, label: a.label }))}
            />
            <SelectFilter
              label={t("filterStatus")}
              name="kind"
              value={kind}
              onChange={(value) => setKind(value as typeof kind)}
              options={[
                { value: "missing", label: t("colMissing") },
                { value: "late", label: t("colLate") },
              ]}
            />
            <SearchFilter value={search} onChange={setSearch} />
          </div>
        }
      />
      <LateCommunes rows={all} agencyName={agencyName} period={data.review.period} />
    </div>
  );
}

interface LateCommune {
  unit: Row["unit"];
  missing: number;
  late: number;
  agencies: string[];
}

/**
 * Each commune with the plan's figures missing or late for the month, over every agency, the most
 * missing first: what its monthly score's reporting part counts (supplementary indicators apart).
 */
function lateCommunes(rows: Row[]): LateCommune[] {
  const byUnit = new Map<string, LateCommune>();
  for (const row of rows) {
    if (row.unit.kind === "CITY" || row.missing.length + row.late.length === 0) continue;
    const entry = byUnit.get(row.unit.code) ?? {
      unit: row.unit,
      missing: 0,
      late: 0,
      agencies: [],
    };
    entry.missing += row.missing.length;
    entry.late += row.late.length;
    entry.agencies.push(row.agency.code);
    byUnit.set(row.unit.code, entry);
  }
  return [...byUnit.values()].sort(
    (a, b) => b.missing - a.missing || b.late - a.late || a.unit.code.localeCompare(b.unit.code),
  );
}

function LateCommunes(props: {
  rows: Row[];
  agencyName: (code: string) => string;
  period: string;
}) {
  const { rows, agencyName, period } = props;
  const { t } = useI18n();
  const params = useReviewParams();
  const communes = useMemo(() => lateCommunes(rows), [rows]);
  const columns: Column<LateCommune>[] = [
    {
      id: "unit",
      header: t("colCommune"),
      value: (c) => c.unit.name,
      render: (c) => <Link href={params.href(`/xa-phuong/${c.unit.code}`)}>{c.unit.name}</Link>,
      rowHeader: true,
    },
    { id: "missing", header: t("colMissing"), value: (c) => c.missing, numeric: true },
    { id: "late", header: t("colLate"), value: (c) => c.late, numeric: true },
    {
      id: "agencies",
      header: t("colAgencies"),
      value: (c) => c.agencies.map(agencyName).join("; "),
      className: "wide",
    },
  ];
  return (
    <section aria-labelledby="late-communes-title">
      <h2 id="late-communes-title">{t("lateUnits")}</h2>
      <p data-testid="late-communes-count">
        {t("lateCommunesCount", {
          count: communes.length,
          missing: communes.reduce((n, c) => n + c.missing, 0),
          late: communes.reduce((n, c) => n + c.late, 0),
        })}
      </p>
      <DataTable
        caption={t("lateUnits")}
        fileName={`xa-cham-${period}`}
        columns={columns}
        rows={communes}
        rowKey={(c) => c.unit.code}
        testId="late-communes"
      />
    </section>
  );
}

/** The plan's indicators (titles from the page's list), then the supplementary ones, tagged. */
function IndicatorList({
  plan,
  supplementary,
  titles,
}: {
  plan: { code: string }[];
  supplementary: { code: string }[];
  titles: Map<string, Titled>;
}) {
  const { t, pick } = useI18n();
  return (
    <>
      {plan.map((item, i) => (
        <span
          key={item.code}
          title={pick(titles.get(item.code)?.titleVi ?? "", titles.get(item.code)?.title ?? "")}
        >
          {i > 0 && ", "}
          {item.code}
        </span>
      ))}
      {supplementary.map((item, i) => (
        <span key={item.code} className="supplementary">
          {(plan.length > 0 || i > 0) && ", "}
          {item.code} <small className="supplementary-tag">{t("supplementaryTag")}</small>
        </span>
      ))}
    </>
  );
}
