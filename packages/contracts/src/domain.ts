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
  'site-allocation',
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

/** What a charger's actor hands to the outbox: fleet events, commands for the Easee stream, reports to its site. */
export type Outgoing = FleetEvent | OutboundCommand | SiteReportItem;

/** How a channel carries a charger's site allocation. */
export type AllocationChannel = 'easee-stream' | 'ocpp-key' | 'ocpp-profile';

/** What a charger's actor tells its site (`fw.site.<shard>.<siteId>`); a higher `seq` replaces a lower one. */
export interface SiteReport {
  readonly seq: number;
  /** Reachable on OCPP or the stream. */
  readonly online: boolean;
  /** A car is plugged in and takes current (or would, given some). */
  readonly wants: boolean;
  /** The charger's own maximum (MaxChargerCurrent), amps. */
  readonly maxCurrentA: number;
  /** What the car draws, amps per phase, when the charger says. */
  readonly measuredA: number | null;
  /**
   * The most the charger may be drawing now, as it knows it: its confirmed allocation, or one on its way that is
   * higher, or its maximum after a reset (plug-in, reboot) or a lapsed TTL, until an allocation is confirmed again.
   */
  readonly ceilingA: number;
  /** The newest allocation the charger applied (its command was accepted), by id, its amps and when. */
  readonly confirmedId: number | null;
  readonly confirmedA: number | null;
  readonly confirmedAt: number | null;
  readonly channel: AllocationChannel | null;
}

/** A charger's report on its way to its site, committed with the charger like an event. */
export interface SiteReportItem {
  readonly id: string;
  readonly type: 'site-report';
  readonly serial: string;
  readonly at: number;
  readonly data: { readonly siteId: string; readonly report: SiteReport };
}

/** What a site allows one of its chargers (`fw.site-alloc.<shard>.<serial>`); `amps` null: it left the site. */
export interface SiteAllocation {
  readonly siteId: string;
  /** The lease token of the site's owner: an allocation from a lower one is stale. */
  readonly token: number;
  readonly allocationId: number;
  readonly amps: number | null;
  readonly ttlMinutes: number;
  /** What the charger falls back to when it loses its cloud; null: not set by the site. */
  readonly fallbackA: number | null;
}

/** A circuit inside a site: a fuse of its own, with the chargers behind it. */
export interface CircuitDefinition {
  readonly id: string;
  readonly maxCurrentA: number;
  readonly chargers: readonly string[];
}

/** A site as an operator defines it: the fuse per phase and the chargers behind it, some of them on circuits. */
export interface SiteDefinition {
  readonly siteId: string;
  readonly name?: string;
  /** The site's fuse, amps per phase. */
  readonly maxCurrentA: number;
  readonly phases: 1 | 3;
  /** Below this a car does not charge (IEC 61851: 6 A); a charger gets at least this or nothing. */
  readonly minCurrentA: number;
  /** Chargers directly behind the site's fuse. */
  readonly chargers: readonly string[];
  readonly circuits: readonly CircuitDefinition[];
  /** What each charger falls back to when it loses its cloud (SetDynamicCurrentOfflineFallback); absent: a fair share. */
  readonly fallbackCurrentA?: number;
}

/** A site as stored and listed: its definition, by an operator. */
export interface SiteRecord extends SiteDefinition {
  readonly createdAt: string;
  readonly updatedAt: string;
}
