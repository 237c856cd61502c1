// A small line of an indicator's monthly figures, with its target as a dashed line: drawn as SVG,
// so the overview needs no chart library. Its text alternative names the first and last figures.
export function Sparkline(props: {
  values: (number | null)[];
  target?: number | null;
  label: string;
}) {
  const points = props.values
    .map((value, i) => ({ value, i }))
    .filter((p): p is { value: number; i: number } => p.value !== null);
  const width = 120;
  const height = 32;
  if (points.length === 0) {
    return (
      <svg width={width} height={height} role="img" aria-label={props.label} className="sparkline">
        <line x1={0} x2={width} y1={height / 2} y2={height / 2} className="spark-none" />
      </svg>
    );
  }
  const values = points.map((p) => p.value);
  if (props.target !== null && props.target !== undefined) values.push(props.target);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const last = Math.max(props.values.length - 1, 1);
  const x = (i: number) => 2 + (i / last) * (width - 4);
  const y = (v: number) => height - 3 - ((v - min) / span) * (height - 6);
  const path = points.map((p) => `${x(p.i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const end = points[points.length - 1]!;
  return (
    <svg width={width} height={height} role="img" aria-label={props.label} className="sparkline">
      {props.target !== null && props.target !== undefined && (
        <line
          x1={0}
          x2={width}
          y1={y(props.target)}
          y2={y(props.target)}
          className="spark-target"
        />
      )}
      <polyline points={path} className="spark-line" />
      <circle cx={x(end.i)} cy={y(end.value)} r={2.5} className="spark-end" />
    </svg>
  );
}
