// The progress statuses' labels and icons, in the order the scorecard counts them: plain data, so the
// monthly report (built in the browser and by `npm run report:month`) reads them too.
import type { ProgressStatus } from "./graphql/generated/graphql.js";

export interface StatusLook {
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
