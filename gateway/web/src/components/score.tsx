// One part of a monthly score (or its total) as a box: its label, its value 0-100 and a meter.
import { formatNumber } from "../format.js";
import { useI18n } from "../i18n.js";

export function Score(props: { label: string; value: number | null | undefined; testId: string }) {
  const i18n = useI18n();
  const value = props.value ?? null;
  return (
    <div className="score" data-testid={props.testId}>
      <span className="score-label">{props.label}</span>
      <span className="score-value">
        {value === null ? i18n.t("scoreNone") : formatNumber(i18n, value, 1)}
      </span>
      {value !== null && (
        <meter
          min={0}
          max={100}
          low={60}
          high={90}
          optimum={100}
          value={value}
          aria-hidden="true"
        />
      )}
    </div>
  );
}
