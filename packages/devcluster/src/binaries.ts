import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const searchPath = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/sbin', '/bin'];

function find(binary: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...searchPath]) {
    const candidate = `${dir}/${binary}`;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

/**
 * The path of a broker binary from Debian's packages. When it is missing and we are root (a fresh CI machine),
 * the package is installed; otherwise the error says what to install.
 */
export function debianBinary(binary: string, debianPackage: string): string {
  const found = find(binary);
  if (found !== undefined) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${binary} is missing: install the Debian package ${debianPackage} (apt-get install ${debianPackage})`,
    );
  }
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = find(binary);
  if (installed === undefined) throw new Error(`${binary} still missing after installing ${debianPackage}`);
  return installed;
}

/**
 * How the dashboard's tests and benchmark launch Debian's Chromium (playwright-core's `chromium.launch` options):
 * headless, and quiet — nothing it would fetch or update on its own adds to what is measured.
 */
export const chromiumLaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
} as const;
