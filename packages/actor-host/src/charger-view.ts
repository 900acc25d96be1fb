import type { ChargerContext } from '@fleetwire/charger';
import { ObservationId, observationCatalog, opModeNames } from '@fleetwire/easee';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function observedValue(context: ChargerContext, id: number): unknown {
  return context.stream.observations[id]?.value ?? null;
}

/** What the operator API shows of a charger: both channels, and the live figures with their source. */
export function chargerView(state: string, context: ChargerContext) {
  const observations = Object.fromEntries(
    Object.entries(context.stream.observations).map(([id, observed]) => [
      observationCatalog.get(Number(id))?.name ?? id,
      { value: observed.value, timestamp: new Date(observed.timestamp).toISOString() },
    ]),
  );
  const opMode = observedValue(context, ObservationId.ChargerOpMode);
  const activeTransaction = Object.values(context.transactions)[0];
  // Easee's cloud OCPP sends MeterValues per kWh only: live power and session energy come from the stream.
  const streamPower = observedValue(context, ObservationId.TotalPower);
  const streamEnergy = observedValue(context, ObservationId.SessionEnergy);
  return {
    serial: context.serial,
    ocpp: {
      connected: state === 'online',
      session: context.session,
      lastSeenAt: iso(context.lastSeenAt),
      boot: context.boot,
      heartbeatIntervalS: context.heartbeatIntervalS,
      connectors: context.connectors,
      activeTransactions: Object.values(context.transactions),
      firmware: context.firmware,
      diagnostics: context.diagnostics,
    },
    stream: {
      lastSeenAt: iso(context.stream.lastSeenAt),
      opMode: typeof opMode === 'number' ? { value: opMode, name: opModeNames[opMode] ?? null } : null,
      status: context.stream.status,
      connectedToCloud: observedValue(context, ObservationId.ConnectedToCloud),
      session: context.stream.session,
      recentSessions: context.stream.recentSessions,
      pendingCommands: Object.values(context.stream.commands),
      recentCommands: context.stream.recentCommands,
      observations,
    },
    live: {
      powerW:
        typeof streamPower === 'number'
          ? { value: streamPower, source: 'stream' }
          : activeTransaction?.powerW === undefined
            ? null
            : { value: activeTransaction.powerW, source: 'ocpp' },
      sessionEnergyWh:
        typeof streamEnergy === 'number'
          ? { value: streamEnergy, source: 'stream' }
          : activeTransaction?.energyWh === undefined
            ? null
            : { value: activeTransaction.energyWh, source: 'ocpp' },
    },
  };
}
