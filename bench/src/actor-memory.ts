/**
 * What one charger's actor holds in the worker's heap, measured in a process of its own with --expose-gc: `count`
 * charger actors (the charger logic), each connected, booted and status-reported (what P1 and P4 keep for an idle
 * charger), then the same chargers kept as their last snapshot only, then as its persisted JSON only.
 * Prints one JSON line: bytes per charger of each.
 */

import { chargerLogic, persistedChargerSnapshot } from '@fleetwire/charger';
import { createActor } from 'xstate';

const count = Number(process.argv[2] ?? 5_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function heapAfterGc(): number {
  for (let i = 0; i < 4; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

const empty = heapAfterGc();
const actors = Array.from({ length: count }, (_, i) => {
  const actor = createActor(chargerLogic, { input: { serial: `EHMEM${i}`, heartbeatIntervalS: 180 } });
  actor.on('*', () => {});
  actor.start();
  const at = Date.now();
  const sessionId = `edge.${i}`;
  actor.send({ type: 'SESSION_OPENED', at, sessionId, edgeId: 'edge', remoteAddress: '127.0.0.1' } as never);
  const call = (messageId: string, action: string, payload: unknown) =>
    actor.send({ type: 'CALL', at, sessionId, messageId, action, payload, receivedAt: at } as never);
  call('1', 'BootNotification', { chargePointVendor: 'Easee', chargePointModel: 'Home' });
  call('2', 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  return actor;
});
const live = heapAfterGc();
const snapshots = actors.map((actor) => actor.getSnapshot());
for (const actor of actors) actor.stop();
actors.length = 0;
const snapshotOnly = heapAfterGc();
const persisted = snapshots.map((snapshot) => JSON.stringify(persistedChargerSnapshot(snapshot)));
snapshots.length = 0;
const jsonOnly = heapAfterGc();
process.stdout.write(
  `${JSON.stringify({
    count,
    liveActor: (live - empty) / count,
    snapshotOnly: (snapshotOnly - empty) / count,
    jsonOnly: (jsonOnly - empty) / count,
    jsonChars: persisted.reduce((sum, text) => sum + text.length, 0) / count,
  })}\n`,
);
