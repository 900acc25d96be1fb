import { type Logger, pino } from 'pino';

export type { Logger };

/** Paths that may carry secrets; pino replaces their values before anything is written. */
const redactedPaths = [
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
];

export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    level: options.level,
    base: options.name === undefined ? {} : { role: options.name },
    redact: { paths: redactedPaths, censor: '[redacted]' },
  });
}
