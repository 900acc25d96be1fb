import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

interface Workspace {
  readonly name: string;
  readonly dir: string;
  readonly dependsOn: readonly string[];
}

function workspaces(): Workspace[] {
  const found: Workspace[] = [];
  for (const parent of ['packages', 'services']) {
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(parent, entry.name);
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      const all = { ...manifest.dependencies, ...manifest.devDependencies };
      found.push({
        name: manifest.name,
        dir,
        dependsOn: Object.keys(all).filter((name) => name.startsWith('@fleetwire/')),
      });
    }
  }
  return found;
}

/** Every `@fleetwire/…` a workspace's own files import. */
function importsOf(dir: string): Set<string> {
  const imported = new Set<string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(join(root, at), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(entry.name)) {
        for (const match of readFileSync(join(root, path), 'utf8').matchAll(/from '(@fleetwire\/[a-z-]+)/g)) {
          imported.add(match[1] as string);
        }
      }
    }
  };
  walk(dir);
  return imported;
}

describe('the workspace graph (docs/design.md "Layout")', () => {
  const all = workspaces();
  const byName = new Map(all.map((workspace) => [workspace.name, workspace]));

  it('has no cycle', () => {
    const cycles: string[] = [];
    const visit = (name: string, path: readonly string[]) => {
      if (path.includes(name)) {
        cycles.push([...path.slice(path.indexOf(name)), name].join(' → '));
        return;
      }
      for (const next of byName.get(name)?.dependsOn ?? []) visit(next, [...path, name]);
    };
    for (const workspace of all) visit(workspace.name, []);
    expect(cycles).toEqual([]);
  });

  it('has no package that depends on a service', () => {
    const services = new Set(all.filter((w) => w.dir.startsWith('services/')).map((w) => w.name));
    const upward = all
      .filter((w) => w.dir.startsWith('packages/'))
      .flatMap((w) => w.dependsOn.filter((name) => services.has(name)).map((name) => `${w.name} → ${name}`));
    expect(upward).toEqual([]);
  });

  it('imports only what each package.json declares', () => {
    const undeclared = all.flatMap((w) =>
      [...importsOf(w.dir)]
        .filter((name) => name !== w.name && !w.dependsOn.includes(name))
        .map((name) => `${w.name} imports ${name}`),
    );
    expect(undeclared).toEqual([]);
  });
});
