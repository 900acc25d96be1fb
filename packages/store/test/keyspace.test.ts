import { describe, expect, it } from 'vitest';
import { Keyspace } from '../src/keyspace.ts';

describe('Keyspace.sortedKeys', () => {
  it('stays in order as keys are added, overwritten and removed after it was first sorted', async () => {
    const keyspace = new Keyspace();
    const put = (key: string) => keyspace.write([{ type: 'put', ns: 'charger', key, value: { key } }]);
    for (const key of ['EH0003', 'EH0001', 'EH0005']) await put(key);
    expect(keyspace.sortedKeys('charger')).toEqual(['EH0001', 'EH0003', 'EH0005']);
    for (const key of ['EH0004', 'EH0000', 'EH0009', 'EH0003']) await put(key);
    await keyspace.write([{ type: 'delete', ns: 'charger', key: 'EH0005' }]);
    await keyspace.write([{ type: 'delete', ns: 'charger', key: 'EH0007' }]);
    expect(keyspace.sortedKeys('charger')).toEqual(['EH0000', 'EH0001', 'EH0003', 'EH0004', 'EH0009']);
    expect(keyspace.sortedKeys('charger')).toEqual([...keyspace.sortedKeys('charger')].sort());
  });
});
