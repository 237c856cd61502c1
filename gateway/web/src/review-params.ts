// The target year, the reporting month and the day tasks are counted from live in the address
// (?nam=2026&thang=2026-10&ngay=2026-11-20), so a wall screen's bookmark shows the same view.
import { useLocation, useSearch } from "wouter";
import { todayInHaiPhong } from "./format.js";

export const TARGET_YEARS = [2026, 2030] as const;

export interface ReviewParams {
  year: number;
  /** null: the gateway's default, the latest month whose reports were due. */
  period: string | null;
  asOf: string;
  /** The address of a page with the same year, month and day. */
  href(path: string): string;
  set(changes: Partial<Record<"nam" | "thang" | "ngay", string | null>>): void;
}

export function useReviewParams(): ReviewParams {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const year = Number(params.get("nam"));
  const period = params.get("thang");
  const day = params.get("ngay");
  return {
    year: (TARGET_YEARS as readonly number[]).includes(year) ? year : 2026,
    period: period && /^\d{4}-\d{2}$/.test(period) ? period : null,
    asOf: day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : todayInHaiPhong(),
    href: (path) => (search ? `${path}?${search}` : path),
    set(changes) {
      const next = new URLSearchParams(search);
      for (const [name, value] of Object.entries(changes)) {
        if (value) next.set(name, value);
        else next.delete(name);
      }
      const text = next.toString();
      navigate(text ? `${location}?${text}` : location, { replace: true });
    },
  };
}
