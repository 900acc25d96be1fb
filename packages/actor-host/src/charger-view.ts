import { type ChargerContext, observationEntries, observedValue, streamStaleAfterMs } from '@fleetwire/charger';
import { ObservationId, observationCatalog, opModeNames } from '@fleetwire/easee';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * What the operator API shows of a charger: both channels, and the live figures with their source. Stream data
 * older than `streamStaleAfterMs` is marked stale and yields to OCPP's figures: Easee's stream goes quiet when a
 * charger loses power, so its last values are history, not the present (docs/reference/easee.md §6.5).
 */
export function chargerView(context: ChargerContext, now: number) {
  const observations = Object.fromEntries(
    observationEntries(context.stream).map(([id, observed]) => [
      observationCatalog.get(id)?.name ?? String(id),
      { value: observed.value, timestamp: new Date(observed.timestamp).toISOString() },
    ]),
  );
  const opMode = observedValue(context.stream, ObservationId.ChargerOpMode);
  const activeTransaction = context.transactions[0];
  // Easee's cloud OCPP sends MeterValues per kWh only: live power and session energy come from the stream.
  const streamSeen = context.stream.lastSeenAt;
  const stale = streamSeen !== null && now - streamSeen >= streamStaleAfterMs;
  const streamPower = observedValue(context.stream, ObservationId.TotalPower);
  const streamEnergy = observedValue(context.stream, ObservationId.SessionEnergy);
  const live = (streamValue: unknown, ocppValue: number | undefined) => {
    if (typeof streamValue === 'number' && !stale) return { value: streamValue, source: 'stream' };
    if (ocppValue !== undefined) return { value: ocppValue, source: 'ocpp' };
    return typeof streamValue === 'number' ? { value: streamValue, source: 'stream', stale: true } : null;
  };
  return {
    serial: context.serial,
    ocpp: {
      connected: context.session !== null,
      session: context.session,
      lastSeenAt: iso(context.lastSeenAt),
      boot: context.boot,
      heartbeatIntervalS: context.heartbeatIntervalS,
      connectors: context.connectors,
      activeTransactions: context.transactions,
      wantedAvailability: context.availability.wanted,
      configuration: context.configuration,
      firmware: context.firmware,
      diagnostics: context.diagnostics,
    },
    stream: {
      lastSeenAt: iso(context.stream.lastSeenAt),
      stale,
      opMode: typeof opMode === 'number' ? opMode : null,
      opModeName: typeof opMode === 'number' ? (opModeNames[opMode] ?? null) : null,
      status: context.stream.status,
      connectedToCloud: observedValue(context.stream, ObservationId.ConnectedToCloud) ?? null,
      session: context.stream.session,
      recentSessions: context.stream.recentSessions,
      pendingCommands: Object.values(context.stream.commands),
      recentCommands: context.stream.recentCommands,
      observations,
    },
    measured: {
      powerW: live(streamPower, activeTransaction?.powerW),
      sessionEnergyWh: live(streamEnergy, activeTransaction?.energyWh),
    },
    dynamicCurrent: context.dynamicCurrent,
  };
}
