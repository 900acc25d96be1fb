import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchRun, chartFiles, machine, markdownReport } from './report.ts';
import type { Scenario, ScenarioReport } from './scenario.ts';
import { callLatency } from './scenarios/call-latency.ts';
import { callThroughput } from './scenarios/call-throughput.ts';
import { dashboard } from './scenarios/dashboard.ts';
import { easeeStream } from './scenarios/easee-stream.ts';
import { fleetAtScale } from './scenarios/fleet-at-scale.ts';
import { idleMemory } from './scenarios/idle-memory.ts';
import { listing } from './scenarios/listing.ts';
import { siteAllocation } from './scenarios/site-allocation.ts';

const scenarios: readonly Scenario[] = [
  idleMemory,
  callThroughput,
  callLatency,
  fleetAtScale,
  easeeStream,
  listing,
  siteAllocation,
  dashboard,
];

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const wanted = new Set(argv.filter((arg) => !arg.startsWith('--')).map((id) => id.toUpperCase()));
  const chosen = scenarios.filter(
    (scenario) =>
      wanted.size === 0 || wanted.has(scenario.id) || (scenario.alsoMeasures ?? []).some((id) => wanted.has(id)),
  );
  if (chosen.length === 0) {
    console.error(`no such scenario; choose from ${scenarios.map((scenario) => scenario.id).join(', ')}`);
    return 2;
  }
  const startedAt = new Date().toISOString();
  const reports: ScenarioReport[] = [];
  const failures: { id: string; error: string }[] = [];
  for (const scenario of chosen) {
    const workDir = await mkdtemp(join(tmpdir(), `fleetwire-bench-${scenario.id}-`));
    log(`${scenario.id} ${scenario.title}`);
    try {
      reports.push(await scenario.run({ workDir, quick, log: (message) => log(`${scenario.id} ${message}`) }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${scenario.id} failed: ${message}`);
      failures.push({ id: scenario.id, error: message });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
  const run: BenchRun = {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick,
    machine: machine(),
    scenarios: reports,
    failures,
  };
  const outDir = join(resultsDir, 'latest');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(resultsDir, 'history'), { recursive: true });
  await mkdir(outDir, { recursive: true });
  const json = `${JSON.stringify(run, null, 2)}\n`;
  await writeFile(join(outDir, 'results.json'), json);
  await writeFile(join(resultsDir, 'history', `${startedAt.replace(/[:.]/g, '-')}.json`), json);
  await writeFile(join(outDir, 'report.md'), markdownReport(run));
  for (const { file, svg } of chartFiles(run)) await writeFile(join(outDir, file), svg);
  log(`report: ${join(outDir, 'report.md')}`);
  process.stdout.write(`\n${markdownReport(run).split('\n## ')[0]}`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
