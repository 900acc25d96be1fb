import { once } from 'node:events';
import { spawnGroup } from '@fleetwire/devcluster';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { FleetwireProcess, repoRoot, scriptNodeArgs } from '../harness/fleetwire-process.ts';

function run(args: string[]) {
  const child = spawnGroup(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output, exited: once(child, 'exit') as Promise<[number | null, string | null]> };
}

describe('fleetwire simulate', () => {
  it('runs simulated Easee chargers against a central system and reports them as JSON', async () => {
    const fleetwire = await new FleetwireProcess({ env: { FLEETWIRE_AUTO_REGISTER: 'true' } }).start();
    try {
      const simulate = run([
        ...scriptNodeArgs('simulate'),
        '--url',
        fleetwire.ocppUrl,
        '--chargers',
        '20',
        '--scenario',
        'steady-load',
        '--speed',
        '50',
        '--prefix',
        'EHCLI',
        '--json',
        '--duration',
        '4',
      ]);
      const [code] = await simulate.exited;
      expect(code, simulate.output()).toBe(0);
      const snapshots = simulate
        .output()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(snapshots.at(-1)).toMatchObject({ total: 20, connected: 20, callErrors: 0, connectionErrors: 0 });
      const api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
      expect((await api.get('/api/chargers?q=EHCLI')).body.items).toHaveLength(20);
      // The simulator closed every connection when it stopped.
      await expect.poll(async () => (await api.get('/api/chargers?q=EHCLI&connected=true')).body.items).toEqual([]);
      const boot = await api.get('/api/chargers/EHCLI00001');
      expect(JSON.stringify(boot.body.live)).toContain('289/1.5.2.0');
    } finally {
      await fleetwire.stop();
    }
  });

  it('explains its options and refuses a bad one', async () => {
    const help = run([...scriptNodeArgs('simulate'), '--help']);
    expect((await help.exited)[0]).toBe(0);
    expect(help.output()).toContain('--scenario');
    const bad = run([...scriptNodeArgs('simulate'), '--chargers', 'many']);
    expect((await bad.exited)[0]).not.toBe(0);
    expect(bad.output()).toContain('--chargers must be a positive number');
  });
});

describe('pnpm demo', () => {
  it('shows a working fleet within a minute and stops cleanly on Ctrl-C', async () => {
    const demo = run([...scriptNodeArgs('demo'), '--chargers', '40']);
    const deadline = Date.now() + 60_000;
    let charging = 0;
    while (Date.now() < deadline && charging === 0) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      charging = Number(/Fleetwire sees (\d+) charging/.exec(demo.output())?.[1] ?? 0);
    }
    expect(charging, demo.output()).toBeGreaterThan(0);
    const apiUrl = /API\s+(http:\/\/\S+)\/api/.exec(demo.output())?.[1] as string;
    demo.child.kill('SIGINT');
    const [code] = await demo.exited;
    expect(code, demo.output()).toBe(0);
    await expect(fetch(`${apiUrl}/healthz`)).rejects.toThrow();
  }, 90_000);
});
