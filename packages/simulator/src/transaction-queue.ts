import type { ChargePointListener } from './easee-charge-point.ts';
import { CallErrorResponse } from './ocpp-link.ts';

/** A transaction message waiting to be sent; built when sent, so that it carries the transaction id learnt since. */
export interface QueuedTransactionMessage {
  readonly action: 'StartTransaction' | 'StopTransaction' | 'MeterValues';
  readonly build: () => unknown;
  readonly onAnswer?: (response: unknown) => void;
}

/** What the queue needs from its charge point. */
export interface TransactionQueueHost {
  readonly serial: string;
  readonly isBooted: boolean;
  readonly listener: ChargePointListener | undefined;
  call(action: string, payload: unknown): Promise<unknown>;
  /** TransactionMessageRetryInterval, in the charge point's time. */
  retryAfter(retry: () => void): void;
}

const maxQueuedTransactionMessages = 1_000;

/**
 * A charge point's transaction messages, kept while it is off line and sent in order once it is booted: a message
 * stays at the head until the central system answers it (OCPP 1.6 §4.7); one without an answer is tried again
 * after the retry interval, one answered with a CALLERROR is not (repeating it will not help).
 */
export class TransactionQueue {
  private readonly host: TransactionQueueHost;
  private readonly messages: QueuedTransactionMessage[] = [];
  private running: Promise<void> | undefined;

  constructor(host: TransactionQueueHost) {
    this.host = host;
  }

  get length(): number {
    return this.messages.length;
  }

  enqueue(message: QueuedTransactionMessage): void {
    if (this.messages.length >= maxQueuedTransactionMessages) {
      this.host.listener?.onError?.(this.host.serial, 'queue', `transaction queue full: ${message.action} dropped`);
      return;
    }
    this.messages.push(message);
    void this.pump();
  }

  /** Sends what is queued, in order; settles when it stopped (empty, off line, or waiting to retry). */
  pump(): Promise<void> {
    this.running ??= this.sendAll().then((stalled) => {
      this.running = undefined;
      if (stalled) this.host.retryAfter(() => void this.pump());
      else if (this.host.isBooted && this.messages.length > 0) void this.pump();
    });
    return this.running;
  }

  /** Sends until nothing is left or nothing moves (before a reboot, as a charger flushes its queue). */
  async drain(): Promise<void> {
    while (this.host.isBooted && this.messages.length > 0) {
      const before = this.messages.length;
      await this.pump();
      if (this.messages.length >= before) return;
    }
  }

  /** Whether it stopped on a failure (no answer) with messages left. */
  private async sendAll(): Promise<boolean> {
    const { host } = this;
    while (host.isBooted && this.messages.length > 0) {
      const head = this.messages[0] as QueuedTransactionMessage;
      let response: unknown;
      const payload = head.build();
      host.listener?.onTransactionMessageSent?.(host.serial, head.action, payload);
      try {
        response = await host.call(head.action, payload);
        host.listener?.onTransactionMessage?.(host.serial, head.action, payload, response);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        host.listener?.onError?.(host.serial, 'call', `${head.action}: ${message}`);
        if (!(error instanceof CallErrorResponse)) return host.isBooted;
      }
      this.messages.shift();
      if (response !== undefined) head.onAnswer?.(response);
    }
    return false;
  }
}
