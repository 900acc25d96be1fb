import type { Duplex } from 'node:stream';
import { isValidSerial } from '@fleetwire/contracts';

export const ocppSubprotocol = 'ocpp1.6';

export type PathResult = { readonly serial: string } | { readonly status: 400 | 404; readonly reason: string };

/** `/ocpp/{serial}`, percent-decoded (OCPP-J §3.1.1), then held to the serial pattern before it goes anywhere. */
export function serialFromPath(url: string | undefined): PathResult {
  const path = (url ?? '').split('?', 1)[0] as string;
  const match = /^\/ocpp\/([^/]+)\/?$/.exec(path);
  if (match === null) return { status: 404, reason: 'OCPP endpoint is /ocpp/{serial}' };
  let serial: string;
  try {
    serial = decodeURIComponent(match[1] as string);
  } catch {
    return { status: 400, reason: 'charge point identity is not valid percent-encoding' };
  }
  if (!isValidSerial(serial)) return { status: 400, reason: 'charge point identity must match ^[A-Za-z0-9_-]{1,48}$' };
  return { serial };
}

const statusText: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Answers an upgrade request with a plain HTTP error and closes the socket: nothing was upgraded. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  reason: string,
  headers: Record<string, string> = {},
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${reason}\n`;
  const head = [
    `HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
