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

/**
 * Waits for `work` (a broker connection at start-up, which waits as long as it takes), saying every `everyMs`
 * that it is still waiting and for what: a role that cannot reach its broker says so instead of hanging silently.
 */
export async function announceWait<T>(log: Logger, what: string, work: Promise<T>, everyMs = 5_000): Promise<T> {
  const started = Date.now();
  const timer = setInterval(
    () => log.warn({ waitedS: Math.round((Date.now() - started) / 1000) }, `still waiting for ${what}`),
    everyMs,
  );
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
