/** What a redacted secret reads as, wherever it would have appeared. */
export const redactedText = '[redacted]';

/** Field names (case-insensitive) whose value is a secret wherever they appear. */
const secretFields = new Set(['password', 'passwords', 'token', 'authorizationkey', 'authorization', 'passwordhash']);
/** Configuration keys whose value is a secret (OCPP 1.6 security white paper: the Basic-auth password). */
const secretKeys = new Set(['authorizationkey']);

/**
 * A copy of `value` fit for an audit entry, an event, a command record or a log line: every secret field replaced,
 * and the value of a `{key, value}` pair whose key names a secret (ChangeConfiguration AuthorizationKey).
 */
export function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const secretPair = typeof record.key === 'string' && secretKeys.has(record.key.toLowerCase());
  const copy: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(record)) {
    copy[field] =
      secretFields.has(field.toLowerCase()) || (secretPair && field === 'value') ? redactedText : redacted(inner);
  }
  return copy;
}

/** Whether an OCPP configuration key holds a secret, so that its value is never kept or shown. */
export function isSecretKey(key: string): boolean {
  return secretKeys.has(key.toLowerCase());
}
