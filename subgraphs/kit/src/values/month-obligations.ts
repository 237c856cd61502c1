// What an agency owes for a month, read from the subgraph's read model: every indicator it reports
// for every unit that reports it, received, late, missing or still due; and its figures' warnings.
import type { IndicatorDefinition } from "./definitions.js";
import type { KitContext } from "./context.js";
import type { FigureWarning } from "./figure-store.js";
import { dueDate } from "./figures.js";
import type { ValuesSettings } from "./settings.js";

export interface MonthRef {
  agency: string;
  period: string;
}

export interface ObligationRow {
  indicator: string;
  unit: string;
  status: "RECEIVED" | "LATE" | "MISSING" | "DUE";
  reportedAt: string | null;
}

export function monthObligations({ definitions, units, cityCode, now }: ValuesSettings) {
  const communes = units.filter((unit) => unit !== cityCode);
  // everything it reports, its supplementary indicators too: late reporting counts them as well
  const owedBy = (agency: string): IndicatorDefinition[] =>
    [...definitions.values()].filter((d) => d.writers.includes(agency));

  /** Each month's obligations, worked out once for the request that asked (its counts read them too). */
  const owed = new WeakMap<MonthRef, ObligationRow[]>();

  function obligationsOf({ agency, period }: MonthRef, ctx: KitContext): ObligationRow[] {
    const due = dueDate(period).getTime();
    const pastDue = now().getTime() > due;
    return owedBy(agency).flatMap((definition) =>
      (definition.level === "COMMUNE" ? communes : [cityCode]).map((unit): ObligationRow => {
        const doc = ctx.values.store.get({ indicator: definition.code, unit, period });
        if (!doc) {
          return {
            indicator: definition.code,
            unit,
            status: pastDue ? "MISSING" : "DUE",
            reportedAt: null,
          };
        }
        const first = new Date(doc.firstReportedAt ?? doc.reportedAt);
        return {
          indicator: definition.code,
          unit,
          status: first.getTime() > due ? "LATE" : "RECEIVED",
          reportedAt: first.toISOString(),
        };
      }),
    );
  }

  return {
    obligations(month: MonthRef, ctx: KitContext): ObligationRow[] {
      let rows = owed.get(month);
      if (!rows) owed.set(month, (rows = obligationsOf(month, ctx)));
      return rows;
    },
    /** The warnings of the agency's figures for the month. */
    warningsOf({ agency, period }: MonthRef, ctx: KitContext): FigureWarning[] {
      const codes = new Set(owedBy(agency).map((d) => d.code));
      return ctx.values.store.warnings(period).filter((w) => codes.has(w.indicator));
    },
  };
}
