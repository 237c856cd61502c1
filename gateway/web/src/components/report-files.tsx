// The month as a spreadsheet: the template to download (XLSX with the columns the importer reads,
// prefilled with the agency's indicators and units and last month's figures), and the upload of a
// filled CSV or XLSX, sent whole to import<Agency>Report: the subgraph reads and checks every row, and
// a file with any bad row stores nothing; the page lists every bad row by line and column.
import { useState, type FormEvent } from "react";
import { flagsFor, monthBefore, type SubgraphKey } from "../agency-subgraph.js";
import { downloadXlsx } from "../downloads.js";
import { formatPeriod } from "../format.js";
import { mutate, Refusal, request } from "../graphql/client.js";
import {
  WebImportReportDocument,
  WebTemplateFiguresDocument,
  type WebAgencyMonthQuery,
} from "../graphql/generated/graphql.js";
import { useI18n } from "../i18n.js";
import { templateName, templateSheet } from "../report/template.js";
import type { MonthIndicator } from "./figure-form.js";
import { errorText } from "./refusal.js";

type Unit = WebAgencyMonthQuery["reportingUnits"][number];

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable file"));
    reader.readAsDataURL(file);
  });
}

export function ReportFiles(props: {
  agency: string;
  subgraph: SubgraphKey;
  period: string;
  indicators: MonthIndicator[];
  units: Unit[];
  obligations: { indicator: string; unit: string }[];
  locked: boolean;
  onImported: () => void;
}) {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [problems, setProblems] = useState<{ line?: number; column?: string; message: string }[]>(
    [],
  );
  const previous = monthBefore(props.period);

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setProblems([]);
    setMessage(null);
    try {
      const data = await mutate(WebImportReportDocument, {
        input: {
          period: props.period,
          format: /\.xlsx$/i.test(file.name) ? "XLSX" : "CSV",
          contentBase64: await readBase64(file),
          fileName: file.name,
        },
        ...flagsFor(props.subgraph),
      });
      const result = data[props.subgraph];
      const saved = (result?.created ?? 0) + (result?.replaced ?? 0);
      setMessage(
        `${t("saved", { count: saved, created: result?.created ?? 0, replaced: result?.replaced ?? 0 })}${
          result && result.warnings.length > 0
            ? ` ${t("savedWarnings", { count: result.warnings.length })}`
            : ""
        }`,
      );
      props.onImported();
    } catch (error) {
      if (error instanceof Refusal && error.problems.length > 0) {
        setProblems(error.problems);
        // every bad row is listed, some with several problems
        const rows = new Set(error.problems.map((p) => p.line ?? p.message)).size;
        setMessage(t("uploadRefused", { count: rows }));
      } else {
        setMessage(errorText(i18n, error));
      }
    } finally {
      setBusy(false);
    }
  };

  const template = async () => {
    setBusy(true);
    try {
      const answer = await request(WebTemplateFiguresDocument, {
        agency: props.agency,
        period: previous,
        education: props.subgraph === "education",
      });
      const sheet = templateSheet({
        obligations: props.obligations,
        units: props.units,
        titles: new Map(props.indicators.map((i) => [i.code, pick(i.titleVi, i.title)])),
        previous: answer?.data,
        labels: [t("colCommune"), t("colIndicator")],
      });
      await downloadXlsx(sheet, templateName(props.agency, props.period));
    } catch (error) {
      setMessage(errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="report-files">
      <div className="template">
        <button
          type="button"
          onClick={() => void template()}
          disabled={busy}
          data-testid="template"
        >
          {t("template")}
        </button>
        <span>{t("templateExplain", { period: formatPeriod(i18n, previous) })}</span>
      </div>
      <form onSubmit={(event) => void upload(event)} className="upload" data-testid="upload">
        <fieldset disabled={props.locked || busy}>
          <legend>{t("upload")}</legend>
          <p>{t("uploadExplain")}</p>
          <label>
            <span>{t("uploadFile")}</span>
            <input
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
              data-testid="upload-file"
            />
          </label>
          <button type="submit" className="primary" disabled={!file} data-testid="upload-send">
            {t("uploadSend")}
          </button>
        </fieldset>
        {message && (
          <p role="status" data-testid="upload-message">
            {message}
          </p>
        )}
        {problems.length > 0 && (
          <table className="data-table" data-testid="upload-problems">
            <thead>
              <tr>
                <th scope="col">{t("colLine")}</th>
                <th scope="col">{t("colColumn")}</th>
                <th scope="col">{t("colMessage")}</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, index) => (
                <tr key={index} data-key={p.line ?? ""}>
                  <td className="numeric">{p.line ?? "–"}</td>
                  <td>
                    <code>{p.column ?? "–"}</code>
                  </td>
                  <td lang="en">{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </form>
    </div>
  );
}
