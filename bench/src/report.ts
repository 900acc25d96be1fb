import { cpus, totalmem } from 'node:os';
import { latencyChartSvg } from './latency-chart.ts';
import { type BenchRow, ratioOf, type ScenarioReport } from './scenario.ts';

export interface BenchRun {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly quick: boolean;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly memoryGiB: number; readonly node: string };
  readonly scenarios: readonly ScenarioReport[];
  readonly failures: readonly { readonly id: string; readonly error: string }[];
}

export function machine(): BenchRun['machine'] {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

function figure(value: number, unit: string): string {
  const shown = Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : Number(value.toPrecision(3));
  return `${shown} ${unit}`;
}

function cells(id: string, row: BenchRow): string[] {
  const ratio = ratioOf(row);
  return [
    id,
    row.measure,
    figure(row.value, row.unit),
    row.baseline === undefined ? '—' : `${figure(row.baseline.value, row.unit)} (${row.baseline.name})`,
    ratio === undefined ? '—' : `${ratio.toFixed(2)}×`,
    row.target ?? '—',
    row.met === undefined ? '—' : row.met ? 'met' : '**missed**',
  ];
}

/** The Markdown report: one table of every figure, then each scenario's charts and notes. */
export function markdownReport(run: BenchRun): string {
  const lines = [
    '# Fleetwire benchmarks',
    '',
    `Run ${run.startedAt} → ${run.finishedAt}${run.quick ? ' (**quick**: reduced counts, not comparable)' : ''}.`,
    `Machine: ${run.machine.cpu}, ${run.machine.cores} cores, ${run.machine.memoryGiB} GiB, Node ${run.machine.node}.`,
    'Every figure and its baseline come from this one run on this one machine, over loopback.',
    '',
    '| id | measure | Fleetwire | baseline | ratio | target | |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const scenario of run.scenarios) {
    for (const row of scenario.rows) lines.push(`| ${cells(row.id ?? scenario.id, row).join(' | ')} |`);
  }
  for (const failure of run.failures) lines.push(`| ${failure.id} | failed: ${failure.error} | | | | | **failed** |`);
  for (const scenario of run.scenarios) {
    lines.push('', `## ${scenario.id}: ${scenario.title}`, '');
    for (const note of scenario.notes) lines.push(`- ${note}`);
    for (const chart of scenario.charts) lines.push('', `![${chart.title}](${chart.file})`);
  }
  return `${lines.join('\n')}\n`;
}

export function chartFiles(run: BenchRun): { file: string; svg: string }[] {
  return run.scenarios.flatMap((scenario) =>
    scenario.charts.map((chart) => ({ file: chart.file, svg: latencyChartSvg(chart) })),
  );
}
