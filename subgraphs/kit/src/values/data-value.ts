// A figure as the subgraph holds it: one version of (indicator, reporting unit, month), with the
// warning rules its reporter confirmed it against. Plain types, read by the database model, the read
// model and the checks alike.
import type { Person } from "../signing.js";

export type WarningRule =
  /** Far from the unit's own trend: its change from the month before is beyond 3 (scaled) median
   * absolute deviations of its earlier monthly changes. */
  | "OUTLIER"
  /** A stock count (accounts, systems) lower than the unit's month before. */
  | "STOCK_FELL"
  /** A denominator that drops or jumps by more than half from the unit's month before. */
  | "DENOMINATOR_SHIFT"
  /** A commune's count or denominator larger than the city's own total for the month. */
  | "ABOVE_CITY";

export interface CategoryFigure {
  category: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
}

/**
 * One version of a figure: (indicator, reporting unit, month), DHIS2's data value. Versions are never
 * changed or deleted: a replacement is the next version, under its own `_id`, indicator|unit|period|version.
 */
export interface DataValueDoc {
  _id?: string;
  indicator: string;
  unit: string;
  /** YYYY-MM */
  period: string;
  numerator: number | null;
  denominator: number | null;
  /** The figure: the percentage or ratio computed from numerator and denominator, or the count. */
  value: number | null;
  /** For a milestone: met or not. */
  met: boolean | null;
  breakdown: CategoryFigure[];
  comment: string | null;
  /** The agency that reported it. */
  reportedBy: string;
  /** The person who reported it for the agency: null (or absent, before people) for a service account. */
  person?: Person | null;
  reportedAt: Date;
  /** When the first version arrived: what timeliness is measured by (a correction is not lateness). */
  firstReportedAt: Date;
  /** 1 for the first submission, +1 for each replacement. */
  version: number;
  /** The write (a figure, a report, a file) that stored this version. */
  batch?: string;
  /** The warnings the reporter confirmed the figure against, with its comment (checks.ts). */
  confirmed?: WarningRule[];
}
