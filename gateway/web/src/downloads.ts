// A table as a file: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese) or
// XLSX (exceljs, report/xlsx.ts, loaded only when someone downloads), with the headers as shown.
import { toCsv, type Sheet } from "./sheet.js";

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
  const { sheetXlsx } = await import("./report/xlsx.js");
  const bytes = await sheetXlsx(sheet, name);
  saveFile(
    new Blob([bytes as Uint8Array<ArrayBuffer>], {
      type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }),
    `${name}.xlsx`,
  );
}
