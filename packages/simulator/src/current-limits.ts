/** A limit set from the stream, until an instant (Infinity: until cleared). */
export interface TimedLimit<T> {
  readonly amps: T;
  readonly until: number;
}

/** What a stream command that sets a limit changed: the observations the charger reports, and whether it is in flash. */
export interface LimitChange {
  readonly observations: readonly (readonly [observationId: number, value: unknown])[];
  readonly flashWrite: boolean;
  /** Whether what the car may draw could have changed (the fallback current only matters off line). */
  readonly affectsOffer: boolean;
}

const phaseCurrents = (args: Record<string, unknown>): number[] => [
  Number(args.currentP1),
  Number(args.currentP2),
  Number(args.currentP3),
];

/**
 * The currents an Easee obeys besides its charging profiles (docs/reference/easee.md §3): the charger's and the
 * circuit's maximum (in flash), their dynamic values (volatile, with a TTL), the offline fallback and the enable flag.
 */
export class CurrentLimits {
  /** Offered current from the stream (SetDynamicChargerCurrent) or the DynamicChargerCurrent key: volatile. */
  dynamicCurrent: TimedLimit<number> | undefined;
  /** The circuit's dynamic current per phase (SetDynamicCircuitCurrent), volatile, with an expiry. */
  dynamicCircuitCurrent: TimedLimit<readonly number[]> | undefined;
  /** What the charger falls back to per phase when it loses its cloud (SetDynamicCurrentOfflineFallback). */
  offlineFallbackA: readonly number[] = [0, 0, 0];
  /** The circuit's maximum per phase, in flash (SetMaxCircuitCurrent). */
  maxCircuitCurrentA: readonly number[] = [32, 32, 32];
  enabled = true;
  maxChargerCurrentA: number;

  constructor(maxChargerCurrentA: number) {
    this.maxChargerCurrentA = maxChargerCurrentA;
  }

  /** The current the charger may offer at `now` on `phases` phases, before any charging profile. */
  offeredA(now: number, phases: number): number {
    if (!this.enabled) return 0;
    if (this.dynamicCurrent !== undefined && this.dynamicCurrent.until <= now) this.dynamicCurrent = undefined;
    if (this.dynamicCircuitCurrent !== undefined && this.dynamicCircuitCurrent.until <= now) {
      this.dynamicCircuitCurrent = undefined;
    }
    let offered = Math.min(this.maxChargerCurrentA, ...this.maxCircuitCurrentA.slice(0, phases));
    if (this.dynamicCurrent !== undefined) offered = Math.min(offered, this.dynamicCurrent.amps);
    if (this.dynamicCircuitCurrent !== undefined) {
      offered = Math.min(offered, ...this.dynamicCircuitCurrent.amps.slice(0, phases));
    }
    return offered;
  }

  /** How long until a dynamic limit expires, for each one set. */
  expiries(now: number): (number | undefined)[] {
    return [this.dynamicCurrent?.until, this.dynamicCircuitCurrent?.until].map((until) =>
      until === undefined ? undefined : until - now,
    );
  }

  /** A reboot or power cut: the volatile limits are gone. */
  forgetVolatile(): void {
    this.dynamicCurrent = undefined;
    this.dynamicCircuitCurrent = undefined;
  }

  /**
   * Applies a limit-setting stream command (48, 47, 22, 24, 21, 29); undefined for any other. `until` turns the
   * command's TTL in minutes into an instant.
   */
  apply(
    commandId: number,
    args: Record<string, unknown>,
    until: (ttlMinutes: number) => number,
  ): LimitChange | undefined {
    const ttlEnd = () => {
      const ttl = Number(args.ttlMinutes ?? 0);
      return ttl > 0 ? until(ttl) : Number.POSITIVE_INFINITY;
    };
    switch (commandId) {
      case 48: {
        const amps = Number(args.current);
        this.dynamicCurrent = { amps, until: ttlEnd() };
        return { observations: [[48, amps]], flashWrite: false, affectsOffer: true };
      }
      case 47:
        this.maxChargerCurrentA = Number(args.current);
        return { observations: [[47, this.maxChargerCurrentA]], flashWrite: true, affectsOffer: true };
      case 22: {
        const amps = phaseCurrents(args);
        this.dynamicCircuitCurrent = { amps, until: ttlEnd() };
        return { observations: perPhase(111, amps), flashWrite: false, affectsOffer: true };
      }
      case 24:
        this.maxCircuitCurrentA = phaseCurrents(args);
        return { observations: perPhase(22, this.maxCircuitCurrentA), flashWrite: true, affectsOffer: true };
      case 21:
        this.offlineFallbackA = phaseCurrents(args);
        return { observations: perPhase(50, this.offlineFallbackA), flashWrite: false, affectsOffer: false };
      case 29:
        this.enabled = args.enabled === true;
        return { observations: [[31, this.enabled]], flashWrite: false, affectsOffer: true };
      default:
        return undefined;
    }
  }
}

/** One observation per phase, the first phase's id being `firstId`. */
function perPhase(firstId: number, amps: readonly number[]): [number, number][] {
  return amps.map((value, phase) => [firstId + phase, value]);
}
