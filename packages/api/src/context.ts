import type { TokenSet } from '@fleetwire/auth';
import type { Bus } from '@fleetwire/bus';
import type {
  ApiTokenStore,
  ChargerRegistry,
  EventLog,
  IdTagStore,
  SiteStore,
  TransactionStore,
} from '@fleetwire/store';
import type { Logger, Readiness } from '@fleetwire/telemetry';

export type { Readiness };

export interface ApiOptions {
  readonly bus: Bus;
  readonly chargers: ChargerRegistry;
  readonly idTags: IdTagStore;
  readonly sites: SiteStore;
  readonly transactions: TransactionStore;
  readonly events: EventLog;
  /** Tokens created through the API, with their scopes. */
  readonly tokens: ApiTokenStore;
  /** FLEETWIRE_API_TOKENS (or the generated one): bootstrap tokens with every scope. */
  readonly adminTokens: TokenSet;
  readonly shardCount: number;
  /** How long a central-system call waits for the charger. */
  readonly callTimeoutMs: number;
  readonly logger: Logger;
  readonly readiness: () => Readiness;
  /** Requests a minute one token may make (API_RATE_LIMIT_PER_MINUTE); beyond, 429 with Retry-After. */
  readonly rateLimitPerMinute?: number;
  /** The dashboard's built files, served at `/` (packages/dashboard); absent: `/` says it is not built. */
  readonly dashboardDir?: string;
}
