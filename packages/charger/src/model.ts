import type { RuleName, RuleSettings, WriteBudget } from '@fleetwire/command-rules';
import type { IdTagInfo, Outgoing, SiteAllocation, SiteReport, TransactionRecord } from '@fleetwire/contracts';
import type { StreamSession } from '@fleetwire/easee';
import type { Violation } from '@fleetwire/ocpp';
import type { InstalledProfile } from '@fleetwire/smart-charging';

export interface ConnectorState {
  readonly status: string;
  readonly errorCode: string;
  readonly info?: string;
  readonly vendorId?: string;
  readonly vendorErrorCode?: string;
  /** The charger's own time of the status, as it sent it. */
  readonly timestamp?: string;
  readonly updatedAt: number;
}

export interface BootInfo {
  readonly chargePointVendor?: string;
  readonly chargePointModel?: string;
  readonly chargePointSerialNumber?: string;
  readonly chargeBoxSerialNumber?: string;
  readonly firmwareVersion?: string;
  readonly iccid?: string;
  readonly imsi?: string;
  readonly meterType?: string;
  readonly meterSerialNumber?: string;
  readonly bootedAt: number;
}

export interface Session {
  readonly id: string;
  readonly edgeId: string;
  readonly since: number;
  readonly remoteAddress?: string;
}

/** The last charger CALL and its answer: a redelivery of the same call (same session and id) gets the same answer. */
export interface AnsweredCall {
  readonly sessionId: string;
  readonly messageId: string;
  readonly response: unknown;
}

export interface ProgressStatus {
  readonly status: string;
  readonly at: number;
}

/** The newest value of one observation id: later deliveries with an older timestamp do not replace it. */
export interface ObservedValue {
  readonly value: unknown;
  /** The charger's time of the value (ms). */
  readonly timestamp: number;
  readonly receivedAt: number;
}

export type CommandStatus = 'accepted' | 'rejected' | 'no-response' | 'expired';

/** An Easee command waiting for its command response. Each attempt has its own ticks. */
export interface PendingCommand {
  readonly requestId: string;
  readonly name: string;
  readonly commandId: number;
  readonly args: Readonly<Record<string, unknown>>;
  readonly requestedAt: number;
  readonly expiresAt: number;
  readonly responseTimeoutMs: number;
  readonly maxAttempts: number;
  readonly attemptTicks: readonly string[];
  /** Server time of each attempt, beside its ticks: a response is matched to the oldest attempt sent before it. */
  readonly attemptAt: readonly number[];
}

export interface CommandOutcome {
  readonly requestId: string;
  readonly name: string;
  readonly commandId: number;
  readonly status: CommandStatus;
  readonly attempts: number;
  readonly requestedAt: number;
  readonly settledAt: number;
  readonly resultCode?: number | null;
  readonly comment?: string;
  /** The ticks the cloud's command response carried (its own, not necessarily those of our attempt). */
  readonly ticks?: string;
  /** How the outcome is known beyond the response: the observation of the new value, or a boot after a Reboot. */
  readonly confirmedBy?: 'observation' | 'boot' | 'reconnect';
  readonly confirmedAt?: number;
  /** A response that came after the command was reported `no-response` corrected it. */
  readonly corrected?: boolean;
}

/**
 * An observation's key in `StreamState.observations`: its id behind a letter. A key that reads as an array index
 * would make V8 keep the object's values in an array as long as the largest id, and copy it on every update (9 KB
 * for observation 700; docs/adr/0014-live-state-without-index-keys.md).
 */
export type ObservationKey = `o${number}`;

/** What the Easee operator stream says about the charger. */
export interface StreamState {
  /** The newest value of each observation id, by `observationKey(id)` (`observed.ts`). */
  readonly observations: Readonly<Record<ObservationKey, ObservedValue>>;
  readonly lastSeenAt: number | null;
  /** OCPP status of connector 1 that the op mode stands for. */
  readonly status: string | null;
  readonly session: StreamSession | null;
  readonly recentSessions: readonly StreamSession[];
  readonly commands: Readonly<Record<string, PendingCommand>>;
  readonly recentCommands: readonly CommandOutcome[];
  /** Set once the channels-disagree alert was raised, until they agree again. */
  readonly disagreementAlerted: boolean;
}

/**
 * How a central-system command ended. `refused` never left Fleetwire (an Easee rule, `rule` names it);
 * `not-connected` found no session; `unknown` lost its worker before the answer was recorded.
 */
export type CentralOutcome =
  | { readonly ok: true; readonly response: unknown }
  | {
      readonly ok: false;
      readonly error: string;
      readonly description: string;
      readonly rule?: RuleName;
      readonly retryAt?: number;
    };

/** A central-system command sent to the charger and how it ended. Its request never holds a secret. */
export interface CentralCommand {
  readonly requestId: string;
  readonly action: string;
  readonly request: unknown;
  readonly settledAt: number;
  readonly outcome: CentralOutcome;
  /** For an accepted RemoteStartTransaction: the transaction it led to, once the charger started it. */
  readonly transactionId?: number;
}

/** Who asked for a central-system CALL: an operator, or the model itself (a re-sent availability, a limit). */
export type CallOrigin =
  | 'operator'
  | 'availability'
  | 'current-limit'
  | 'current-limit-profile'
  | 'current-limit-reapply'
  | 'current-limit-end';

/** A central-system CALL the model decided to send, until the charger's answer is recorded. */
export interface OutgoingCall {
  readonly requestId: string;
  readonly action: string;
  /** As sent, secrets redacted. */
  readonly request: unknown;
  /** A flash write of the budget is held for it: spent if the charger accepts, given back otherwise. */
  readonly reservedWrite: boolean;
  readonly origin: CallOrigin;
  readonly requestedAt: number;
}

/**
 * An order to the host to send a central-system CALL (emitted, never persisted: it carries the payload as the
 * charger must get it, secrets included). Its answer comes back as CS_CALL_SETTLED with the same request id.
 */
export interface OcppCallOrder {
  readonly id: string;
  readonly type: 'ocpp-call';
  readonly serial: string;
  readonly at: number;
  readonly data: {
    readonly requestId: string;
    readonly action: string;
    readonly payload: unknown;
    readonly edgeId: string;
    readonly timeoutMs: number;
  };
}

/** A real-time current limit an operator set, kept to be applied again after Easee resets it (plug-in, reboot). */
export interface DynamicCurrent {
  readonly requestId: string;
  /** What the operator asked for, and what was sent after the ChargePointMaxProfile cap (null: none installed). */
  readonly requestedA: number;
  readonly amps: number;
  readonly capA: number | null;
  readonly ttlMinutes: number;
  /** Server time the limit ends; null: until changed. */
  readonly until: number | null;
  readonly channel: 'easee-stream' | 'ocpp-key' | 'ocpp-profile';
  readonly appliedAt: number | null;
  /** The last time it was applied again after a reset, so a burst of plug events sends it once. */
  readonly reappliedAt: number | null;
}

/** What the operator asked of the charger's availability, and Available reports held back after a boot. */
export interface AvailabilityState {
  /** By connector id ('0' = the whole charger), as ChangeAvailability was Accepted or Scheduled. */
  readonly wanted: Readonly<Record<string, 'Operative' | 'Inoperative'>>;
  /** By connector id: an Available that contradicts `wanted`, reported right after a boot, not shown yet. */
  readonly held: Readonly<Record<string, ConnectorState>>;
}

/** An accepted RemoteStartTransaction waiting for the StartTransaction it should lead to. */
export interface PendingRemoteStart {
  readonly requestId: string;
  readonly idTag: string;
  readonly connectorId?: number;
  readonly acceptedAt: number;
}

export interface LocalAuthList {
  readonly version: number;
  /** By id tag, with the idTagInfo sent for it. */
  readonly entries: Readonly<Record<string, unknown>>;
}

/** What the central system knows of the charger's smart charging. */
export interface SmartChargingState {
  readonly installed: readonly InstalledProfile[];
  /** Flash writes left (Easee's warranty budget); null until the first write is counted. */
  readonly writeBudget: WriteBudget | null;
  /** The charger's last answer to GetCompositeSchedule. */
  readonly reported: { readonly at: number; readonly request: unknown; readonly response: unknown } | null;
}

/**
 * Everything the charger's actor remembers. It is persisted as part of the XState snapshot, so it is plain JSON:
 * records with string keys, times as milliseconds since the epoch (server clock) or the charger's own ISO strings.
 * Deadlines are absolute: XState does not persist pending delayed events, so the worker's timer service drives them.
 */
export interface ChargerContext {
  readonly serial: string;
  readonly heartbeatIntervalS: number;
  readonly session: Session | null;
  /** Socket-open time (edge clock) of the newest session seen, open or closed: an older one cannot come back. */
  readonly latestConnectAt: number;
  readonly lastSeenAt: number | null;
  readonly boot: BootInfo | null;
  readonly connectors: Readonly<Record<string, ConnectorState>>;
  /**
   * Transactions in progress, at most one per connector. Stopped ones leave the context and live in the transaction
   * store. A list, not an object by id: ids are array indices to V8 (docs/adr/0014-live-state-without-index-keys.md).
   */
  readonly transactions: readonly TransactionRecord[];
  /** Idempotency keys of the latest StartTransactions, so that a retried one gets the same id. */
  readonly recentStarts: readonly { readonly key: string; readonly id: number }[];
  /** Ids of the latest stopped transactions, so that a retried StopTransaction is answered but not applied twice. */
  readonly recentStops: readonly number[];
  readonly lastCall: AnsweredCall | null;
  readonly firmware: ProgressStatus | null;
  readonly diagnostics: ProgressStatus | null;
  readonly deadlines: Readonly<Record<string, number>>;
  /** Counts the fleet events this charger produced; the next one gets `eventSeq + 1`. */
  readonly eventSeq: number;
  readonly stream: StreamState;
  readonly centralCommands: readonly CentralCommand[];
  readonly remoteStarts: readonly PendingRemoteStart[];
  readonly smartCharging: SmartChargingState;
  readonly localList: LocalAuthList | null;
  /** The latest stopped transactions, so that the stream's session record can still be linked to them. */
  readonly recentTransactions: readonly TransactionRecord[];
  /** The rules the charger's registration asks for (Easee unless turned off), as last passed with an input. */
  readonly rules: RuleSettings;
  /** Central-system CALLs decided and not yet answered, by request id. */
  readonly outgoingCalls: Readonly<Record<string, OutgoingCall>>;
  /** Configuration values the charger reported (GetConfiguration) or accepted (ChangeConfiguration); no secret. */
  readonly configuration: Readonly<Record<string, string>>;
  readonly availability: AvailabilityState;
  readonly dynamicCurrent: DynamicCurrent | null;
  /** Whether the charger takes the DynamicChargerCurrent configuration key (null until it answered one). */
  readonly dynamicCurrentKey: boolean | null;
  /** The site whose fuse the charger is behind, once the site allocated it current (machine version 4). */
  readonly site: SiteMembership | null;
}

/** A charger's part in its site's load management (docs/adr/0011-site-load-management.md). */
export interface SiteMembership {
  readonly siteId: string;
  /** The site owner's lease token: an allocation from a lower one is from a stale owner. */
  readonly token: number;
  /** The newest allocation received. */
  readonly allocationId: number;
  readonly amps: number;
  readonly ttlMinutes: number;
  readonly receivedAt: number;
  readonly fallbackA: number | null;
  readonly fallbackSentA: number | null;
  /** Whether the stream could carry the allocation's commands when it came. */
  readonly streamCommands: boolean;
  /** The newest allocation applied (its command accepted), and when. */
  readonly confirmedId: number | null;
  readonly confirmedA: number | null;
  readonly confirmedAt: number | null;
  /** A plug-in or a reboot since the last confirmation: Easee set the dynamic current back to the maximum. */
  readonly resetAt: number | null;
  /** The newest allocation received before that reset: only a later one (or a re-application) undoes it. */
  readonly resetAfterId: number | null;
  /** The last report sent to the site, and when. */
  readonly reportSeq: number;
  readonly reported: SiteReport | null;
  readonly reportedAt: number | null;
}

export interface ChargerInput {
  readonly serial: string;
  readonly heartbeatIntervalS: number;
}

/** What the worker looked up before handing a CALL to the actor; the actor itself does no I/O. */
export interface CallLookups {
  /** idTagInfo of the call's idTag (Authorize, StartTransaction, StopTransaction with an idTag). */
  readonly idTagInfo?: IdTagInfo;
  /** A fresh transaction id, allocated only when `planCall` said one is needed. */
  readonly transactionId?: number;
  readonly heartbeatIntervalS: number;
  /** How long an Available that contradicts the wanted availability is held back after a boot (Easee's blip). */
  readonly availabilityHoldMs?: number;
}

export type ChargerEvent =
  | {
      readonly type: 'SESSION_OPENED';
      readonly at: number;
      /** When the edge accepted the socket; orders sessions whose notices arrive out of order. */
      readonly connectedAt: number;
      readonly sessionId: string;
      readonly edgeId: string;
      readonly remoteAddress?: string;
      /** The registration's rules, as the edge read them when it admitted the connection. */
      readonly rules?: RuleSettings;
    }
  | { readonly type: 'SESSION_CLOSED'; readonly at: number; readonly sessionId: string; readonly closeCode?: number }
  | {
      readonly type: 'CALL';
      readonly at: number;
      readonly sessionId: string;
      readonly messageId: string;
      readonly action: string;
      readonly payload: unknown;
      readonly violation?: Violation;
      readonly lookups: CallLookups;
    }
  | {
      /** An operator asks for a central-system CALL: the model decides (rules, budget, session) and orders it. */
      readonly type: 'CS_CALL_REQUESTED';
      readonly at: number;
      readonly requestId: string;
      readonly action: string;
      readonly payload: unknown;
      readonly rules: RuleSettings;
      /** Convert a W charging schedule to A with the charger's phases and voltage instead of refusing it. */
      readonly convertToAmps?: boolean;
      readonly timeoutMs: number;
    }
  | {
      /** The charger's answer to an ordered CALL (or why there was none). */
      readonly type: 'CS_CALL_SETTLED';
      readonly at: number;
      readonly requestId: string;
      readonly outcome:
        | { readonly ok: true; readonly response: unknown }
        | { readonly ok: false; readonly error: string; readonly description: string };
      /** For an Accepted ChangeConfiguration of a secret key: the charger now holds a new one (never the value). */
      readonly secretChanged?: boolean;
    }
  | {
      /** An operator sets a real-time current limit; the model picks the channel and clamps it to the cap. */
      readonly type: 'CURRENT_LIMIT_REQUESTED';
      readonly at: number;
      readonly requestId: string;
      readonly amps: number;
      readonly ttlMinutes: number;
      readonly rules: RuleSettings;
      readonly timeoutMs: number;
      /** The Easee stream can carry commands (an operator stream is configured). */
      readonly streamCommands: boolean;
      readonly easeeCommands: {
        readonly responseTimeoutMs: number;
        readonly maxAttempts: number;
        readonly expiresInMs: number;
      };
    }
  | { readonly type: 'TIMER'; readonly at: number; readonly name: string; readonly deadline: number }
  | {
      readonly type: 'STREAM_OBSERVATION';
      readonly at: number;
      readonly observationId: number;
      /** The charger's time of the value (ms). */
      readonly timestamp: number;
      readonly value: unknown;
      /** For an RFID token (128) when Fleetwire authorizes stream tokens: the token's registration. */
      readonly authorization?: IdTagInfo;
    }
  | {
      readonly type: 'STREAM_COMMAND_RESPONSE';
      readonly at: number;
      readonly commandId: number;
      readonly ticks: string;
      readonly wasAccepted: boolean;
      readonly resultCode: number | null;
      readonly comment: string;
    }
  | {
      /** The charger's site allocates it current (from the site's actor); the model applies it. */
      readonly type: 'SITE_ALLOCATION';
      readonly at: number;
      readonly allocation: SiteAllocation;
      /** The Easee stream can carry commands (an operator stream is configured). */
      readonly streamCommands: boolean;
    }
  | {
      readonly type: 'EASEE_COMMAND_REQUESTED';
      readonly at: number;
      readonly requestId: string;
      readonly name: string;
      readonly args: Readonly<Record<string, unknown>>;
      readonly expiresAt: number;
      readonly responseTimeoutMs: number;
      readonly maxAttempts: number;
    };

export type EmittedEvent = Outgoing | OcppCallOrder;

/** How long a charger may stay silent, in heartbeat intervals, before it is reported as silent. */
export const silenceFactor = 3;

/** How long after an accepted RemoteStartTransaction its StartTransaction is expected. */
export const remoteStartWindowMs = 10 * 60_000;

/** How long OCPP may say Charging while the stream says Disconnected before an alert. */
export const disagreementAfterMs = 5 * 60_000;

/** Easee heartbeats about every three minutes whatever HeartbeatInterval says (docs/reference/easee.md §0.1). */
export const easeeHeartbeatS = 180;

/** Stream data older than this is shown as stale, not live; a charger heard more recently is reached over it. */
export const streamStaleAfterMs = 15 * 60_000;

/** How long after a BootNotification an Available that contradicts the wanted availability is held back. */
export const availabilityBlipWindowMs = 60_000;
export const defaultAvailabilityHoldMs = 5_000;

/** Room for the host to carry an ordered CALL and record its answer before the model gives up on it. */
export const outgoingCallSlackMs = 15_000;
