import { asString, fieldOf } from '../lenient.ts';
import type { BootInfo, CallLookups, ChargerContext } from '../model.ts';
import { type Answer, isoTime, type Reduction } from '../reduction.ts';
import { reapplyCurrentLimit } from './current-limit.ts';

const bootFields = [
  'chargePointVendor',
  'chargePointModel',
  'chargePointSerialNumber',
  'chargeBoxSerialNumber',
  'firmwareVersion',
  'iccid',
  'imsi',
  'meterType',
  'meterSerialNumber',
] as const;

export function bootNotification(
  context: ChargerContext,
  payload: unknown,
  lookups: CallLookups,
  reduction: Reduction,
): Answer {
  const boot: Record<string, unknown> = { bootedAt: reduction.at };
  for (const field of bootFields) {
    const value = asString(fieldOf(payload, field));
    if (value !== undefined) boot[field] = value;
  }
  const interval = lookups.heartbeatIntervalS;
  reduction.emit('boot', { ...boot, heartbeatIntervalS: interval });
  // A boot is a reboot of the charger, which resets its dynamic current.
  const booted = reapplyCurrentLimit(
    { ...context, boot: boot as unknown as BootInfo, heartbeatIntervalS: interval },
    'reboot',
    reduction,
  );
  return {
    context: booted,
    response: { status: 'Accepted', currentTime: isoTime(reduction.at), interval },
  };
}

export function heartbeat(context: ChargerContext, reduction: Reduction): Answer {
  return { context, response: { currentTime: isoTime(reduction.at) } };
}
