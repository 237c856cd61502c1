// The progress statuses as people see them: a label and an icon (never colour alone), in the order
// the scorecard counts them.
import type { ProgressStatus, TaskStatus } from "./graphql/generated/graphql.js";
import { useI18n, type Language } from "./i18n.js";
import { STATUSES } from "./status-labels.js";

export { STATUS_ORDER, STATUSES } from "./status-labels.js";

export const statusLabel = (status: ProgressStatus, language: Language) =>
  STATUSES[status][language];

export function StatusBadge({ status }: { status: ProgressStatus }) {
  const { language } = useI18n();
  const look = STATUSES[status];
  return (
    <span className={`status status-${look.tone}`} data-status={status}>
      <span aria-hidden="true" className="status-icon">
        {look.icon}
      </span>
      {look[language]}
    </span>
  );
}

const TASK_STATUSES: Record<TaskStatus, "taskNotStarted" | "taskInProgress" | "taskDone"> = {
  NOT_STARTED: "taskNotStarted",
  IN_PROGRESS: "taskInProgress",
  DONE: "taskDone",
};

export function useTaskStatusLabel() {
  const { t } = useI18n();
  return (status: TaskStatus) => t(TASK_STATUSES[status]);
}
