// A commune's figure as its month shows it: a percentage or ratio with its numerator and denominator
// (75% (30/40)), a count, met / not met for a milestone, or "none yet".
import { formatFigure, formatNumber } from "../format.js";
import { useI18n } from "../i18n.js";

export function FigureText(props: {
  value: number | null;
  met: boolean | null;
  unit: string;
  numerator?: number | null;
  denominator?: number | null;
}) {
  const i18n = useI18n();
  if (props.value === null && props.met === null) return <>{i18n.t("cmNone")}</>;
  const figure = formatFigure(i18n, props.value, props.unit, props.met);
  const parts =
    props.numerator !== null && props.numerator !== undefined && props.denominator
      ? ` (${formatNumber(i18n, props.numerator)}/${formatNumber(i18n, props.denominator)})`
      : "";
  return (
    <>
      {figure}
      {parts}
    </>
  );
}
