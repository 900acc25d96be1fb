import { describe, expect, it } from 'vitest';
import { assign, createActor, createMachine } from 'xstate';
import { chargerLogic } from '../src/index.ts';

describe('persistence on the XState development build', () => {
  it('runs on the development build, which refuses to persist an inline child', () => {
    const parent = createMachine({
      context: {},
      entry: assign({ child: ({ spawn }) => spawn(createMachine({})) }),
    });
    const actor = createActor(parent).start();
    expect(() => actor.getPersistedSnapshot()).toThrow(/inline child actor cannot be persisted/);
  });

  it('persists the charger actor, which spawns no child actors', () => {
    const actor = createActor(chargerLogic, { input: { serial: 'EH1', heartbeatIntervalS: 300 } }).start();
    actor.send({ type: 'SESSION_OPENED', at: 0, connectedAt: 0, sessionId: 's', edgeId: 'e' });
    expect(() => JSON.stringify(actor.getPersistedSnapshot())).not.toThrow();
  });
});
