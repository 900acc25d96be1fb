import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** The percentiles a latency curve is drawn through: evenly spaced in "nines" up to 99.99. */
const curvePercentiles = [0, 25, 50, 75, 90, 95, 97, 99, 99.5, 99.9, 99.95, 99.99, 100];

/** Latencies in milliseconds, kept in an HDR histogram at microsecond resolution (no per-sample allocation). */
export class Latency {
  private readonly histogram: RecordableHistogram = createHistogram({ lowest: 1, highest: 600_000_000, figures: 3 });

  record(milliseconds: number): void {
    this.histogram.record(Math.max(1, Math.round(milliseconds * 1000)));
  }

  get count(): number {
    return this.histogram.count;
  }

  percentile(percentile: number): number {
    return this.histogram.count === 0 ? 0 : this.histogram.percentile(percentile) / 1000;
  }

  summary(): LatencySummary {
    return {
      count: this.histogram.count,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      max: this.histogram.count === 0 ? 0 : this.histogram.max / 1000,
    };
  }

  /** [percentile, milliseconds] points for a latency chart. */
  curve(): [number, number][] {
    return curvePercentiles.map((percentile) => [
      percentile,
      percentile === 100 ? this.summary().max : this.percentile(Math.max(percentile, 0.0001)),
    ]);
  }
}
