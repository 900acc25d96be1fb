import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '@fleetwire/devcluster';
import { type Browser, chromium } from 'playwright-core';
import { repoRoot } from './fleetwire-process.ts';

/** Debian's Chromium, which `pnpm test` installs with apt when it can (scripts/fw). */
export const chromiumPath = chromiumLaunchOptions.executablePath;

/** Why browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  return existsSync(chromiumPath)
    ? undefined
    : `no Chromium at ${chromiumPath}: install Debian's chromium (apt-get install -y chromium, as root) to run the dashboard tests`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args] });
}

/** Where a suite's screenshots go: test/artifacts/<suite>/ (kept out of git). */
export async function artifactsDir(suite: string): Promise<string> {
  const dir = join(repoRoot, 'test', 'artifacts', suite);
  await mkdir(dir, { recursive: true });
  return dir;
}
