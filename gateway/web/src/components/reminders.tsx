// The reminders an agency was sent for a month, on its month page: one digest per occasion (due soon,
// late, escalated to the IOC), when it went out and how many figures it still listed. The plan
// subgraph's scheduler sends them; the graph lets the agency read its own and the IOC every one.
import { formatInstant } from "../format.js";
import { WebRemindersDocument, type WebRemindersQuery } from "../graphql/generated/graphql.js";
import { useQuery } from "../graphql/use-query.js";
import { useI18n, type MessageKey } from "../i18n.js";
import { DataTable, type Column } from "./data-table.js";

type Reminder = WebRemindersQuery["reminders"][number];

export function Reminders(props: { agency: string; period: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const query = useQuery(WebRemindersDocument, props);
  const columns: Column<Reminder>[] = [
    {
      id: "occasion",
      header: t("colOccasion"),
      value: (r) => t(`reminder${r.occasion}` as MessageKey),
      rowHeader: true,
    },
    {
      id: "sentAt",
      header: t("colSentAt"),
      value: (r) => r.sentAt ?? r.claimedAt,
      render: (r) => formatInstant(i18n, r.sentAt ?? r.claimedAt),
    },
    {
      id: "status",
      header: t("colStatus"),
      value: (r) => t(`reminderStatus${r.status}` as MessageKey),
      render: (r) => (
        <span data-status={r.status}>{t(`reminderStatus${r.status}` as MessageKey)}</span>
      ),
    },
    { id: "to", header: t("colRecipients"), value: (r) => [...r.to, ...r.cc].join(", ") },
    {
      id: "outstanding",
      header: t("colOutstanding"),
      value: (r) => r.outstandingCount,
      render: (r) => t("reminderOutstanding", { count: r.outstandingCount, expected: r.expected }),
      numeric: true,
    },
    { id: "subject", header: t("colMailSubject"), value: (r) => r.subject, className: "wide" },
  ];
  return (
    <section aria-labelledby="reminders-title" data-testid="reminders">
      <h2 id="reminders-title">{t("reminders")}</h2>
      <DataTable
        caption={t("reminders")}
        fileName={`nhac-nho-${props.agency}-${props.period}`}
        columns={columns}
        rows={query.data?.reminders ?? []}
        rowKey={(r) => r.id}
        empty={query.loading && !query.data ? t("loading") : t("noReminders")}
        testId="reminder-list"
      />
    </section>
  );
}
