import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateToken, hashToken, TokenSet } from '@fleetwire/auth';

export interface ApiTokens {
  readonly tokens: TokenSet;
  /** A token made at this start, to be shown once; undefined when tokens came from the environment or disk. */
  readonly generated?: string;
}

/**
 * FLEETWIRE_API_TOKENS when set. Otherwise (all-in-one on a fresh machine) a token is generated on first start
 * and only its hash is kept under the data directory, so it is shown exactly once.
 */
export async function resolveApiTokens(configured: readonly string[], dataDir: string): Promise<ApiTokens> {
  if (configured.length > 0) return { tokens: TokenSet.fromTokens(configured) };
  const file = join(dataDir, 'api-token.sha256');
  const stored = await readFile(file, 'utf8').then(
    (text) => text.split('\n').filter((line) => /^[0-9a-f]{64}$/.test(line)),
    () => [],
  );
  if (stored.length > 0) return { tokens: new TokenSet(stored) };
  const token = generateToken();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${hashToken(token)}\n`, { mode: 0o600 });
  return { tokens: TokenSet.fromTokens([token]), generated: token };
}
