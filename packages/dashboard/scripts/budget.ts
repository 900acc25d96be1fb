// The first page's bundle budget: the JavaScript and CSS index.html loads, gzipped, at most 250 KB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budgetBytes = 250 * 1024;
const dist = join(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] as string);
let total = 0;
for (const asset of assets) total += gzipSync(readFileSync(join(dist, asset))).length;
const line = `dashboard: first page ${(total / 1024).toFixed(1)} KB gzipped (${assets.length} files; budget ${budgetBytes / 1024} KB)`;
if (total > budgetBytes || assets.length === 0) {
  process.stderr.write(`${line}: over budget\n`);
  process.exit(1);
}
process.stdout.write(`${line}\n`);
