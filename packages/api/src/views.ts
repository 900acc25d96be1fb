import type { ChargerRegistration, TransactionRecord } from '@fleetwire/contracts';
import { opModeNames } from '@fleetwire/easee';
import type { ListedCharger, LiveState } from '@fleetwire/store';

/** Fields that hold a time wherever they appear; the model keeps milliseconds, the API shows ISO 8601 UTC. */
const timeFields = new Set([
  'at',
  'updatedAt',
  'since',
  'bootedAt',
  'settledAt',
  'requestedAt',
  'receivedAt',
  'acceptedAt',
  'ocppSeenAt',
  'streamSeenAt',
  'lastSeenAt',
  'appliedAt',
  'reappliedAt',
  'until',
  'confirmedAt',
  'retryAt',
  'expiresAt',
  'heldSince',
  'reportedAt',
]);

/** A copy with every time in milliseconds turned into ISO 8601 UTC, at any depth. */
export function withIsoTimes<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withIsoTimes) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] =
      timeFields.has(key) && typeof inner === 'number' && Number.isFinite(inner)
        ? new Date(inner).toISOString()
        : withIsoTimes(inner);
  }
  return copy as T;
}

export function registrationView(registration: ChargerRegistration) {
  return {
    serial: registration.serial,
    hasPassword: registration.passwordHash !== undefined,
    ...(registration.autoRegistered === true ? { autoRegistered: true } : {}),
    ...(registration.discoveredBy === undefined ? {} : { discoveredBy: registration.discoveredBy }),
    ...(registration.rules === undefined ? {} : { rules: registration.rules }),
    registeredAt: registration.registeredAt,
    updatedAt: registration.updatedAt,
  };
}

function liveView(live: LiveState) {
  const name = live.opMode === undefined ? undefined : opModeNames[live.opMode];
  return withIsoTimes({ ...live, ...(name === undefined ? {} : { opModeName: name }) });
}

export function listedView({ registration, live }: ListedCharger) {
  return { ...registrationView(registration), live: liveView(live) };
}

/** A transaction as the API shows it: its times in ISO, its energy in kWh too, and how long it ran. */
export function transactionView(record: TransactionRecord, now = Date.now()) {
  const start = Date.parse(record.startedAt);
  const end = record.stoppedAt === undefined ? now : Date.parse(record.stoppedAt);
  return {
    ...withIsoTimes(record),
    ...(record.energyWh === undefined ? {} : { energyKWh: Math.round(record.energyWh) / 1000 }),
    ...(Number.isNaN(start) || Number.isNaN(end) ? {} : { durationS: Math.max(0, Math.round((end - start) / 1000)) }),
  };
}
