// What a subgraph hands the plan for a review of a target year and a reporting month: each indicator's
// city series and commune figures, and how completely and timely its units reported the month (DHIS2's
// completeness and timeliness of a data set).
import type { CityMonth } from "./aggregate.js";
import type {
  IndicatorDefinition,
  Measure,
  ReportingLevel,
  TimeAggregation,
} from "./definitions.js";
import type { DataValueDoc } from "./model.js";

export interface UnitValue {
  unit: string;
  value: number | null;
  met: boolean | null;
}

export interface IndicatorFigures {
  code: string;
  measure: Measure;
  timeAggregation: TimeAggregation;
  reportingLevel: ReportingLevel;
  /** The city's months up to the review's month. */
  citySeries: CityMonth[];
  /** Each commune's figure for the review's month (commune-level indicators). */
  unitValues: UnitValue[];
}

export interface IndicatorReporting {
  code: string;
  /** The agencies that report it. */
  agencies: string[];
  expected: number;
  received: number;
  onTime: number;
  missingUnits: string[];
  lateUnits: string[];
}

export interface AgencyFigures {
  /** The review's month. */
  period: string;
  /** The agencies that report through the subgraph. */
  agencies: string[];
  /** The plan's (Appendix I) indicators it reports. */
  indicators: IndicatorFigures[];
  reporting: IndicatorReporting[];
  /** The indicators its agencies track beyond the plan: kept apart, never in the plan's counts. */
  supplementaryIndicators: IndicatorFigures[];
  supplementaryReporting: IndicatorReporting[];
}

/** Vietnam's offset from UTC: the city's clock for due dates. */
const VIETNAM_OFFSET_HOURS = 7;

/** A month's report is due by the end of the 10th of the next month, Vietnam time. */
export function dueDate(period: string): Date {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 10, 24 - VIETNAM_OFFSET_HOURS) - 1);
}

/** Where a review's figures are read from: a subgraph's read model. */
export interface FigureSource {
  /** The indicator's city months, oldest first. */
  citySeries(code: string): CityMonth[];
  /** The indicator's figures of one month, by unit code. */
  month(code: string, period: string): DataValueDoc[];
}

export function agencyFigures(
  source: FigureSource,
  definitions: IndicatorDefinition[],
  units: string[],
  cityCode: string,
  period: string,
): AgencyFigures {
  const communes = units.filter((unit) => unit !== cityCode);
  const due = dueDate(period).getTime();
  const planned = definitions.filter((d) => !d.supplementary);
  const supplementary = definitions.filter((d) => d.supplementary);

  const figuresOf = (definition: IndicatorDefinition): IndicatorFigures => ({
    code: definition.code,
    measure: definition.measure,
    timeAggregation: definition.aggregation,
    reportingLevel: definition.level,
    citySeries: source.citySeries(definition.code).filter((m) => m.period <= period),
    unitValues:
      definition.level === "COMMUNE"
        ? source
            .month(definition.code, period)
            .filter((v) => v.unit !== cityCode)
            .map(({ unit, value, met }) => ({ unit, value, met }))
        : [],
  });

  const reportingOf = (definition: IndicatorDefinition): IndicatorReporting => {
    const expected = definition.level === "COMMUNE" ? communes : [cityCode];
    const received = new Map(
      source
        .month(definition.code, period)
        .map((v) => [v.unit, new Date(v.firstReportedAt ?? v.reportedAt).getTime()]),
    );
    const lateUnits = expected.filter((u) => received.has(u) && received.get(u)! > due);
    const missingUnits = expected.filter((u) => !received.has(u));
    return {
      code: definition.code,
      agencies: definition.writers,
      expected: expected.length,
      received: expected.length - missingUnits.length,
      onTime: expected.length - missingUnits.length - lateUnits.length,
      missingUnits,
      lateUnits,
    };
  };

  return {
    period,
    agencies: [...new Set(planned.flatMap((d) => d.writers))],
    indicators: planned.map(figuresOf),
    reporting: planned.map(reportingOf),
    supplementaryIndicators: supplementary.map(figuresOf),
    supplementaryReporting: supplementary.map(reportingOf),
  };
}
