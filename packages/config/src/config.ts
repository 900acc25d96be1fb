export type Role = 'all' | 'edge' | 'ingest' | 'worker';
export const roles: readonly Role[] = ['all', 'edge', 'ingest', 'worker'];

export interface EaseeStreamConfig {
  readonly amqpUrl: string;
  readonly queue: string;
  readonly exchange: string;
  readonly originApplication: string;
  /** ContentType of published commands: Easee's own client sends application/json; its page's example text/plain. */
  readonly contentType: string;
}

export interface Config {
  readonly role: Role;
  readonly natsUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly dataDir: string;
  readonly bindAddress: string;
  readonly ocppPort: number;
  readonly apiPort: number;
  readonly metricsPort: number | undefined;
  readonly shards: number;
  readonly apiTokens: readonly string[];
  readonly autoRegister: boolean;
  /** Interval given to chargers in BootNotification.conf. */
  readonly heartbeatIntervalS: number;
  /** How long a central-system CALL waits for the charger's answer. */
  readonly callTimeoutMs: number;
  /** WebSocket ping interval; a peer that misses two pongs is dropped. */
  readonly pingIntervalS: number;
  /** On SIGTERM, sockets are closed in batches spread over this window. */
  readonly drainWindowS: number;
  readonly ocppTls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly easee: EaseeStreamConfig | undefined;
  /** Unacknowledged operator-queue messages the ingest holds at once. */
  readonly easeePrefetch: number;
  /** Easee commands: sent again after this long without a command response, this many times at most. */
  readonly easeeCommandTimeoutMs: number;
  readonly easeeCommandAttempts: number;
  /** Answer RFID tokens read by Easee chargers (observation 128) from Fleetwire's id tags. */
  readonly easeeRfidAuthorization: boolean;
  /** After a boot, an Available that contradicts the wanted availability is held back this long (Easee's blip). */
  readonly availabilityHoldMs: number;
  /** A charger snapshot every this many commits; the commits between journal their inputs (1: every commit). */
  readonly snapshotEvery: number;
  /** A charger actor without an input for this long is let go until its next input; undefined: never (0). */
  readonly passivateAfterMs: number | undefined;
  /** Beyond this many live charger actors in a worker the least recently used are let go; undefined: no bound (0). */
  readonly maxLiveActors: number | undefined;
  /** Operator API requests a minute per token; beyond, 429 with Retry-After. */
  readonly apiRateLimitPerMinute: number;
  /** Stable identity of this process in a cluster (a StatefulSet pod name); generated when absent. */
  readonly instanceId: string | undefined;
  /** A worker that stops renewing a shard lease loses the shard after this long. */
  readonly shardLeaseTtlS: number;
  readonly logLevel: string;
}

/** A configuration error: one line that names the variable and says what is wrong. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min} to ${max}, got ${value}`);
  return value;
}

function optionalInteger(env: Env, name: string, min: number, max: number): number | undefined {
  return text(env, name) === undefined ? undefined : integer(env, name, 0, min, max);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `expected true or false, got '${raw}'`);
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got ${parsed.protocol}`);
  }
  return raw;
}

const contentTypes = ['application/json', 'text/plain'];

function contentType(env: Env): string {
  const value = text(env, 'EASEE_CONTENT_TYPE') ?? 'application/json';
  if (!contentTypes.includes(value)) {
    throw new ConfigError('EASEE_CONTENT_TYPE', `expected one of ${contentTypes.join(', ')}, got '${value}'`);
  }
  return value;
}

function easeeStream(env: Env): EaseeStreamConfig | undefined {
  const amqpUrl = url(env, 'EASEE_AMQP_URL', ['amqp:', 'amqps:']);
  if (amqpUrl === undefined) return undefined;
  const required = (name: string): string => {
    const value = text(env, name);
    if (value === undefined) throw new ConfigError(name, 'is required when EASEE_AMQP_URL is set');
    return value;
  };
  return {
    amqpUrl,
    queue: required('EASEE_QUEUE'),
    exchange: required('EASEE_EXCHANGE'),
    originApplication: required('EASEE_ORIGIN_APPLICATION'),
    contentType: contentType(env),
  };
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const role = (text(env, 'FLEETWIRE_ROLE') ?? 'all') as Role;
  if (!roles.includes(role)) {
    throw new ConfigError('FLEETWIRE_ROLE', `expected one of ${roles.join(', ')}, got '${role}'`);
  }
  const natsUrl = url(env, 'NATS_URL', ['nats:', 'tls:']);
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  if (role !== 'all' && natsUrl === undefined) {
    throw new ConfigError('NATS_URL', `is required when FLEETWIRE_ROLE is ${role}`);
  }
  if (role === 'ingest' && text(env, 'EASEE_AMQP_URL') === undefined) {
    throw new ConfigError('EASEE_AMQP_URL', 'is required when FLEETWIRE_ROLE is ingest');
  }
  if ((role === 'worker' || role === 'edge') && redisUrl === undefined) {
    throw new ConfigError('REDIS_URL', `is required when FLEETWIRE_ROLE is ${role}`);
  }
  if (role === 'edge' && text(env, 'FLEETWIRE_API_TOKENS') === undefined) {
    throw new ConfigError('FLEETWIRE_API_TOKENS', 'is required when FLEETWIRE_ROLE is edge');
  }
  const tlsCert = text(env, 'OCPP_TLS_CERT');
  const tlsKey = text(env, 'OCPP_TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError(tlsCert === undefined ? 'OCPP_TLS_CERT' : 'OCPP_TLS_KEY', 'is required with the other');
  }
  const logLevel = text(env, 'LOG_LEVEL') ?? 'info';
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${logLevels.join(', ')}, got '${logLevel}'`);
  }
  const instanceId = text(env, 'FLEETWIRE_INSTANCE_ID');
  if (instanceId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(instanceId)) {
    throw new ConfigError('FLEETWIRE_INSTANCE_ID', 'expected 1 to 64 letters, digits, - or _');
  }
  const passivateAfterS = integer(env, 'PASSIVATE_AFTER_S', 60, 0, 86_400);
  const maxLiveActors = integer(env, 'MAX_LIVE_ACTORS', 5_000, 0, 10_000_000);
  return {
    role,
    natsUrl,
    redisUrl,
    dataDir: text(env, 'FLEETWIRE_DATA_DIR') ?? './data',
    bindAddress: text(env, 'BIND_ADDRESS') ?? '127.0.0.1',
    ocppPort: integer(env, 'OCPP_PORT', 9000, 0, 65535),
    apiPort: integer(env, 'API_PORT', 8080, 0, 65535),
    metricsPort: optionalInteger(env, 'METRICS_PORT', 0, 65535),
    shards: integer(env, 'SHARDS', 256, 1, 65536),
    apiTokens: (text(env, 'FLEETWIRE_API_TOKENS') ?? '')
      .split(',')
      .map((token) => token.trim())
      .filter((token) => token.length > 0),
    autoRegister: boolean(env, 'FLEETWIRE_AUTO_REGISTER', false),
    heartbeatIntervalS: integer(env, 'HEARTBEAT_INTERVAL_S', 300, 10, 86_400),
    callTimeoutMs: integer(env, 'OCPP_CALL_TIMEOUT_MS', 30_000, 100, 600_000),
    pingIntervalS: integer(env, 'OCPP_PING_INTERVAL_S', 60, 0, 3_600),
    drainWindowS: integer(env, 'EDGE_DRAIN_WINDOW_S', 30, 0, 3_600),
    ocppTls: tlsCert === undefined || tlsKey === undefined ? undefined : { certFile: tlsCert, keyFile: tlsKey },
    easee: easeeStream(env),
    easeePrefetch: integer(env, 'EASEE_PREFETCH', 500, 1, 10_000),
    easeeCommandTimeoutMs: integer(env, 'EASEE_COMMAND_TIMEOUT_S', 60, 1, 3_600) * 1000,
    easeeCommandAttempts: integer(env, 'EASEE_COMMAND_ATTEMPTS', 3, 1, 10),
    easeeRfidAuthorization: boolean(env, 'EASEE_RFID_AUTHORIZATION', false),
    availabilityHoldMs: integer(env, 'AVAILABILITY_HOLD_S', 5, 0, 300) * 1000,
    snapshotEvery: integer(env, 'SNAPSHOT_EVERY', 16, 1, 1_000),
    passivateAfterMs: passivateAfterS === 0 ? undefined : passivateAfterS * 1000,
    maxLiveActors: maxLiveActors === 0 ? undefined : maxLiveActors,
    apiRateLimitPerMinute: integer(env, 'API_RATE_LIMIT_PER_MINUTE', 6_000, 1, 10_000_000),
    instanceId,
    shardLeaseTtlS: integer(env, 'SHARD_LEASE_TTL_S', 15, 2, 600),
    logLevel,
  };
}
