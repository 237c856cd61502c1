// Status counts as traffic lights: one tile per status with its icon, label and count; and a row's
// counts as a stacked bar whose parts carry their numbers.
import type { ProgressStatus } from "../graphql/generated/graphql.js";
import { useI18n } from "../i18n.js";
import { STATUS_ORDER, STATUSES } from "../status.js";

type Counts = { status: ProgressStatus; count: number }[];

export const countOf = (counts: Counts, status: ProgressStatus) =>
  counts.find((c) => c.status === status)?.count ?? 0;

export function TrafficLights(props: {
  counts: Counts;
  title: string;
  /** When given, a tile filters by its status. */
  onPick?: (status: ProgressStatus) => void;
  picked?: ProgressStatus | null;
}) {
  const { language } = useI18n();
  return (
    <section aria-labelledby="traffic-lights-title">
      <h2 id="traffic-lights-title">{props.title}</h2>
      <ul className="traffic-lights" data-testid="traffic-lights">
        {STATUS_ORDER.map((status) => {
          const look = STATUSES[status];
          const content = (
            <>
              <span className="light-icon" aria-hidden="true">
                {look.icon}
              </span>
              <span className="light-count">{countOf(props.counts, status)}</span>
              <span className="light-label">{look[language]}</span>
            </>
          );
          return (
            <li key={status} className={`light status-${look.tone}`} data-status={status}>
              {props.onPick ? (
                <button
                  type="button"
                  aria-pressed={props.picked === status}
                  onClick={() => props.onPick!(status)}
                >
                  {content}
                </button>
              ) : (
                <div>{content}</div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function StackedCounts({ counts, total }: { counts: Counts; total: number }) {
  const { language } = useI18n();
  return (
    <span
      className="stacked"
      role="img"
      aria-label={STATUS_ORDER.filter((s) => countOf(counts, s) > 0)
        .map((s) => `${STATUSES[s][language]}: ${countOf(counts, s)}`)
        .join(", ")}
    >
      {STATUS_ORDER.map((status) => {
        const count = countOf(counts, status);
        if (!count) return null;
        const look = STATUSES[status];
        return (
          <span
            key={status}
            className={`stack-part status-${look.tone}`}
            style={{ flexGrow: count / Math.max(total, 1) }}
            title={`${look[language]}: ${count}`}
          >
            <span aria-hidden="true">
              {look.icon}
              {count}
            </span>
          </span>
        );
      })}
    </span>
  );
}
