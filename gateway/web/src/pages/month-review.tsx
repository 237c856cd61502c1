// Duyệt báo cáo tháng: every agency's month for the review month, where it stands, its latest step
// and the warnings still open, each agency a link to its page (where the IOC accepts, returns or
// reopens). The reporting subgraphs' agencies come in one request (review { <subgraph> { months } });
// the plan's own agencies (no subgraph) are not in a review field, so each row asks planMonth.
import { Link } from "wouter";
import { flagsFor } from "../agency-subgraph.js";
import { DataTable, type Column } from "../components/data-table.js";
import { isDemo, PageState } from "../components/page-state.js";
import { formatInstant, formatPeriod } from "../format.js";
import {
  WebAgencyMonthDocument,
  WebMonthReviewDocument,
  type MonthState,
  type WebMonthReviewQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { stateLabel, useEntryPeriod } from "./agency-month.js";

const REVIEW_FIELDS = ["identity", "procedures", "health", "education", "socialSecurity"] as const;

interface Row {
  code: string;
  name: string;
  subgraph: string | null;
  state: MonthState | null;
  received: string;
  lastStep: string | null;
  reason: string | null;
  openWarnings: number | null;
  shared: boolean;
}

export default function MonthReviewPage() {
  const params = useReviewParams();
  const period = useEntryPeriod();
  const query = useQuery(WebMonthReviewDocument, { year: params.year, period });
  return (
    <PageState query={query} agencies={query.data?.agencies} demo={isDemo(query.data?.review)}>
      {(data) => <ReviewView data={data} />}
    </PageState>
  );
}

function ReviewView({ data }: { data: WebMonthReviewQuery }) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const params = useReviewParams();
  const rows: Row[] = [];
  for (const field of REVIEW_FIELDS) {
    const figures = data.review[field];
    if (!figures) continue;
    for (const month of figures.months) {
      const agency = data.agencies.find((a) => a.code === month.agency);
      const step = month.steps.at(-1);
      rows.push({
        code: month.agency,
        name: agency ? pick(agency.nameVi, agency.name) : month.agency,
        subgraph: agency?.subgraph ?? null,
        state: month.state,
        received: `${month.received}/${month.expected}`,
        lastStep: step
          ? `${stateLabel(i18n, step.state)} · ${step.by} · ${formatInstant(i18n, step.at)}`
          : null,
        reason: step?.reason ?? null,
        openWarnings: figures.openWarnings.length,
        shared: figures.months.length > 1,
      });
    }
  }
  const owners = new Set(data.indicators.map((i) => i.owner.code));
  const planAgencies = data.agencies.filter(
    (a) => !a.subgraph && owners.has(a.code) && !rows.some((r) => r.code === a.code),
  );
  const columns: Column<Row>[] = [
    {
      id: "agency",
      header: t("colAgency"),
      value: (r) => r.name,
      render: (r) => <Link href={params.href(`/bao-cao/${r.code}`)}>{r.name}</Link>,
      rowHeader: true,
    },
    {
      id: "state",
      header: t("monthState"),
      value: (r) => (r.state ? stateLabel(i18n, r.state) : null),
    },
    { id: "received", header: t("colReported"), value: (r) => r.received },
    {
      id: "warnings",
      header: t("colOpenWarnings"),
      value: (r) => r.openWarnings,
      render: (r) => (r.shared ? `${r.openWarnings} ${t("sharedWarnings")}` : r.openWarnings),
      numeric: true,
    },
    { id: "step", header: t("colLastStep"), value: (r) => r.lastStep },
    { id: "reason", header: t("colReason"), value: (r) => r.reason },
  ];
  return (
    <div className="page month-review">
      <h1>{t("monthsReview", { period: formatPeriod(i18n, data.review.period) })}</h1>
      <DataTable
        caption={t("monthsReview", { period: formatPeriod(i18n, data.review.period) })}
        fileName={`duyet-bao-cao-${data.review.period}`}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.code}
        testId="month-review"
      />
      <h2>{t("planAgencies")}</h2>
      <ul className="plan-agencies" data-testid="plan-agencies">
        {planAgencies.map((agency) => (
          <PlanAgency
            key={agency.code}
            code={agency.code}
            name={pick(agency.nameVi, agency.name)}
            period={data.review.period}
          />
        ))}
      </ul>
    </div>
  );
}

/** An agency of the plan subgraph: its month from planMonth. */
function PlanAgency({ code, name, period }: { code: string; name: string; period: string }) {
  const i18n = useI18n();
  const params = useReviewParams();
  const query = useQuery(WebAgencyMonthDocument, { agency: code, period, ...flagsFor("plan") });
  const month = query.data?.planMonth;
  if (!month || month.expected === 0) return null;
  return (
    <li data-key={code}>
      <Link href={params.href(`/bao-cao/${code}`)}>{name}</Link>: {stateLabel(i18n, month.state)},{" "}
      {month.received}/{month.expected}, {i18n.t("colOpenWarnings").toLowerCase()}{" "}
      {month.warnings.length}
    </li>
  );
}
