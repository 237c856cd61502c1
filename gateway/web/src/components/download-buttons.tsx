// A download's buttons, one a format, and its busy state and message (what went wrong, said why):
// the month's report and data values, and the year's report.
import { useI18n } from "../i18n.js";
import { useAction } from "./use-action.js";

/** A download's busy state and message; a failure says why. */
export function useDownload() {
  const i18n = useI18n();
  return useAction((error) =>
    i18n.t("downloadFailed", { message: error instanceof Error ? error.message : String(error) }),
  );
}

/** One button a format, all held while one download runs. */
export function DownloadButtons<Format extends string>(props: {
  busy: boolean;
  formats: readonly { format: Format; label: string }[];
  onDownload: (format: Format) => Promise<void>;
}) {
  return (
    <div className="download-actions">
      {props.formats.map(({ format, label }) => (
        <button
          key={format}
          type="button"
          disabled={props.busy}
          onClick={() => void props.onDownload(format)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
