/** OCPP 1.6 AuthorizationStatus. */
export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';

/** An id tag as the operator registered it. Tags are case-insensitive (OCPP 1.6 §3.9). */
export interface IdTagRecord {
  readonly idTag: string;
  readonly status: AuthorizationStatus;
  readonly expiryDate?: string;
  readonly parentIdTag?: string;
  readonly updatedAt: string;
}

/** OCPP idTagInfo, as answered to Authorize, StartTransaction and StopTransaction. */
export interface IdTagInfo {
  readonly status: AuthorizationStatus;
  readonly expiryDate?: string;
  readonly parentIdTag?: string;
}

export interface ChargerRegistration {
  readonly serial: string;
  /** scrypt hash of the Basic-auth password; absent when the charger connects without one. */
  readonly passwordHash?: string;
  /**
   * The hash of the password before the charger accepted a new AuthorizationKey: still accepted until the charger
   * connects with the new one (OCPP security white paper, password change), so a rotation cannot lock it out.
   */
  readonly previousPasswordHash?: string;
  readonly registeredAt: string;
  readonly updatedAt: string;
  /** Set when the charger registered itself under FLEETWIRE_AUTO_REGISTER. */
  readonly autoRegistered?: boolean;
  /**
   * Set when the charger was first seen on the Easee stream rather than registered by an operator. Such a
   * registration lists and shows the charger but does not let it connect over OCPP until an operator registers it.
   */
  readonly discoveredBy?: 'easee-stream';
  /**
   * The Easee rules guard every command unless turned off here (for a charger that is not an Easee); TxProfile is
   * refused unless allowed (Easee's cloud supports it best-effort only).
   */
  readonly rules?: { readonly easee?: boolean; readonly txProfile?: boolean };
}

export type TransactionStatus = 'active' | 'stopped';

/** A charging transaction, as kept durably. Energy is in Wh, power in W, whatever units the charger sent. */
export interface TransactionRecord {
  readonly id: number;
  readonly serial: string;
  readonly connectorId: number;
  readonly idTag: string;
  readonly authorization: AuthorizationStatus;
  readonly status: TransactionStatus;
  readonly startedAt: string;
  readonly meterStartWh: number;
  readonly reservationId?: number;
  readonly lastMeterWh?: number;
  readonly lastMeterAt?: string;
  readonly powerW?: number;
  readonly stoppedAt?: string;
  readonly meterStopWh?: number;
  readonly stopReason?: string;
  readonly stopIdTag?: string;
  readonly energyWh?: number;
  /** Why the record deserves a second look: schema violations, an orphan stop, a superseded start, ... */
  readonly flags: readonly string[];
  /** The accepted RemoteStartTransaction (its request id) that this transaction answered. */
  readonly remoteStartRequestId?: string;
  /** The Easee stream's record of the same charging session: its energy, beside the OCPP meter values. */
  readonly streamSession?: { readonly sessionId: number; readonly energyWh?: number };
  readonly updatedAt: number;
}

/** Event types published on `fw.events.<type>.<serial>`. */
export const fleetEventTypes = [
  'connection',
  'boot',
  'status',
  'transaction-started',
  'transaction-updated',
  'transaction-stopped',
  'meter-values',
  'firmware',
  'diagnostics',
  'security',
  'data-transfer',
  'command',
  'stream-session-started',
  'stream-session-stopped',
  'audit',
  'alert',
  'current-limit',
] as const;

export type FleetEventType = (typeof fleetEventTypes)[number];

/**
 * Something that happened to a charger. `id` is `<serial>:<seq>` with seq counting per charger, so a
 * re-published event is recognised as the same one.
 */
export interface FleetEvent {
  readonly id: string;
  readonly type: FleetEventType;
  readonly serial: string;
  /** Server time (ms since epoch) at which the input that caused it was received. */
  readonly at: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * An Easee command to publish to the operator exchange, committed with the charger's snapshot like an event and
 * sent by the ingest (FW_EASEE_CMD). `id` is `<serial>:<ticks>`: one publication per attempt.
 */
export interface OutboundCommand {
  readonly id: string;
  readonly type: 'easee-command';
  readonly serial: string;
  readonly at: number;
  readonly data: {
    readonly requestId: string;
    readonly commandId: number;
    readonly ticks: string;
    readonly body: unknown;
  };
}

/** What a charger's actor hands to the outbox: fleet events, and commands for the Easee stream. */
export type Outgoing = FleetEvent | OutboundCommand;
