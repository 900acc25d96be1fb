import { RPCClient } from 'ocpp-rpc';
import WebSocket from 'ws';

export interface ChargerOptions {
  readonly password?: string;
  readonly protocols?: string[];
  readonly callTimeoutMs?: number;
}

/**
 * A charger made of ocpp-rpc, an OCPP-J implementation independent of ours. Strict mode validates what it sends
 * and every answer it gets against the OCA 1.6 schemas: an invalid answer from Fleetwire fails the call.
 */
export async function connectCharger(
  ocppUrl: string,
  serial: string,
  options: ChargerOptions = {},
): Promise<RPCClient> {
  const client = new RPCClient({
    endpoint: ocppUrl,
    identity: serial,
    protocols: options.protocols ?? ['ocpp1.6'],
    strictMode: true,
    reconnect: false,
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    ...(options.password === undefined ? {} : { password: options.password }),
  } as ConstructorParameters<typeof RPCClient>[0]);
  await client.connect();
  return client;
}

export interface RawSocket {
  readonly ws: WebSocket;
  readonly messages: unknown[];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Waits for the next frame that satisfies `match`. */
  next(match?: (message: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
}

/** A bare WebSocket, for frames no correct OCPP client would send. */
export function openRawSocket(
  url: string,
  protocols: string[] = ['ocpp1.6'],
  headers: Record<string, string> = {},
): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers });
    const messages: unknown[] = [];
    const waiters: { match: (message: unknown) => boolean; resolve: (message: unknown) => void }[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      messages.push(message);
      const index = waiters.findIndex((waiter) => waiter.match(message));
      if (index >= 0) waiters.splice(index, 1)[0]?.resolve(message);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolveClose) =>
      ws.on('close', (code, reason) => resolveClose({ code, reason: reason.toString() })),
    );
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) =>
      reject(Object.assign(new Error('http'), { status: response.statusCode })),
    );
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        closed,
        next: (match = () => true, timeoutMs = 5_000) =>
          new Promise((resolveNext, rejectNext) => {
            const found = messages.find(match);
            if (found !== undefined) {
              messages.splice(messages.indexOf(found), 1);
              return resolveNext(found);
            }
            const timer = setTimeout(() => rejectNext(new Error('no matching frame in time')), timeoutMs);
            waiters.push({
              match,
              resolve: (message) => {
                clearTimeout(timer);
                messages.splice(messages.indexOf(message), 1);
                resolveNext(message);
              },
            });
          }),
      }),
    );
  });
}

export function basicAuth(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}
