import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  generateToken,
  hashPassword,
  parseBasicAuth,
  TokenSet,
  VerifiedCredentials,
  verifyPassword,
} from '../src/index.ts';

describe('charger passwords', () => {
  it('verify against a salted scrypt hash and never store the password', async () => {
    const hash = await hashPassword('0123456789abcdef');
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(hash).not.toContain('0123456789abcdef');
    expect(await hashPassword('0123456789abcdef')).not.toBe(hash);
    expect(await verifyPassword('0123456789abcdef', hash)).toBe(true);
    expect(await verifyPassword('0123456789abcdeF', hash)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('are remembered once verified, and not after the stored hash changed', async () => {
    const cache = new VerifiedCredentials();
    const first = await hashPassword('first-password-123');
    expect(await cache.verify('EH1', 'first-password-123', first)).toBe(true);
    expect(await cache.verify('EH1', 'wrong', first)).toBe(false);
    const second = await hashPassword('second-password-12');
    expect(await cache.verify('EH1', 'first-password-123', second)).toBe(false);
    expect(await cache.verify('EH1', 'second-password-12', second)).toBe(true);
  });
});

describe('Basic auth header', () => {
  it('reads user and password, keeping colons in the password', () => {
    const header = `Basic ${Buffer.from('EH1:pa:ss').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ user: 'EH1', password: 'pa:ss' });
    expect(parseBasicAuth('Bearer abc')).toBeUndefined();
    expect(parseBasicAuth(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
  });
});

describe('operator tokens', () => {
  it('are accepted by hash only', () => {
    const token = generateToken();
    const set = TokenSet.fromTokens([token, 'other']);
    expect(set.accepts(token)).toBe(true);
    expect(set.accepts(`${token}x`)).toBe(false);
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken('Basic abc')).toBeUndefined();
  });
});
