// The progress statuses as people see them: a label and an icon (never colour alone), in the order
// the scorecard counts them.
import type { ProgressStatus, TaskStatus } from "./graphql/generated/graphql.js";
import { useI18n, type Language } from "./i18n.js";

interface StatusLook {
  vi: string;
  en: string;
  icon: string;
  /** The CSS class that colours it (the label and icon carry the meaning). */
  tone: string;
}

export const STATUSES: Record<ProgressStatus, StatusLook> = {
  ACHIEVED: { vi: "Đã đạt", en: "Achieved", icon: "✔", tone: "good" },
  ON_TRACK: { vi: "Đúng tiến độ", en: "On track", icon: "↗", tone: "fair" },
  NEEDS_ACCELERATION: { vi: "Cần đẩy nhanh", en: "Needs acceleration", icon: "⚠", tone: "warn" },
  LIMITED_PROGRESS: { vi: "Tiến triển hạn chế", en: "Limited progress", icon: "▽", tone: "poor" },
  DETERIORATING: { vi: "Đang xấu đi", en: "Deteriorating", icon: "↘", tone: "bad" },
  NOT_ACHIEVED: { vi: "Chưa đạt", en: "Not achieved", icon: "✖", tone: "bad" },
  NOT_ASSESSABLE: { vi: "Chưa đánh giá được", en: "Not assessable", icon: "?", tone: "none" },
};

export const STATUS_ORDER = Object.keys(STATUSES) as ProgressStatus[];

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
