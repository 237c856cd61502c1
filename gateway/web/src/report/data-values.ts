// A month's figures as DHIS2 imports them: dataValueSets JSON or DHIS2's data value CSV (its columns
// in its order, attributeoptioncombo always default). One layout for the pages' download and
// `npm run export:values`.
import type { WebDataValueFragment } from "../graphql/generated/graphql.js";

/** A data value as the graph gives it (<subgraph>DataValues; the web's operation types it). */
export type DataValue = WebDataValueFragment;

/** The fields to ask the graph for. */
export const DATA_VALUE_FIELDS =
  "dataElement period orgUnit categoryOptionCombo value storedBy created lastUpdated comment followup";

/** DHIS2's data value CSV columns (its import reads them in this order). */
export const DATA_VALUE_CSV_COLUMNS = [
  "dataelement",
  "period",
  "orgunit",
  "categoryoptioncombo",
  "attributeoptioncombo",
  "value",
  "storedby",
  "lastupdated",
  "comment",
  "followup",
] as const;

const csvCell = (cell: string | boolean | null) => {
  const text = cell === null ? "" : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** DHIS2's data value CSV: a header line, then a line a value. */
export function dataValuesCsv(values: DataValue[]): string {
  const lines = values.map((v) =>
    [
      v.dataElement,
      v.period,
      v.orgUnit,
      v.categoryOptionCombo,
      "default",
      v.value,
      v.storedBy,
      v.lastUpdated,
      v.comment,
      v.followup,
    ]
      .map(csvCell)
      .join(","),
  );
  return [DATA_VALUE_CSV_COLUMNS.join(","), ...lines].join("\n") + "\n";
}

/** dataValueSets JSON: {"dataValues": [...]}. */
export const dataValuesJson = (values: DataValue[]) =>
  JSON.stringify({ dataValues: values }, null, 2) + "\n";
