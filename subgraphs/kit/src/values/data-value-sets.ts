// A month's figures as DHIS2 imports them (dataValueSets, with the CODE id scheme): for other
// monitoring systems. A figure becomes one data value per number it holds: a count or a milestone its
// value; a percentage or ratio its numerator and denominator (DHIS2 computes indicators from data
// elements), as <code>.numerator and <code>.denominator; a breakdown's categories as category option
// combos beside the total's `default`.
import type { IndicatorDefinition } from "./definitions.js";
import type { DataValueDoc } from "./model.js";

export interface DhisDataValue {
  dataElement: string;
  /** DHIS2's monthly period, YYYYMM. */
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  value: string;
  storedBy: string;
  created: string;
  lastUpdated: string;
  comment: string | null;
  /** Marked for follow-up: the figure has an open warning. */
  followup: boolean;
}

/** The category option combo of a figure without a breakdown, as DHIS2 names it by code. */
export const DEFAULT_COMBO = "default";

export function dhisDataValues(
  doc: DataValueDoc,
  definition: IndicatorDefinition,
  followup: boolean,
): DhisDataValue[] {
  const base = {
    period: doc.period.replace("-", ""),
    orgUnit: doc.unit,
    storedBy: doc.person?.id ?? doc.reportedBy,
    created: new Date(doc.firstReportedAt ?? doc.reportedAt).toISOString(),
    lastUpdated: new Date(doc.reportedAt).toISOString(),
    comment: doc.comment,
    followup,
  };
  const parts = [
    { combo: DEFAULT_COMBO, ...doc },
    ...doc.breakdown.map((part) => ({ combo: part.category, ...part, met: null })),
  ];
  return parts.flatMap((part) => {
    const numbers: [string, number | boolean | null][] =
      definition.measure === "PERCENT" || definition.measure === "RATIO"
        ? [
            [`${doc.indicator}.numerator`, part.numerator],
            [`${doc.indicator}.denominator`, part.denominator],
          ]
        : [[doc.indicator, definition.measure === "MILESTONE" ? part.met : part.value]];
    return numbers.flatMap(([dataElement, value]) =>
      value === null
        ? []
        : [{ ...base, dataElement, categoryOptionCombo: part.combo, value: String(value) }],
    );
  });
}
