import type { ChargerContext } from '@fleetwire/charger';
import type { ChargerFacts } from '@fleetwire/command-rules';
import { easeeBudget, fullBudget } from '@fleetwire/command-rules';

const outputPhaseObservation = 110;
const lineToNeutralVoltage = 194;

/**
 * Phases the charger charges on, from the stream's OutputPhase (10-15 one phase, 20-22 two, 30 three), and its
 * voltage, from the L1-N measurement; OCPP's defaults (3 phases, 230 V) when the stream has not said.
 */
export function chargerFacts(context: ChargerContext, now: number): ChargerFacts {
  const phase = context.stream.observations[outputPhaseObservation]?.value;
  const volts = context.stream.observations[lineToNeutralVoltage]?.value;
  return {
    installedProfiles: context.smartCharging.installed,
    writeBudget: context.smartCharging.writeBudget ?? fullBudget(easeeBudget, now),
    phases: typeof phase === 'number' && phase >= 10 ? Math.floor(phase / 10) : 3,
    voltage: typeof volts === 'number' && volts > 100 ? volts : 230,
  };
}
