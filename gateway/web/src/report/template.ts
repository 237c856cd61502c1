// The agency's monthly template (mẫu báo cáo tháng): a row for every figure it owes the month, in the
// importer's columns (subgraphs/kit/src/values/report-file.ts), prefilled with the month before's
// figure, then the commune's and the indicator's names for the people who fill it in. The page's
// download and `npm run template` both build it here.
import type { CellValue, Sheet } from "../sheet.js";
import type { WebTemplateFiguresQuery } from "../graphql/generated/graphql.js";

/** The importer's columns, in its order. */
export const REPORT_COLUMNS = [
  "indicator",
  "unit",
  "numerator",
  "denominator",
  "value",
  "met",
  "category",
  "comment",
] as const;

interface Figure {
  unit: string;
  numerator?: number | null;
  denominator?: number | null;
  value?: number | null;
  met?: boolean | null;
}

export interface TemplateInput {
  /** What the agency owes the month: each (indicator, unit). */
  obligations: { indicator: string; unit: string }[];
  units: { code: string; name: string }[];
  /** The indicators' titles as the reader reads them. */
  titles: Map<string, string>;
  /** The month before's figures (WebTemplateFigures). */
  previous: WebTemplateFiguresQuery | null | undefined;
  /** The two people's columns' headers (commune, indicator), in the reader's language. */
  labels: [string, string];
}

export function templateSheet(input: TemplateInput): Sheet {
  const figures = new Map<string, Figure>();
  for (const indicator of input.previous?.indicators ?? []) {
    const fields = indicator as Record<string, unknown>;
    const list = (fields.educationValues ?? fields.values ?? []) as Figure[];
    for (const figure of list) figures.set(`${indicator.code}|${figure.unit}`, figure);
  }
  const units = new Map(input.units.map((u) => [u.code, u.name]));
  const rows: CellValue[][] = input.obligations.map(({ indicator, unit }) => {
    const figure = figures.get(`${indicator}|${unit}`);
    const met = figure?.met;
    return [
      indicator,
      unit,
      figure?.numerator ?? null,
      figure?.denominator ?? null,
      figure?.value ?? null,
      met === true ? "true" : met === false ? "false" : null,
      null,
      null,
      // beyond the importer's eight columns: read by people, ignored by the importer
      units.get(unit) ?? null,
      input.titles.get(indicator) ?? null,
    ];
  });
  return { headers: [...REPORT_COLUMNS, ...input.labels], rows };
}

/** The template's file name, without its extension. */
export const templateName = (agency: string, period: string) => `mau-bao-cao-${agency}-${period}`;
