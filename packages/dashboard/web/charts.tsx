/** Small SVG charts, drawn without a library: a line over time and the steps of a charging schedule. */

const width = 480;
const height = 120;
const pad = 24;

export interface Point {
  readonly x: number;
  readonly y: number;
}

function scale(maxY: number, maxX: number, minX: number) {
  const spanX = Math.max(1, maxX - minX);
  return (point: Point) => ({
    x: pad + ((point.x - minX) / spanX) * (width - 2 * pad),
    y: height - pad - (point.y / Math.max(1, maxY)) * (height - 2 * pad),
  });
}

/** A line of values over time (x in ms), with its newest value as the caption. */
export function LineChart({ label, points, unit }: { label: string; points: readonly Point[]; unit: string }) {
  const maxY = Math.max(1, ...points.map((point) => point.y));
  const minX = points[0]?.x ?? 0;
  const maxX = points.at(-1)?.x ?? 1;
  const at = scale(maxY, maxX, minX);
  const path = points.map((point) => `${at(point).x.toFixed(1)},${at(point).y.toFixed(1)}`).join(' ');
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} class="axis" />
        <text x={pad} y={pad - 8} class="tick">
          {maxY.toFixed(1)} {unit}
        </text>
        {points.length > 1 && <polyline points={path} class="series" />}
      </svg>
      <figcaption>
        {label}: {points.length === 0 ? 'no sample yet' : `${(points.at(-1) as Point).y.toFixed(2)} ${unit}`}
      </figcaption>
    </figure>
  );
}

interface Period {
  readonly startPeriod: number;
  readonly limit: number;
}

/** The limit a schedule sets over its duration (seconds from its start), as steps. */
export function ScheduleChart({
  label,
  periods,
  duration,
}: {
  label: string;
  periods: readonly Period[];
  duration: number;
}) {
  const end = Math.max(duration, (periods.at(-1)?.startPeriod ?? 0) + 1);
  const steps: Point[] = [];
  periods.forEach((period, i) => {
    const until = periods[i + 1]?.startPeriod ?? end;
    steps.push({ x: period.startPeriod, y: period.limit }, { x: until, y: period.limit });
  });
  const maxY = Math.max(1, ...steps.map((step) => step.y));
  const at = scale(maxY, end, 0);
  const path = steps.map((step) => `${at(step).x.toFixed(1)},${at(step).y.toFixed(1)}`).join(' ');
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} class="axis" />
        <text x={pad} y={pad - 8} class="tick">
          {maxY} A
        </text>
        <text x={width - pad} y={height - 6} class="tick" text-anchor="end">
          {(end / 3600).toFixed(1)} h
        </text>
        {steps.length > 1 && <polyline points={path} class="series" />}
      </svg>
      <figcaption>
        {label}: {periods.length === 0 ? 'no limit (the charger’s maximum)' : `${periods.length} period(s)`}
      </figcaption>
    </figure>
  );
}
