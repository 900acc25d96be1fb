import type { LatencyChart } from './scenario.ts';

const width = 860;
const height = 360;
const margin = { left: 64, right: 290, top: 36, bottom: 44 };
const colours = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];
const maxNines = 4.5;

/** Percentile → "nines" (90 → 1, 99 → 2, 99.9 → 3); the maximum sits at the right edge. */
function nines(percentile: number): number {
  return percentile >= 100 ? maxNines : Math.min(maxNines, -Math.log10(1 - percentile / 100));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function format(milliseconds: number): string {
  return milliseconds >= 1 ? `${Number(milliseconds.toPrecision(3))} ms` : `${Math.round(milliseconds * 1000)} µs`;
}

/**
 * A latency-distribution chart in the HdrHistogram style: percentiles spread out in nines along x, latency on a
 * log scale along y, one line per series. Plain SVG, so that the Markdown report renders it anywhere.
 */
export function latencyChartSvg(chart: LatencyChart): string {
  const values = chart.series.flatMap((series) => series.curve.map(([, ms]) => ms)).filter((ms) => ms > 0);
  const low = Math.floor(Math.log10(Math.min(...values, 1)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...values, 1))));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (percentile: number) => margin.left + (nines(percentile) / maxNines) * plotWidth;
  const y = (ms: number) =>
    margin.top + plotHeight - ((Math.log10(Math.max(ms, 10 ** low)) - low) / (high - low)) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="20" font-size="13" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  for (let decade = low; decade <= high; decade++) {
    const at = y(10 ** decade);
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${at}" y2="${at}" stroke="#ddd"/>`,
      `<text x="${margin.left - 6}" y="${at + 4}" text-anchor="end">${format(10 ** decade)}</text>`,
    );
  }
  for (const [percentile, label] of [
    [0, 'p0'],
    [90, 'p90'],
    [99, 'p99'],
    [99.9, 'p99.9'],
    [99.99, 'p99.99'],
    [100, 'max'],
  ] as const) {
    const at = x(percentile);
    parts.push(
      `<line x1="${at}" x2="${at}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#eee"/>`,
      `<text x="${at}" y="${margin.top + plotHeight + 16}" text-anchor="middle">${label}</text>`,
    );
  }
  parts.push(
    `<text x="${margin.left + plotWidth / 2}" y="${height - 8}" text-anchor="middle">percentile</text>`,
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`,
  );
  chart.series.forEach((series, index) => {
    const colour = colours[index % colours.length];
    const points = series.curve.map(([percentile, ms]) => `${x(percentile).toFixed(1)},${y(ms).toFixed(1)}`);
    const legendY = margin.top + 8 + index * 18;
    parts.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`,
      `<line x1="${width - margin.right + 12}" x2="${width - margin.right + 32}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${width - margin.right + 38}" y="${legendY + 4}">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
