import { describe, expect, it } from 'vitest';
import { localListUpdates } from '../src/index.ts';

const accepted = { status: 'Accepted' };
const blocked = { status: 'Blocked' };

describe('localListUpdates', () => {
  it('sends a Full list to a charger that acknowledged none', () => {
    expect(localListUpdates(null, [{ idTag: 'A', idTagInfo: accepted }])).toEqual({
      full: { listVersion: 1, updateType: 'Full', localAuthorizationList: [{ idTag: 'A', idTagInfo: accepted }] },
      differential: null,
    });
  });

  it('sends what changed as a Differential, removals without idTagInfo, and keeps a Full one version on', () => {
    const known = { version: 4, entries: { A: accepted, B: accepted, C: accepted } };
    const updates = localListUpdates(known, [
      { idTag: 'A', idTagInfo: accepted },
      { idTag: 'B', idTagInfo: blocked },
      { idTag: 'D', idTagInfo: accepted },
    ]);
    expect(updates.differential).toEqual({
      listVersion: 5,
      updateType: 'Differential',
      localAuthorizationList: [{ idTag: 'B', idTagInfo: blocked }, { idTag: 'D', idTagInfo: accepted }, { idTag: 'C' }],
    });
    expect(updates.full.listVersion).toBe(6);
    expect(updates.full.localAuthorizationList.map((entry) => entry.idTag)).toEqual(['A', 'B', 'D']);
  });
});
