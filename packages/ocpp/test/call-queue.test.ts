import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallQueue, type CallQueueDriver, type QueuedCall } from '../src/index.ts';

type Outcome = { ok: true; payload: unknown } | { ok: false; reason: string };

class Wire implements CallQueueDriver<Outcome> {
  readonly sent: { id: string; action: string }[] = [];
  readonly settled: { action: string; ok: boolean }[] = [];
  idle = 0;
  private seq = 0;
  sendCall(id: string, call: QueuedCall): void {
    this.sent.push({ id, action: call.action });
  }
  nextCallId(): string {
    this.seq += 1;
    return `c${this.seq}`;
  }
  expiredCall(_call: QueuedCall, sent: boolean): Outcome {
    return { ok: false, reason: sent ? 'no answer' : 'no turn' };
  }
  callSettled(call: QueuedCall, outcome: Outcome): void {
    this.settled.push({ action: call.action, ok: outcome.ok });
  }
  callsIdle(): void {
    this.idle += 1;
  }
}

describe('CallQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('puts one CALL on the wire at a time, in order, and matches each answer by its id', async () => {
    const wire = new Wire();
    const queue = new CallQueue<Outcome>(wire);
    const first = queue.enqueue('Reset', {}, 30_000);
    const second = queue.enqueue('ClearCache', {}, 30_000);
    expect(wire.sent.map((call) => call.action)).toEqual(['Reset']);
    expect(queue.settle('c9', { ok: true, payload: 'late' })).toBe(false);
    expect(queue.settle('c1', { ok: true, payload: 'one' })).toBe(true);
    expect(await first).toEqual({ ok: true, payload: 'one' });
    expect(wire.sent.map((call) => call.action)).toEqual(['Reset', 'ClearCache']);
    queue.settle('c2', { ok: true, payload: 'two' });
    expect(await second).toEqual({ ok: true, payload: 'two' });
    expect(wire.settled).toEqual([
      { action: 'Reset', ok: true },
      { action: 'ClearCache', ok: true },
    ]);
    expect(wire.idle).toBe(1);
  });

  it("counts a caller's wait for its turn against its deadline, unless told to time from the sending", async () => {
    const callerWire = new Wire();
    const callers = new CallQueue<Outcome>(callerWire);
    const slow = callers.enqueue('GetConfiguration', {}, 10_000);
    const behind = callers.enqueue('ClearCache', {}, 5_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await slow).toEqual({ ok: false, reason: 'no answer' });
    expect(await behind).toEqual({ ok: false, reason: 'no turn' });
    expect(callerWire.sent).toHaveLength(1);

    const chargerWire = new Wire();
    const charger = new CallQueue<Outcome>(chargerWire, { timeFromSending: true });
    void charger.enqueue('MeterValues', {}, 10_000);
    const next = charger.enqueue('StatusNotification', {}, 5_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(chargerWire.sent.map((call) => call.action)).toEqual(['MeterValues', 'StatusNotification']);
    charger.settle('c2', { ok: true, payload: {} });
    expect(await next).toEqual({ ok: true, payload: {} });
  });

  it('refuses a call past its limit of waiting ones, and ends them all when the connection goes', async () => {
    const wire = new Wire();
    const queue = new CallQueue<Outcome>(wire, { maxWaiting: 1 });
    const onWire = queue.enqueue('Reset', {}, 30_000);
    const waiting = queue.enqueue('ClearCache', {}, 30_000);
    expect(queue.enqueue('UnlockConnector', {}, 30_000)).toBeUndefined();
    queue.failAll({ ok: false, reason: 'disconnected' });
    expect(await onWire).toEqual({ ok: false, reason: 'disconnected' });
    expect(await waiting).toEqual({ ok: false, reason: 'disconnected' });
    expect(wire.settled).toEqual([{ action: 'Reset', ok: false }]);
    expect(queue.onTheWire).toBeUndefined();
  });
});
