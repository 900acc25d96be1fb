import { createHmac, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt cost for charger passwords. Chargers re-authenticate on every reconnect, so a reconnect storm of a whole
 * fleet multiplies this cost (N=16384 verifies ~50/s on two cores, N=1024 ~700/s); see docs/adr/0003. The
 * parameters travel inside each hash, so raising them later only affects new hashes.
 */
const defaultCost = { N: 1024, r: 8, p: 1 } as const;
const keyLength = 32;

/** OCPP security white paper A00.FR.205: an AuthorizationKey is 16 to 20 bytes (40 hex characters at most). */
export const minPasswordLength = 16;
export const maxPasswordLength = 64;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

/** `scrypt$N$r$p$<salt base64>$<hash base64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, defaultCost);
  return ['scrypt', defaultCost.N, defaultCost.r, defaultCost.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Remembers which (serial, stored hash, password) triples verified, as an HMAC under a key that never leaves
 * the process, so a charger that reconnects does not pay for scrypt again. A changed password hash misses.
 */
export class VerifiedCredentials {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Buffer>();
  private readonly capacity: number;

  constructor(capacity = 200_000) {
    this.capacity = capacity;
  }

  private digest(storedHash: string, password: string): Buffer {
    return createHmac('sha256', this.key).update(storedHash).update('\0').update(password).digest();
  }

  async verify(serial: string, password: string, storedHash: string): Promise<boolean> {
    const digest = this.digest(storedHash, password);
    const known = this.entries.get(serial);
    if (known !== undefined && timingSafeEqual(known, digest)) return true;
    if (!(await verifyPassword(password, storedHash))) return false;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(serial, digest);
    return true;
  }
}

/** Reads an HTTP Basic `Authorization` header; the password may contain ':' (RFC 7617). */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
