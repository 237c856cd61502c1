// A write's figures: as the figure form sends them, and whether a read-back shows them.

export interface WrittenFigure {
  indicator: string;
  unit: string;
  period: string;
  measure: string;
  numerator?: number;
  denominator?: number;
  value?: number;
  met?: boolean;
  comment: string;
}

interface FigureRow {
  unit: string;
  period: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  met: boolean | null;
  comment: string | null;
}

/**
 * Whether an answer of WebIndicatorFigures shows every written figure: the row of its unit and month
 * with the numbers written and the write's own comment (unique to the write, so an earlier figure
 * with the same numbers does not pass). Returns the rows that do not.
 */
export function notShown(
  data: { indicator?: Record<string, unknown> | null } | null | undefined,
  written: WrittenFigure[],
): { written: WrittenFigure; shown: FigureRow | null }[] {
  const indicator = data?.indicator;
  const rows = ((indicator?.educationValues ?? indicator?.values ?? []) as FigureRow[]) ?? [];
  const missing: { written: WrittenFigure; shown: FigureRow | null }[] = [];
  for (const w of written) {
    const row = rows.find((r) => r.unit === w.unit && r.period === w.period) ?? null;
    const same =
      row !== null &&
      row.comment === w.comment &&
      (w.measure === "MILESTONE"
        ? row.met === w.met
        : w.measure === "COUNT"
          ? row.value === w.value
          : row.numerator === w.numerator && row.denominator === w.denominator);
    if (!same) missing.push({ written: w, shown: row });
  }
  return missing;
}

/** The figures of one write, as the figure form makes its report's rows. */
export function figureInput(w: WrittenFigure): Record<string, unknown> {
  const input: Record<string, unknown> = {
    indicator: w.indicator,
    unit: w.unit,
    comment: w.comment,
  };
  if (w.measure === "MILESTONE") input.met = w.met;
  else if (w.measure === "COUNT") input.value = w.value;
  else Object.assign(input, { numerator: w.numerator, denominator: w.denominator });
  return input;
}
