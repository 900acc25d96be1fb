import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bearer tokens are high-entropy secrets, so one SHA-256 is the right hash (no KDF needed to resist guessing). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return `fw_${randomBytes(24).toString('base64url')}`;
}

/** The accepted operator tokens, held only as hashes. */
export class TokenSet {
  private readonly hashes: Buffer[];

  constructor(tokenHashes: readonly string[]) {
    this.hashes = tokenHashes.map((hash) => Buffer.from(hash, 'hex'));
  }

  static fromTokens(tokens: readonly string[]): TokenSet {
    return new TokenSet(tokens.map(hashToken));
  }

  get size(): number {
    return this.hashes.length;
  }

  accepts(token: string): boolean {
    const presented = Buffer.from(hashToken(token), 'hex');
    let found = false;
    // Compare against every hash so that timing does not tell which one matched.
    for (const hash of this.hashes) found = timingSafeEqual(hash, presented) || found;
    return found;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
