// Duyệt báo cáo tháng: every agency's month for the review month, where it stands, its latest step
// and the warnings still open, each agency a link to its page (where the IOC accepts, returns or
// reopens). Every subgraph's agencies come in one request (review { <subgraph> { months } }), the
// plan's own agencies (no subgraph of their own) under plan.
import { Link } from "wouter";
import { DataTable, type Column } from "../components/data-table.js";
import { Explanations } from "../components/explanations.js";
import { DataValuesDownload, MonthReportDownload } from "../components/month-downloads.js";
import { isDemo, PageState } from "../components/page-state.js";
import { formatInstant, formatPeriod } from "../format.js";
import { session } from "../session/session.js";
import {
  WebMonthReviewDocument,
  type MonthState,
  type WebMonthReviewQuery,
} from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { stateLabel, useEntryPeriod } from "./agency-month.js";

const REVIEW_FIELDS = [
  "identity",
  "procedures",
  "health",
  "education",
  "socialSecurity",
  "plan",
] as const;

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
      {session.isIoc() && (
        <MonthReportDownload period={data.review.period} year={params.year} asOf={params.asOf} />
      )}
      <DataValuesDownload
        period={data.review.period}
        fileName={`so-lieu-dhis2-${data.review.period}`}
      />
      <Explanations askAny={data.agencies} />
    </div>
  );
}
