// A reporting subgraph's figures in memory: its read model. Loaded once, then updated by each write
// (its own or another instance's, through the change log); every read of figures is answered here,
// at a cost that grows with the answer. The city's month is kept per indicator and recomputed only
// from the month a write touched; so is what a review reads of an indicator (its summary, ranks and
// reporting of a month): a write drops only its own indicator's, for the months it can change.
import { createHash } from "node:crypto";
import type { Connection, Model } from "mongoose";
import type { ReadModel } from "../changes/replica.js";
import { Snapshots } from "../changes/snapshots.js";
import { categoryFigures, cityMonths, type CityMonth } from "./aggregate.js";
import { checkFigure, OUTLIER_WINDOW, type Warning } from "./checks.js";
import type { IndicatorDefinition } from "./definitions.js";
import {
  indicatorFigures,
  indicatorReporting,
  indicatorSummary,
  rankedUnits,
  type IndicatorFigures as FiguresOfIndicator,
  type IndicatorReporting,
  type IndicatorSummary,
  type UnitRank,
} from "./figures.js";
import type { CategoryFigure, DataValueDoc } from "./model.js";

/** The kind of change a figure write publishes. */
export const VALUES_CHANGE = "values";

/** The snapshots of a subgraph's figures are named this and a hash of its indicators. */
const SNAPSHOT_PREFIX = "figures:";

/**
 * Forgets the snapshots of a database's figures, so that its subgraph reads them whole at its next
 * start: after figures were written there outside the change log (an indicator's moved in).
 */
export async function forgetFigureSnapshots(db: Connection): Promise<void> {
  await new Snapshots(db).forget(SNAPSHOT_PREFIX);
}

/** A warning on a stored figure: open until the reporter confirms it (with a comment) or corrects it. */
export interface FigureWarning extends Warning {
  confirmed: boolean;
  comment: string | null;
}

export const keyOf = (v: { indicator: string; unit: string; period: string }) =>
  `${v.indicator}|${v.unit}|${v.period}`;

/** What a review reads of one indicator, kept by the month (and year) it was read for. */
class ReviewMemo {
  /** By `year|period`. */
  readonly summaries = new Map<string, IndicatorSummary>();
  readonly figures = new Map<string, FiguresOfIndicator>();
  readonly ranks = new Map<string, UnitRank[]>();
  readonly reporting = new Map<string, IndicatorReporting>();

  /** Drops what a write to these months can change: a month's own, and series read up to a later one. */
  forget(months: Set<string>): void {
    if (months.size === 0) return;
    const earliest = [...months].sort()[0]!;
    for (const key of this.summaries.keys()) {
      if (key.slice(key.indexOf("|") + 1) >= earliest) this.summaries.delete(key);
    }
    for (const period of this.figures.keys()) {
      if (period >= earliest) this.figures.delete(period);
    }
    for (const period of months) {
      this.ranks.delete(period);
      this.reporting.delete(period);
    }
  }
}

/** One indicator's figures: by month, then by unit, with the city's figure of each month. */
class IndicatorFigures {
  readonly months = new Map<string, Map<string, DataValueDoc>>();
  private readonly cityByMonth = new Map<string, CityMonth>();
  private series: CityMonth[] | null = null;
  private readonly sortedMonths = new Map<string, DataValueDoc[]>();
  /** Months written since the city's figures were last computed. */
  private readonly touched = new Set<string>();
  /** Every month with a figure, newest first. */
  private newestFirst: string[] | null = null;
  readonly review = new ReviewMemo();

  constructor(
    private readonly definition: IndicatorDefinition,
    private readonly cityCode: string,
  ) {}

  set(doc: DataValueDoc): void {
    let month = this.months.get(doc.period);
    if (!month) {
      this.months.set(doc.period, (month = new Map()));
      this.newestFirst = null;
    }
    month.set(doc.unit, doc);
    this.touched.add(doc.period);
  }

  /** Recomputes the city's figure of each month written since the last call. */
  settle(): void {
    for (const period of this.touched) {
      const units = this.monthValues(period, true);
      const [city] = cityMonths(units, this.definition, this.cityCode);
      if (city) this.cityByMonth.set(period, city);
      else this.cityByMonth.delete(period);
    }
    if (this.touched.size > 0) this.series = null;
    this.review.forget(this.touched);
    this.touched.clear();
  }

  /** A month's figures, by unit code. */
  monthValues(period: string, fresh = false): DataValueDoc[] {
    const cached = fresh ? undefined : this.sortedMonths.get(period);
    if (cached) return cached;
    const sorted = [...(this.months.get(period)?.values() ?? [])].sort((a, b) =>
      a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0,
    );
    this.sortedMonths.set(period, sorted);
    return sorted;
  }

  /** The city's months, oldest first. */
  citySeries(): CityMonth[] {
    this.series ??= [...this.cityByMonth.values()].sort((a, b) =>
      a.period < b.period ? -1 : a.period > b.period ? 1 : 0,
    );
    return this.series;
  }

  /** A unit's figures of the months before `period`, newest first, at most `count`. */
  earlier(unit: string, period: string, count: number): DataValueDoc[] {
    this.newestFirst ??= [...this.months.keys()].sort().reverse();
    const found: DataValueDoc[] = [];
    for (const month of this.newestFirst) {
      if (month >= period) continue;
      const doc = this.months.get(month)?.get(unit);
      if (doc) found.push(doc);
      if (found.length === count) break;
    }
    return found;
  }

  /** Months with figures, oldest first, within a range. */
  periods(from?: string | null, to?: string | null): string[] {
    return this.citySeries()
      .map((m) => m.period)
      .filter((p) => (from == null || p >= from) && (to == null || p <= to));
  }
}

export class FigureStore {
  private readonly byIndicator = new Map<string, IndicatorFigures>();
  private readonly definitions: Map<string, IndicatorDefinition>;
  /** Advances with every applied change: what memoised answers are keyed on. */
  private revision = 0;
  private readonly warningsMemo = new Map<
    string,
    { revision: number; warnings: FigureWarning[] }
  >();

  constructor(
    private readonly options: {
      definitions: IndicatorDefinition[];
      units: string[];
      cityCode: string;
    },
  ) {
    this.definitions = new Map(options.definitions.map((d) => [d.code, d]));
    this.reset();
  }

  private reset(): void {
    this.byIndicator.clear();
    for (const definition of this.options.definitions) {
      this.byIndicator.set(
        definition.code,
        new IndicatorFigures(definition, this.options.cityCode),
      );
    }
    this.warningsMemo.clear();
    this.revision += 1;
  }

  /** Applies figures (the records after a write): a newer version replaces, an older one is ignored. */
  apply(docs: DataValueDoc[]): void {
    const settle = new Set<IndicatorFigures>();
    for (const doc of docs) {
      const figures = this.byIndicator.get(doc.indicator);
      if (!figures) continue;
      const current = figures.months.get(doc.period)?.get(doc.unit);
      if (current && current.version > doc.version) continue;
      figures.set(doc);
      settle.add(figures);
    }
    for (const figures of settle) figures.settle();
    if (settle.size > 0) {
      this.revision += 1;
      this.warningsMemo.clear();
    }
  }

  get(key: { indicator: string; unit: string; period: string }): DataValueDoc | null {
    return this.byIndicator.get(key.indicator)?.months.get(key.period)?.get(key.unit) ?? null;
  }

  citySeries(code: string): CityMonth[] {
    return this.byIndicator.get(code)?.citySeries() ?? [];
  }

  /** An indicator's figures, by month then unit, optionally for one unit and a range of months. */
  values(code: string, filter: { unit?: string | null; from?: string | null; to?: string | null }) {
    const figures = this.byIndicator.get(code);
    if (!figures) return [];
    return figures.periods(filter.from, filter.to).flatMap((period) => {
      if (filter.unit == null) return figures.monthValues(period);
      const doc = figures.months.get(period)?.get(filter.unit);
      return doc ? [doc] : [];
    });
  }

  /** A breakdown for one unit and month (for the city, the communes' summed by category). */
  breakdown(code: string, unit: string, period: string): CategoryFigure[] {
    const figures = this.byIndicator.get(code);
    const definition = this.definitions.get(code);
    if (!figures || !definition) return [];
    return categoryFigures(
      figures.monthValues(period),
      definition,
      unit,
      period,
      this.options.cityCode,
    );
  }

  /** The agencies that report through the subgraph (its plan indicators' writers). */
  get agencies(): string[] {
    return [
      ...new Set(
        this.options.definitions.filter((d) => !d.supplementary).flatMap((d) => d.writers),
      ),
    ];
  }

  /** The plan's indicators, or those its agencies track beyond the plan. */
  private indicators(supplementary: boolean) {
    return this.options.definitions.flatMap((definition) => {
      const figures = this.byIndicator.get(definition.code);
      return figures && !definition.supplementary === !supplementary
        ? [{ definition, figures }]
        : [];
    });
  }

  /** Each indicator's summary for a review of a target year and month: kept until a write touches it. */
  summaries(year: number, period: string, supplementary = false): IndicatorSummary[] {
    const key = `${year}|${period}`;
    return this.indicators(supplementary).map(({ definition, figures }) => {
      let summary = figures.review.summaries.get(key);
      if (!summary) {
        summary = indicatorSummary(definition, figures.citySeries(), year, period);
        figures.review.summaries.set(key, summary);
      }
      return summary;
    });
  }

  /** An indicator's communes for a month, best first, with their ranks. */
  rankedUnits(code: string, period: string): UnitRank[] {
    const figures = this.byIndicator.get(code);
    if (!figures) return [];
    let ranks = figures.review.ranks.get(period);
    if (!ranks) {
      ranks = rankedUnits(figures.monthValues(period), this.options.cityCode);
      figures.review.ranks.set(period, ranks);
    }
    return ranks;
  }

  /** How each indicator was reported for a month. */
  reporting(period: string, supplementary = false): IndicatorReporting[] {
    const { units, cityCode } = this.options;
    return this.indicators(supplementary).map(({ definition, figures }) => {
      let reporting = figures.review.reporting.get(period);
      if (!reporting) {
        const month = figures.monthValues(period);
        reporting = indicatorReporting(definition, month, units, cityCode, period);
        figures.review.reporting.set(period, reporting);
      }
      return reporting;
    });
  }

  /** Each indicator's city series up to a month and its communes' figures of the month, whole. */
  indicatorFigures(period: string, supplementary = false): FiguresOfIndicator[] {
    const { cityCode } = this.options;
    return this.indicators(supplementary).map(({ definition, figures }) => {
      let whole = figures.review.figures.get(period);
      if (!whole) {
        const month = figures.monthValues(period);
        whole = indicatorFigures(definition, figures.citySeries(), month, cityCode, period);
        figures.review.figures.set(period, whole);
      }
      return whole;
    });
  }

  /** The warnings one figure raises, each marked confirmed if its version confirms the rule. */
  warningsOf(doc: DataValueDoc): FigureWarning[] {
    const figures = this.byIndicator.get(doc.indicator);
    const definition = this.definitions.get(doc.indicator);
    if (!figures || !definition) return [];
    const { cityCode } = this.options;
    const city =
      doc.unit === cityCode ? null : (figures.months.get(doc.period)?.get(cityCode) ?? null);
    return checkFigure(doc, {
      definition,
      cityCode,
      earlier: figures.earlier(doc.unit, doc.period, OUTLIER_WINDOW),
      city,
    }).map((warning) => ({
      ...warning,
      confirmed: doc.confirmed?.includes(warning.rule) ?? false,
      comment: doc.comment,
    }));
  }

  /** Every warning of a month's figures, by indicator then unit; computed once per month and change. */
  warnings(period: string): FigureWarning[] {
    const memo = this.warningsMemo.get(period);
    if (memo?.revision === this.revision) return memo.warnings;
    const warnings = [...this.byIndicator.values()].flatMap((figures) =>
      figures.monthValues(period).flatMap((doc) => this.warningsOf(doc)),
    );
    this.warningsMemo.set(period, { revision: this.revision, warnings });
    return warnings;
  }

  /** How many figures it holds. */
  get size(): number {
    let count = 0;
    for (const figures of this.byIndicator.values())
      for (const month of figures.months.values()) count += month.size;
    return count;
  }

  /** Every figure, for a snapshot. */
  private all(): DataValueDoc[] {
    return [...this.byIndicator.values()].flatMap((figures) =>
      [...figures.months.values()].flatMap((month) => [...month.values()]),
    );
  }

  /** The read model part over the subgraph's figures collection. */
  readModel(model: Model<DataValueDoc>): ReadModel {
    return {
      kinds: [VALUES_CHANGE],
      load: async () => {
        const docs = await model.find().lean<DataValueDoc[]>().exec();
        this.reset();
        this.apply(docs);
      },
      apply: (_kind, payload) => this.apply(payload as DataValueDoc[]),
      // a figure changes its month, and the series and checks read up to a later one (forget above)
      byPeriod: true,
      snapshot: {
        // a snapshot holds only the indicators it was taken with: one taken before an indicator
        // moved here (or away) is not restored, and the figures are read whole once instead
        name: `${SNAPSHOT_PREFIX}${createHash("sha256")
          .update([...this.definitions.keys()].sort().join(","))
          .digest("hex")
          .slice(0, 16)}`,
        dump: () => this.all(),
        restore: (records) => {
          this.reset();
          // JSON has no dates: the times come back as text
          this.apply(
            (records as DataValueDoc[]).map((doc) => ({
              ...doc,
              reportedAt: new Date(doc.reportedAt),
              firstReportedAt: new Date(doc.firstReportedAt),
            })),
          );
        },
      },
    };
  }
}
