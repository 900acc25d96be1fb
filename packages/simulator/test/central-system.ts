import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';

export interface ReceivedCall {
  readonly identity: string;
  readonly method: string;
  readonly params: any;
}

type Answer = (params: any, identity: string) => unknown;

/**
 * A central system made of ocpp-rpc in strict mode: an OCPP-J implementation independent of the simulator's,
 * which refuses (with a CALLERROR) any CALL the simulator sends that breaks the OCA 1.6 schema.
 */
export class TestCentralSystem {
  readonly received: ReceivedCall[] = [];
  readonly answers: Record<string, Answer> = {};
  connections = 0;
  closes = 0;
  url = '';
  private readonly server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true, pingIntervalMs: 0 } as any);
  private readonly clients = new Map<string, any>();
  private nextTransactionId = 1;
  private readonly waiters: { match: (call: ReceivedCall) => boolean; resolve: (call: ReceivedCall) => void }[] = [];

  private readonly defaults: Record<string, Answer> = {
    // A currentTime far from the truth: an Easee does not set its clock from it.
    BootNotification: () => ({ status: 'Accepted', interval: 30, currentTime: '2000-01-01T00:00:00.000Z' }),
    Heartbeat: () => ({ currentTime: '2000-01-01T00:00:00.000Z' }),
    StatusNotification: () => ({}),
    Authorize: ({ idTag }) => ({ idTagInfo: { status: String(idTag).startsWith('UNKNOWN') ? 'Invalid' : 'Accepted' } }),
    StartTransaction: () => ({ transactionId: this.nextTransactionId++, idTagInfo: { status: 'Accepted' } }),
    StopTransaction: () => ({}),
    MeterValues: () => ({}),
    DataTransfer: () => ({ status: 'Accepted' }),
  };

  async start(port = 0): Promise<this> {
    this.server.on('client', (client: any) => {
      this.connections += 1;
      this.clients.set(client.identity, client);
      client.on('close', () => {
        this.closes += 1;
        if (this.clients.get(client.identity) === client) this.clients.delete(client.identity);
      });
      client.handle(({ method, params }: { method: string; params: any }) => {
        const call = { identity: client.identity as string, method, params };
        this.received.push(call);
        for (const waiter of [...this.waiters]) {
          if (waiter.match(call)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(call);
          }
        }
        const answer = this.answers[method] ?? this.defaults[method];
        return answer?.(params, client.identity) ?? {};
      });
    });
    const http = await this.server.listen(port, '127.0.0.1');
    this.url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
    return this;
  }

  /** Sends a central-system CALL to a connected charger and resolves with its answer. */
  call(identity: string, method: string, params: unknown): Promise<any> {
    const client = this.clients.get(identity);
    if (client === undefined) throw new Error(`${identity} is not connected`);
    return client.call(method, params);
  }

  of(method: string, identity?: string): ReceivedCall[] {
    return this.received.filter(
      (call) => call.method === method && (identity === undefined || call.identity === identity),
    );
  }

  /** The first call received from now on that matches. */
  next(match: (call: ReceivedCall) => boolean, timeoutMs = 5_000): Promise<ReceivedCall> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching call in time')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      });
    });
  }

  /** Waits until `count` calls of `method` have arrived in all. */
  async until(method: string, count: number, identity?: string, timeoutMs = 5_000): Promise<ReceivedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.of(method, identity).length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} ${method}, got ${this.of(method, identity).length}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.of(method, identity);
  }

  async close(): Promise<void> {
    await this.server.close({ force: true });
  }
}

/** Lets the network and the simulator's promises run: what a real interval of a few milliseconds allows. */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
