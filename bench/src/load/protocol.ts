/** Commands the bench sends its load-generator process, and what comes back. */

export interface ConnectCommand {
  readonly op: 'connect';
  /** OCPP endpoint without the identity. */
  readonly url: string;
  readonly prefix: string;
  readonly count: number;
  readonly password?: string;
  readonly rampPerSecond: number;
  /** Also start a transaction on each, so that MeterValues belong to one. */
  readonly startTransaction: boolean;
}

export interface CallLoadCommand {
  readonly op: 'closed-loop' | 'open-loop';
  readonly seconds: number;
  /** Sampled values per MeterValues. */
  readonly sampledValues: 1 | 4;
  /** open-loop: CALLs per second across all chargers, whatever their answers do. */
  readonly ratePerSecond?: number;
}

export interface FleetCommand {
  readonly op: 'fleet';
  readonly url: string;
  readonly count: number;
  readonly scenario: string;
  readonly password?: string;
  readonly rampPerSecond: number;
  readonly seed: number;
}

export interface StreamTargetCommand {
  readonly amqpUrl: string;
  readonly exchange: string;
  readonly serials: readonly string[];
}

export type LoadCommand =
  | ConnectCommand
  | ({ readonly op: 'amqp-preload'; readonly count: number } & StreamTargetCommand)
  | {
      readonly op: 'amqp-drain';
      readonly amqpUrl: string;
      readonly queue: string;
      readonly expected: number;
      readonly prefetch: number;
    }
  | ({
      readonly op: 'observation-latency';
      readonly natsUrl: string;
      readonly perSecond: number;
      readonly seconds: number;
    } & StreamTargetCommand)
  | CallLoadCommand
  | FleetCommand
  | { readonly op: 'fleet-snapshot' }
  | { readonly op: 'storm'; readonly timeoutS: number }
  | { readonly op: 'close' };

export interface LoadResult {
  readonly ok: boolean;
  readonly error?: string;
  /** CPU the load generator used for this command (user + system), ms. */
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly [key: string]: unknown;
}

export interface CallLoadResult extends LoadResult {
  readonly calls: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly latency: { p50: number; p90: number; p99: number; max: number; count: number };
  readonly curve: [number, number][];
}
