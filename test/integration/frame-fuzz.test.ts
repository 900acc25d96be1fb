import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { openRawSocket, type RawSocket } from '../harness/chargers.ts';
import { FleetwireProcess } from '../harness/fleetwire-process.ts';

// OCPP-J 1.6 §4.2.3: the error codes a CALLERROR may carry.
const ocppErrorCodes = new Set([
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
]);

const actions = [
  'BootNotification',
  'Heartbeat',
  'StatusNotification',
  'Authorize',
  'StartTransaction',
  'StopTransaction',
  'MeterValues',
  'DataTransfer',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Reset',
  'NoSuchAction',
];

/** What a hostile charger sends: well-formed CALLs with garbage payloads, broken frames, and plain noise. */
const frame = fc.oneof(
  fc
    .tuple(fc.string({ maxLength: 40 }), fc.constantFrom(...actions), fc.jsonValue({ maxDepth: 3 }))
    .map(([id, action, payload]) => JSON.stringify([2, id, action, payload])),
  fc
    .tuple(fc.constantFrom(2, 3, 4, 5, '2', -1, 1e308), fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }))
    .map(([type, id, rest]) => JSON.stringify([type, id, rest])),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
);

describe('frames a hostile charger sends, fuzzed against a real edge', () => {
  const fleetwire = new FleetwireProcess({ env: { FLEETWIRE_AUTO_REGISTER: 'true' } });
  let socket: RawSocket;
  let sentinel = 0;

  beforeAll(async () => {
    await fleetwire.start();
    socket = await openRawSocket(`${fleetwire.ocppUrl}/EHFUZZ001`);
  });

  afterAll(async () => {
    socket?.ws.close();
    expect(await fleetwire.stop()).toBe(0);
  });

  it('answers every frame with a CALLRESULT or an OCPP-J CALLERROR, or drops it, and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 20 }), async (frames) => {
        socket.messages.length = 0;
        for (const text of frames) socket.ws.send(text);
        // The next valid CALL is answered: the connection and the process survived the batch.
        const id = `sentinel-${++sentinel}`;
        socket.ws.send(JSON.stringify([2, id, 'Heartbeat', {}]));
        const answer = (await socket.next((message) => (message as unknown[])[1] === id, 10_000)) as unknown[];
        expect(answer[0]).toBe(3);
        for (const message of socket.messages as unknown[][]) {
          expect(Array.isArray(message), JSON.stringify(message)).toBe(true);
          if (message[0] === 3) {
            expect(message).toHaveLength(3);
            expect(typeof message[2]).toBe('object');
          } else {
            expect(message[0], JSON.stringify(message)).toBe(4);
            expect(message).toHaveLength(5);
            expect(ocppErrorCodes.has(String(message[2])), String(message[2])).toBe(true);
            expect(typeof message[3]).toBe('string');
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(fleetwire.running).toBe(true);
    const health = await new ApiClient(fleetwire.apiUrl, undefined).get('/healthz');
    expect(health.status).toBe(200);
  }, 120_000);
});
