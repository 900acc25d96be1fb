import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnGroup } from '@fleetwire/devcluster';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/fleetwire-process.ts';
import { freePort } from '../harness/ports.ts';

const run = promisify(execFile);

/** What the Dockerfile copies into the image, and the environment it sets. */
async function imageLayout(dir: string): Promise<void> {
  for (const file of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml']) {
    await cp(join(repoRoot, file), join(dir, file));
  }
  for (const tree of ['patches', 'packages', 'services']) {
    await cp(join(repoRoot, tree), join(dir, tree), {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
  }
  for (const project of ['test', 'bench']) {
    await mkdir(join(dir, project));
    await cp(join(repoRoot, project, 'package.json'), join(dir, project, 'package.json'));
  }
}

function dockerfileEnv(dockerfile: string): Record<string, string> {
  const block = /ENV NODE_ENV=[\s\S]*?\n(?=\S)/.exec(dockerfile.slice(dockerfile.indexOf('AS runtime')))?.[0] ?? '';
  return Object.fromEntries(
    [...block.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map(([, key, value]) => [
      key as string,
      (value as string).replace(/^"|"$/g, ''),
    ]),
  );
}

describe('the production image layout', () => {
  let dir = '';
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('installs production dependencies only, as the Dockerfile does, and runs on them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetwire-image-'));
    await imageLayout(dir);
    await run('pnpm', ['install', '--offline', '--prod', '--frozen-lockfile', '--filter', '@fleetwire/fleetwire...'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
    // The Dockerfile's prune, as it is written there.
    const dockerfile = await readFile(join(repoRoot, 'Dockerfile'), 'utf8');
    const prune = /^RUN (rm -rf .*)$/m.exec(dockerfile)?.[1];
    expect(prune).toBeDefined();
    await run('sh', ['-c', prune as string], { cwd: dir });
    const left = await readdir(dir, { recursive: true });
    expect(left.filter((path) => /(^|\/)(test|scenarios)(\/|$)/.test(path) && !path.includes('node_modules'))).toEqual(
      [],
    );
    expect(left.filter((path) => /^packages\/(simulator|devcluster)/.test(path))).toEqual([]);
    expect(left.filter((path) => path.startsWith('packages/dashboard/web'))).toEqual([]);
    const installed = await readdir(join(dir, 'node_modules', '.pnpm'));
    for (const devOnly of ['vitest@', 'typescript@', '@biomejs+biome@', 'kubernetes-models@', 'turbo@']) {
      expect(
        installed.some((name) => name.startsWith(devOnly)),
        devOnly,
      ).toBe(false);
    }
    const env = dockerfileEnv(dockerfile);
    // The base image is pinned by digest.
    expect(/^ARG NODE_IMAGE=node:[\w.-]+@sha256:[0-9a-f]{64}$/m.test(dockerfile)).toBe(true);
    expect(dockerfile).toContain('org.opencontainers.image.source');
    expect(env.NODE_OPTIONS).toContain('--max-old-space-size');
    const [ocpp, api, metrics] = [await freePort(), await freePort(), await freePort()];
    const child = spawnGroup(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', 'services/fleetwire/src/main.ts'],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          ...env,
          BIND_ADDRESS: '127.0.0.1',
          FLEETWIRE_DATA_DIR: join(dir, 'data'),
          OCPP_PORT: String(ocpp),
          API_PORT: String(api),
          METRICS_PORT: String(metrics),
          FLEETWIRE_API_TOKENS: 'fw_image_layout_test_token',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    try {
      await expect.poll(() => output, { timeout: 30_000 }).toContain('is running');
      expect((await fetch(`http://127.0.0.1:${metrics}/readyz`)).status).toBe(200);
      const answer = await fetch(`http://127.0.0.1:${api}/api/chargers`, {
        headers: { authorization: 'Bearer fw_image_layout_test_token' },
      });
      expect(answer.status).toBe(200);
      // The dashboard's bundle (built in the image's dashboard stage; here by pnpm test) is served without Vite.
      const page = await fetch(`http://127.0.0.1:${api}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
      const asset = await fetch(`http://127.0.0.1:${api}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
    } finally {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code, output).toBe(0);
    }
  }, 120_000);
});
