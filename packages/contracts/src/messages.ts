import type { StreamMessage } from '@fleetwire/easee';
import type { ErrorCode, Violation } from '@fleetwire/ocpp';
import type { ChargerRegistration, OutboundCommand } from './domain.ts';

/** edge → worker, `fw.cp.<shard>.<serial>.call`: a CALL the charger sent. */
export interface ChargerCallRequest {
  /** The WebSocket session the call arrived on; with `messageId` it identifies a retried delivery. */
  readonly sessionId: string;
  readonly messageId: string;
  readonly action: string;
  readonly payload: unknown;
  readonly receivedAt: number;
  /** Set when a transaction-related payload broke its schema: it is accepted and kept, with this flag. */
  readonly violation?: Violation;
}

export type CallOutcome =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly code: ErrorCode; readonly description: string };

export type SessionEventKind = 'connected' | 'disconnected';

/** edge → worker, `fw.cp.<shard>.<serial>.session`. */
export interface ChargerSessionEvent {
  readonly kind: SessionEventKind;
  readonly sessionId: string;
  readonly edgeId: string;
  /** Edge clock: when the socket was accepted (connected) or closed (disconnected). */
  readonly at: number;
  readonly remoteAddress?: string;
  readonly closeCode?: number;
  /** The registration's rules, read when the edge admitted the connection (connected only). */
  readonly rules?: CommandRuleSettings;
}

/** worker → edge, `fw.edge.<serial>.call`: a central-system CALL for the charger on that socket. */
export interface EdgeCallRequest {
  /** The charger the edge is to send the CALL to. */
  readonly serial: string;
  readonly action: string;
  readonly payload: unknown;
  readonly timeoutMs: number;
}

export type EdgeCallOutcome =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly reason: 'call-error'; readonly code: ErrorCode; readonly description: string }
  | { readonly ok: false; readonly reason: 'timeout' | 'disconnected' | 'busy'; readonly description: string }
  /** The charger reconnected through another edge, which this one learnt from its evict notice. */
  | { readonly ok: false; readonly reason: 'moved'; readonly edgeId: string; readonly description: string };

/** edge → edge, `fw.edge.<serial>.evict`: a newer authenticated connection took over this identity. */
export interface EvictNotice {
  readonly sessionId: string;
  readonly edgeId: string;
}

/** edge (API) → worker, `fw.api.<shard>.<serial>`. */
/** Per charger: whether the Easee rules apply (off for non-Easee chargers) and whether TxProfile is allowed. */
export interface CommandRuleSettings {
  readonly easee: boolean;
  readonly txProfile: boolean;
}

/** The Easee rules apply unless the charger's registration turns them off. */
export function ruleSettingsOf(registration: ChargerRegistration | undefined): CommandRuleSettings {
  return { easee: registration?.rules?.easee ?? true, txProfile: registration?.rules?.txProfile ?? false };
}

export type ApiRequest =
  | { readonly op: 'state' }
  | {
      readonly op: 'ocpp';
      /** Made by the API: a request retried across a hand-over keeps it, so it is decided and sent only once. */
      readonly requestId?: string;
      readonly action: string;
      readonly payload: unknown;
      readonly timeoutMs: number;
      readonly rules: CommandRuleSettings;
      /** Convert a W charging schedule to A with the charger's phases and voltage instead of refusing it. */
      readonly convertToAmps?: boolean;
    }
  | { readonly op: 'command'; readonly requestId: string }
  | {
      readonly op: 'current-limit';
      readonly requestId?: string;
      readonly amps: number;
      readonly ttlMinutes: number;
      readonly rules: CommandRuleSettings;
      readonly timeoutMs: number;
      readonly waitMs: number;
    }
  | {
      readonly op: 'charging-schedule';
      readonly connectorId: number;
      readonly durationS: number;
      readonly unit: 'A' | 'W';
    }
  | {
      readonly op: 'local-list';
      /** The whole list the charger should hold; sent as a difference to what it acknowledged last. */
      readonly entries: readonly { readonly idTag: string; readonly idTagInfo: unknown }[];
      readonly timeoutMs: number;
      readonly rules: CommandRuleSettings;
    }
  | {
      readonly op: 'easee';
      readonly requestId?: string;
      readonly name: string;
      readonly args: Readonly<Record<string, unknown>>;
      /** How long to wait for the command response before answering 202 with the request id. */
      readonly waitMs: number;
    }
  | { readonly op: 'easee-command'; readonly requestId: string }
  /**
   * worker → worker: the answer to a CALL the previous owner of the charger's shard sent, for the owner that now
   * holds the decision (the charger model's CS_CALL_SETTLED input).
   */
  | { readonly op: 'call-settled'; readonly settled: unknown };

/** An operator's request for one site (`fw.site-api.<shard>.<siteId>`), answered by the site's owner. */
export type SiteApiRequest =
  /** The definition in the site store changed (or was removed): the owner reads it again. */
  | { readonly op: 'define' }
  | { readonly op: 'limit'; readonly maxCurrentA: number | null; readonly until: number | null }
  | { readonly op: 'view' };

export type ApiReply =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly status: number; readonly error: string; readonly rule?: string };

/**
 * One charger's messages from one message of its shard on FW_EASEE, in stream order, to acknowledge once applied:
 * its part of a batch (`fw.easee.b.<shard>`, ADR 18), or a single message (`fw.easee.<shard>.<serial>.<kind>.<id>`).
 */
export interface StreamDelivery {
  /**
   * The stream sequence of the batch: the charger skips a delivery at or below the last one it applied. 0 when the
   * source has none that survives a restart (all-in-one), and for single messages (see ADR 18): the charger applies
   * those whatever its sequence, and drops a duplicate by its content.
   */
  readonly seq: number;
  /** At least one; all of the same serial. */
  readonly messages: readonly StreamMessage[];
  ack(): void;
  nak(): void;
}

/** Where a worker reads the Easee stream of a shard it owns. */
export interface ShardStreamSource {
  open(shard: number, deliver: (delivery: StreamDelivery) => void): Promise<{ close(): Promise<void> }>;
}

/** Where a worker sends Easee commands (FW_EASEE_CMD); the ingest publishes them to the operator exchange. */
export interface CommandSink {
  publish(commands: readonly OutboundCommand[]): Promise<void>;
}

/** A message of the operator queue that could not be used, kept with its routing key and the reason. */
export interface ParkedMessage {
  readonly source: 'easee';
  readonly routingKey: string;
  readonly reason: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly parkedAt: string;
}

/** Where the ingest puts what it consumed; each call resolves once the message is durable downstream. */
export interface EaseeIngestPort {
  publish(shard: number, message: StreamMessage): Promise<void>;
  park(parked: ParkedMessage): Promise<void>;
}

/** Commands for the ingest to publish; the handler resolves once the broker confirmed the publication. */
export interface CommandSource {
  consume(handler: (command: OutboundCommand) => Promise<void>): { close(): Promise<void> };
}
