import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A program from a Debian package, installed with apt when it is missing and the test runs as root (CI does);
 * elsewhere, a clear error that says what to install.
 */
export async function debianTool(binary: string, pkg: string): Promise<string> {
  try {
    await access(binary);
    return binary;
  } catch {}
  if (process.getuid?.() !== 0) throw new Error(`${binary} is missing: install the Debian package ${pkg}`);
  const install = () =>
    run('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  try {
    await install();
  } catch {
    // Package lists may be stale on a fresh machine.
    await run('apt-get', ['update'], { maxBuffer: 64 * 1024 * 1024 });
    await install();
  }
  await access(binary);
  return binary;
}
