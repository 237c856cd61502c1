// The month's files for the IOC and the agencies: the city's monthly report (DOCX or XLSX, built in
// the browser by the same builder and writers as `npm run report:month`, from the same operations,
// with the page's token) and the month's figures as DHIS2 data values (JSON or CSV, the layout of
// `npm run export:values`). The libraries load only when someone downloads.
import { SUBGRAPH_KEYS, flagsFor, type SubgraphKey } from "../agency-subgraph.js";
import { downloadReport, saveFile } from "../downloads.js";
import { formatPeriod } from "../format.js";
import { request } from "../graphql/client.js";
import {
  WebDataValuesDocument,
  WebMonthReportDocument,
  type TypedDocumentString,
} from "../graphql/generated/graphql.js";
import { useI18n } from "../i18n.js";
import type { DataValue } from "../report/data-values.js";
import { DownloadButtons, useDownload } from "./download-buttons.js";

/** A page of one subgraph's data values (the graph's default and the cost limit's measure). */
const PAGE = 5000;

/** An operation's data, or its first error as an exception (a download has nothing partial to show). */
async function ask<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const answer = await request(document, variables);
  if (!answer?.data || answer.errors.length > 0) {
    throw new Error(answer?.errors.map((e) => e.message).join("; ") || "no answer");
  }
  return answer.data;
}

/** The city's monthly report of a month, for the IOC. */
export function MonthReportDownload(props: { period: string; year: number; asOf: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, message, run } = useDownload();
  const download = (format: "docx" | "xlsx") =>
    run(async () => {
      const started = performance.now();
      const { loadMonthReport, reportFileName } = await import("../report/month-report.js");
      const report = await loadMonthReport(
        {
          month: (variables) => ask(WebMonthReportDocument, variables),
        },
        { period: props.period, year: props.year, asOf: props.asOf },
      );
      await downloadReport(report, format, reportFileName(props.period));
      return t("reportDone", {
        period: formatPeriod(i18n, props.period),
        ms: Math.round(performance.now() - started),
      });
    });
  return (
    <section aria-labelledby="month-report-title" data-testid="month-report">
      <h2 id="month-report-title">{t("monthReport")}</h2>
      <p>{t("monthReportExplain", { period: formatPeriod(i18n, props.period) })}</p>
      <DownloadButtons
        busy={busy}
        formats={[
          { format: "docx", label: t("downloadReportDocx") },
          { format: "xlsx", label: t("downloadReportXlsx") },
        ]}
        onDownload={download}
      />
      {busy && <p role="status">{t("reportBuilding")}</p>}
      {message && <p role="status">{message}</p>}
    </section>
  );
}

/** A data element's indicator: III.3.numerator → III.3. */
const indicatorOf = (dataElement: string) => dataElement.replace(/\.(numerator|denominator)$/, "");

/**
 * The month's figures as DHIS2 data values: every subgraph's (the IOC), or one subgraph's figures of
 * an agency's own indicators (its month page).
 */
export function DataValuesDownload(props: {
  period: string;
  subgraph?: SubgraphKey;
  indicators?: string[];
  fileName: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, message, run } = useDownload();
  const download = (format: "json" | "csv") =>
    run(async () => {
      const values: DataValue[] = [];
      for (const key of props.subgraph ? [props.subgraph] : SUBGRAPH_KEYS) {
        for (let offset = 0; ; offset += PAGE) {
          const data = await ask(WebDataValuesDocument, {
            period: props.period,
            limit: PAGE,
            offset,
            ...flagsFor(key),
          });
          const page = data[key] ?? [];
          values.push(...page);
          if (page.length < PAGE) break;
        }
      }
      const wanted = props.indicators && new Set(props.indicators);
      const chosen = wanted ? values.filter((v) => wanted.has(indicatorOf(v.dataElement))) : values;
      const { dataValuesCsv, dataValuesJson } = await import("../report/data-values.js");
      saveFile(
        format === "csv"
          ? new Blob([dataValuesCsv(chosen)], { type: "text/csv;charset=utf-8" })
          : new Blob([dataValuesJson(chosen)], { type: "application/json" }),
        `${props.fileName}.${format}`,
      );
      return t("dataValuesDone", { count: chosen.length });
    });
  return (
    <section aria-labelledby="data-values-title" data-testid="data-values">
      <h2 id="data-values-title">{t("dataValues")}</h2>
      <p>{t("dataValuesExplain", { period: formatPeriod(i18n, props.period) })}</p>
      <DownloadButtons
        busy={busy}
        formats={[
          { format: "json", label: t("downloadDataValuesJson") },
          { format: "csv", label: t("downloadDataValuesCsv") },
        ]}
        onDownload={download}
      />
      {message && <p role="status">{message}</p>}
    </section>
  );
}
