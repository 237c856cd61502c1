// A table as the pages show it and download it: headers and rows of plain cells, and its CSV (UTF-8
// with a byte-order mark, so spreadsheet programs read Vietnamese). No DOM: the commands use it too.
export type CellValue = string | number | null;

export interface Sheet {
  headers: string[];
  rows: CellValue[][];
}

const csvCell = (value: CellValue) => {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function toCsv(sheet: Sheet): string {
  return `\uFEFF${[sheet.headers, ...sheet.rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
