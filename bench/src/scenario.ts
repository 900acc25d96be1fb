/** One figure of a benchmark, with the baseline it was measured beside and the target it is held to. */
export interface BenchRow {
  /** The benchmark this figure belongs to, when a scenario measures more than one (else the scenario's id). */
  readonly id?: string;
  readonly measure: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number };
  /** A human reading of the target, e.g. "≤ 100 ms" or "≥ 1.0× baseline". */
  readonly target?: string;
  readonly met?: boolean;
}

export interface LatencyChart {
  readonly file: string;
  readonly title: string;
  readonly series: readonly { readonly name: string; readonly curve: readonly [number, number][] }[];
}

export interface ScenarioReport {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly BenchRow[];
  readonly charts: readonly LatencyChart[];
  /** How the figures were taken: counts, durations, load-generator CPU, anything a reader needs to trust them. */
  readonly notes: readonly string[];
}

export interface BenchContext {
  /** A fresh directory this scenario may write to. */
  readonly workDir: string;
  /** Smaller counts for a smoke run (`pnpm bench --quick`); the report says so. */
  readonly quick: boolean;
  log(message: string): void;
}

export interface Scenario {
  readonly id: string;
  /** Other benchmark ids this scenario measures (it shares their set-up), so that `pnpm bench P6` finds it. */
  readonly alsoMeasures?: readonly string[];
  readonly title: string;
  run(context: BenchContext): Promise<ScenarioReport>;
}

/** The ratio of a figure to its baseline, as printed in the report. */
export function ratioOf(row: BenchRow): number | undefined {
  if (row.baseline === undefined || row.baseline.value === 0) return undefined;
  return row.value / row.baseline.value;
}
