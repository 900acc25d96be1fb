import type { FleetEventType, OutboundCommand } from '@fleetwire/contracts';
import type { ChargerContext, EmittedEvent, OcppCallOrder } from './model.ts';

/**
 * Collects what one input produces — fleet events (numbered from the charger's event sequence), Easee commands and
 * orders to send central-system CALLs — in the order it produced them.
 */
export class Reduction {
  readonly events: EmittedEvent[] = [];
  readonly at: number;
  private readonly serial: string;
  private seq: number;

  constructor(context: ChargerContext, at: number) {
    this.serial = context.serial;
    this.seq = context.eventSeq;
    this.at = at;
  }

  emit(type: FleetEventType, data: Record<string, unknown>): void {
    this.seq += 1;
    this.events.push({ id: `${this.serial}:${this.seq}`, type, serial: this.serial, at: this.at, data });
  }

  /** An Easee command to publish, one per attempt; its id names the attempt's ticks. */
  command(data: OutboundCommand['data']): void {
    this.events.push({
      id: `${this.serial}:${data.ticks}`,
      type: 'easee-command',
      serial: this.serial,
      at: this.at,
      data,
    });
  }

  /** A central-system CALL for the host to send; its answer comes back as CS_CALL_SETTLED. */
  order(data: OcppCallOrder['data']): void {
    this.events.push({
      id: `${this.serial}:call:${data.requestId}`,
      type: 'ocpp-call',
      serial: this.serial,
      at: this.at,
      data,
    });
  }

  /** The context with the event sequence advanced past what was emitted. */
  seal(context: ChargerContext): ChargerContext {
    return context.eventSeq === this.seq ? context : { ...context, eventSeq: this.seq };
  }
}

export interface Answer {
  readonly context: ChargerContext;
  readonly response: unknown;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
