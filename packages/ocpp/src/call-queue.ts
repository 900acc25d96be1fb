/** A CALL waiting for its turn, or on the wire. */
export interface QueuedCall {
  readonly action: string;
  readonly payload: unknown;
  /** When it is given up: waiting for its turn counts, unless the queue times calls from their sending. */
  readonly deadline: number;
}

/**
 * What a CallQueue needs from its connection. A connection implements it itself, so that tens of thousands of
 * connections do not each carry a set of closures.
 */
export interface CallQueueDriver<Outcome> {
  /** Puts the CALL on the wire under `id`. */
  sendCall(id: string, call: QueuedCall): void;
  nextCallId(): string;
  /** The outcome of a call whose deadline passed: before its turn (`sent` false) or before its answer. */
  expiredCall(call: QueuedCall, sent: boolean): Outcome;
  /** A call that was on the wire ended, answered or not, after `wireMs`. */
  callSettled?(call: QueuedCall, outcome: Outcome, wireMs: number): void;
  /** Nothing is on the wire any more. */
  callsIdle?(): void;
}

export interface CallQueueLimits {
  /** Calls waiting behind the one in flight; one more is refused. */
  readonly maxWaiting?: number;
  /** A call's deadline runs from its sending rather than its queueing (a client's timeout, not a caller's). */
  readonly timeFromSending?: boolean;
}

interface Entry<Outcome> extends QueuedCall {
  readonly timeoutMs: number;
  readonly resolve: (outcome: Outcome) => void;
}

/**
 * One side's CALLs on one OCPP-J connection: at most one on the wire (OCPP-J §4.1.1), the rest queued in order,
 * each with a deadline. The connection feeds it the answers; the queue says which CALL an answer is for.
 */
export class CallQueue<Outcome> {
  private readonly driver: CallQueueDriver<Outcome>;
  private readonly limits: CallQueueLimits;
  private readonly waiting: Entry<Outcome>[] = [];
  private inFlight: { entry: Entry<Outcome>; id: string; sentAt: number; timer: NodeJS.Timeout } | undefined;

  constructor(driver: CallQueueDriver<Outcome>, limits: CallQueueLimits = {}) {
    this.driver = driver;
    this.limits = limits;
  }

  /** Calls queued, the one on the wire excluded. */
  get queued(): number {
    return this.waiting.length;
  }

  /** The CALL on the wire and its id, if one is. */
  get onTheWire(): { readonly id: string; readonly call: QueuedCall } | undefined {
    return this.inFlight === undefined ? undefined : { id: this.inFlight.id, call: this.inFlight.entry };
  }

  /** The call's outcome when it ends; undefined when the queue is full (nothing was queued). */
  enqueue(action: string, payload: unknown, timeoutMs: number): Promise<Outcome> | undefined {
    if (this.limits.maxWaiting !== undefined && this.waiting.length >= this.limits.maxWaiting) return undefined;
    return new Promise((resolve) => {
      this.waiting.push({ action, payload, timeoutMs, deadline: Date.now() + timeoutMs, resolve });
      this.pump();
    });
  }

  /** The answer to the CALL `id`; false when no CALL with that id is on the wire (a late or unknown answer). */
  settle(id: string, outcome: Outcome): boolean {
    const current = this.inFlight;
    if (current === undefined || current.id !== id) return false;
    clearTimeout(current.timer);
    this.inFlight = undefined;
    this.finish(current.entry, outcome, performance.now() - current.sentAt);
    this.pump();
    if (this.inFlight === undefined) this.driver.callsIdle?.();
    return true;
  }

  /** Ends every call, the one on the wire included, with `outcome` (the connection closed). */
  failAll(outcome: Outcome): void {
    const current = this.inFlight;
    this.inFlight = undefined;
    if (current !== undefined) {
      clearTimeout(current.timer);
      this.finish(current.entry, outcome, performance.now() - current.sentAt);
    }
    for (const entry of this.waiting.splice(0)) this.finish(entry, outcome, undefined);
    if (current !== undefined) this.driver.callsIdle?.();
  }

  /** Ends the calls still waiting for their turn with `outcome`; the one on the wire keeps its chance. */
  failWaiting(outcome: Outcome): void {
    for (const entry of this.waiting.splice(0)) this.finish(entry, outcome, undefined);
  }

  private pump(): void {
    while (this.inFlight === undefined && this.waiting.length > 0) {
      const entry = this.waiting.shift() as Entry<Outcome>;
      const remaining = this.limits.timeFromSending === true ? entry.timeoutMs : entry.deadline - Date.now();
      if (remaining <= 0) {
        this.finish(entry, this.driver.expiredCall(entry, false), undefined);
        continue;
      }
      const id = this.driver.nextCallId();
      const timer = setTimeout(() => this.settle(id, this.driver.expiredCall(entry, true)), remaining);
      this.inFlight = { entry, id, sentAt: performance.now(), timer };
      this.driver.sendCall(id, entry);
    }
  }

  /** `wireMs` undefined: the call never went out. */
  private finish(entry: Entry<Outcome>, outcome: Outcome, wireMs: number | undefined): void {
    if (wireMs !== undefined) this.driver.callSettled?.(entry, outcome, wireMs);
    entry.resolve(outcome);
  }
}
