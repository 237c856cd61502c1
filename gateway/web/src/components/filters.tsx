// The filters above a table: a labelled choice (with "all" first) and a search box.
import { useI18n } from "../i18n.js";

export function SelectFilter(props: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  const { t } = useI18n();
  return (
    <label>
      <span>{props.label}</span>
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        name={props.name}
      >
        <option value="">{t("all")}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SearchFilter(props: { value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  return (
    <label>
      <span>{t("searchCommune")}</span>
      <input
        type="search"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        name="commune-search"
      />
    </label>
  );
}

/** Rows whose unit's name holds the searched text (case folded the reader's way). */
export function matchesSearch(name: string, search: string, locale: string): boolean {
  const needle = search.trim().toLocaleLowerCase(locale);
  return !needle || name.toLocaleLowerCase(locale).includes(needle);
}
