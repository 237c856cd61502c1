// A table as a file: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese) or
// XLSX (write-excel-file, loaded only when someone downloads), with the headers as shown.
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

/** Hands a file to the browser as a download. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(sheet: Sheet, name: string): void {
  saveFile(new Blob([toCsv(sheet)], { type: "text/csv;charset=utf-8" }), `${name}.csv`);
}

export async function downloadXlsx(sheet: Sheet, name: string): Promise<void> {
  const { default: writeXlsxFile } = await import("write-excel-file/browser");
  const data = [
    sheet.headers.map((header) => ({ value: header, fontWeight: "bold" as const })),
    ...sheet.rows.map((row) =>
      row.map((value) =>
        value === null
          ? null
          : typeof value === "number"
            ? { value, type: Number }
            : { value, type: String },
      ),
    ),
  ];
  const blob = await writeXlsxFile(data, { sheet: name.slice(0, 31) }).toBlob();
  saveFile(blob, `${name}.xlsx`);
}
