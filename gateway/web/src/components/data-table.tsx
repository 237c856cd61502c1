// A table people can sort by any column (with the keyboard too) and download as CSV or XLSX in the
// order shown, with the headers as shown.
import { useMemo, useState, type ReactNode } from "react";
import { downloadCsv, downloadXlsx } from "../downloads.js";
import type { CellValue } from "../sheet.js";
import { useI18n } from "../i18n.js";

export interface Column<Row> {
  id: string;
  header: string;
  /** What the column sorts and downloads by. */
  value: (row: Row) => CellValue;
  /** What the cell shows; by default the value. */
  render?: (row: Row) => ReactNode;
  /** False: not in the downloads (a chart in a cell). */
  download?: boolean;
  sortable?: boolean;
  numeric?: boolean;
  /** Row header cell (the row's name). */
  rowHeader?: boolean;
  className?: string;
}

export interface DataTableProps<Row> {
  /** The table's name: its caption and the downloaded file's name. */
  caption: string;
  fileName: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  initialSort?: { id: string; descending?: boolean };
  /** Shown instead of the rows when there are none. */
  empty?: string;
  /** Extra controls beside the downloads (filters...). */
  toolbar?: ReactNode;
  testId?: string;
}

type Sort = { id: string; descending: boolean } | null;

function compare(a: CellValue, b: CellValue, locale: string): number {
  if (a === null || a === "") return b === null || b === "" ? 0 : 1;
  if (b === null || b === "") return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), locale, { numeric: true });
}

export function DataTable<Row>(props: DataTableProps<Row>) {
  const { t, locale } = useI18n();
  const [sort, setSort] = useState<Sort>(
    props.initialSort
      ? { id: props.initialSort.id, descending: props.initialSort.descending ?? false }
      : null,
  );
  const rows = useMemo(() => {
    const column = sort && props.columns.find((c) => c.id === sort.id);
    if (!column) return props.rows;
    const sorted = [...props.rows].sort((a, b) => {
      const order = compare(column.value(a), column.value(b), locale);
      // empty cells last in both directions
      const aEmpty = column.value(a) === null;
      const bEmpty = column.value(b) === null;
      if (aEmpty || bEmpty) return order;
      return sort!.descending ? -order : order;
    });
    return sorted;
  }, [props.rows, props.columns, sort, locale]);

  const sheet = () => {
    const columns = props.columns.filter((c) => c.download !== false);
    return {
      headers: columns.map((c) => c.header),
      rows: rows.map((row) => columns.map((c) => c.value(row))),
    };
  };
  const toggle = (id: string) =>
    setSort((current) =>
      current?.id === id ? { id, descending: !current.descending } : { id, descending: false },
    );

  return (
    <section className="table-block" data-testid={props.testId}>
      <div className="table-toolbar">
        {props.toolbar}
        <span className="toolbar-spacer" />
        <button type="button" onClick={() => downloadCsv(sheet(), props.fileName)}>
          <span aria-hidden="true">⤓ </span>
          {t("downloadCsv")}
        </button>
        <button type="button" onClick={() => void downloadXlsx(sheet(), props.fileName)}>
          <span aria-hidden="true">⤓ </span>
          {t("downloadXlsx")}
        </button>
      </div>
      <div className="table-scroll">
        <table>
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((column) => {
                const sorted = sort?.id === column.id;
                return (
                  <th
                    key={column.id}
                    scope="col"
                    className={column.numeric ? "numeric" : undefined}
                    aria-sort={sorted ? (sort!.descending ? "descending" : "ascending") : undefined}
                  >
                    {column.sortable === false ? (
                      column.header
                    ) : (
                      <button
                        type="button"
                        className="sort"
                        onClick={() => toggle(column.id)}
                        title={t("sortBy", { column: column.header })}
                      >
                        {column.header}
                        <span aria-hidden="true" className="sort-mark">
                          {sorted ? (sort!.descending ? " ▼" : " ▲") : " ⇅"}
                        </span>
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={props.columns.length} className="empty">
                  {props.empty ?? t("empty")}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={props.rowKey(row)} data-key={props.rowKey(row)}>
                  {props.columns.map((column) => {
                    const content = column.render ? column.render(row) : (column.value(row) ?? "–");
                    const className =
                      [column.numeric ? "numeric" : "", column.className ?? ""].join(" ").trim() ||
                      undefined;
                    return column.rowHeader ? (
                      <th key={column.id} scope="row" className={className}>
                        {content}
                      </th>
                    ) : (
                      <td key={column.id} className={className}>
                        {content}
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
