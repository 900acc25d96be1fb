/** A Prometheus histogram read from the text exposition: cumulative counts by upper bound (`+Inf` last). */
export interface HistogramCounts {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

/** The histogram `name` of one scrape, the series whose labels contain `labels` (e.g. `action="MeterValues"`). */
export function histogramOf(metrics: string, name: string, labels = ''): HistogramCounts {
  const bounds: number[] = [];
  const counts: number[] = [];
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`) || !line.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le === undefined) continue;
    bounds.push(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le));
    counts.push(Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return { bounds, counts };
}

/** The sum of a counter over all its series in one scrape (`name` without labels). */
export function counterTotal(metrics: string, name: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** The `_sum` and `_count` of a histogram or summary, the series whose labels contain `labels`. */
export function sumAndCount(metrics: string, name: string, labels = ''): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const line of metrics.split('\n')) {
    if (!line.includes(labels)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith(`${name}_sum`)) sum += value;
    else if (line.startsWith(`${name}_count`)) count += value;
  }
  return { sum, count };
}

/** What was observed between two scrapes of one process. */
export function observedBetween(before: HistogramCounts, after: HistogramCounts): HistogramCounts {
  return { bounds: after.bounds, counts: after.counts.map((count, i) => count - (before.counts[i] ?? 0)) };
}

/** The sum of histograms of several processes (same buckets). */
export function summed(histograms: readonly HistogramCounts[]): HistogramCounts {
  const first = histograms[0] ?? { bounds: [], counts: [] };
  return {
    bounds: first.bounds,
    counts: first.counts.map((_, i) => histograms.reduce((total, histogram) => total + (histogram.counts[i] ?? 0), 0)),
  };
}

export function totalOf(histogram: HistogramCounts): number {
  return histogram.counts.at(-1) ?? 0;
}

/** The share of observations above `bound` (one of the bucket bounds). */
export function shareAbove(histogram: HistogramCounts, bound: number): number {
  const i = histogram.bounds.indexOf(bound);
  const total = totalOf(histogram);
  if (i < 0 || total === 0) return Number.NaN;
  return 1 - (histogram.counts[i] as number) / total;
}

/** The smallest bucket bound at or below which a share `q` of the observations fall: quantile q is at most this. */
export function quantileBound(histogram: HistogramCounts, q: number): number {
  const total = totalOf(histogram);
  const i = histogram.counts.findIndex((count) => count >= q * total);
  return total === 0 || i < 0 ? Number.NaN : (histogram.bounds[i] as number);
}
