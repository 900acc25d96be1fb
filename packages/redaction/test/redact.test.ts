import { describe, expect, it } from 'vitest';
import { isSecretKey, redacted } from '../src/index.ts';

describe('redaction', () => {
  it('hides passwords, tokens and the AuthorizationKey value at any depth, and nothing else', () => {
    const request = {
      key: 'AuthorizationKey',
      value: 'new-secret-key-0123',
      nested: [{ Password: 'p', token: 't', name: 'kept' }],
    };
    expect(redacted(request)).toEqual({
      key: 'AuthorizationKey',
      value: '[redacted]',
      nested: [{ Password: '[redacted]', token: '[redacted]', name: 'kept' }],
    });
    expect(redacted({ key: 'HeartbeatInterval', value: '60' })).toEqual({ key: 'HeartbeatInterval', value: '60' });
    expect(isSecretKey('authorizationKEY')).toBe(true);
  });
});
