const WIDTH = 100;
const HEIGHT = 24;
/** Room for the stroke at the top and bottom edges. */
const PAD = 2;

/**
 * The SVG polyline points of `values` (oldest first) over a WIDTH × HEIGHT box, the highest value
 * at the top; all zeros lie on the bottom edge.
 */
export function sparklinePoints(values: readonly number[]): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 0);
  const step = values.length > 1 ? WIDTH / (values.length - 1) : 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  return values
    .map((value, i) => {
      const y = max === 0 ? HEIGHT - PAD : HEIGHT - PAD - (value / max) * (HEIGHT - 2 * PAD);
      return `${round(i * step)},${round(y)}`;
    })
    .join(' ');
}

/** Votes per day as a small line; `label` names it for screen readers ("12 votes in the last 30 days"). */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid="sparkline"
    >
      <polyline
        points={sparklinePoints(values)}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}
