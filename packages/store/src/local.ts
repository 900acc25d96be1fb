import { join } from 'node:path';
import { FileJournal } from './file-journal.ts';
import { Keyspace } from './keyspace.ts';
import {
  KeyspaceChargerRegistry,
  KeyspaceIdTagStore,
  KeyspaceSiteStore,
  KeyspaceSnapshotStore,
  KeyspaceTokenStore,
  KeyspaceTransactionStore,
} from './keyspace-stores.ts';
import { LocalEventLog } from './local-event-log.ts';
import { ensureDataDir, type RepairNotice } from './record-file.ts';
import type { Stores } from './stores.ts';

function storesOver(keyspace: Keyspace, events: LocalEventLog, shardCount: number): Stores {
  return {
    chargers: new KeyspaceChargerRegistry(keyspace, shardCount),
    sites: new KeyspaceSiteStore(keyspace, shardCount),
    idTags: new KeyspaceIdTagStore(keyspace),
    tokens: new KeyspaceTokenStore(keyspace),
    snapshots: new KeyspaceSnapshotStore(keyspace),
    transactions: new KeyspaceTransactionStore(keyspace),
    events,
    close: async () => {
      await events.close();
      await keyspace.close();
    },
  };
}

/** Stores that live and die with the process: unit tests. */
export function memoryStores(shardCount = 256): Stores {
  return storesOver(new Keyspace(), LocalEventLog.inMemory(), shardCount);
}

/**
 * The embedded default: everything under one directory (FLEETWIRE_DATA_DIR), synced before acknowledged, every
 * record checksummed. `notice` hears of repairs made on open (a torn tail cut off).
 */
export async function fileStores(dir: string, shardCount = 256, notice?: RepairNotice): Promise<Stores> {
  await ensureDataDir(dir);
  const keyspace = new Keyspace();
  keyspace.useDurability(await FileJournal.open(join(dir, 'state'), keyspace, notice === undefined ? {} : { notice }));
  const events = await LocalEventLog.open(join(dir, 'events'), notice === undefined ? {} : { notice });
  return storesOver(keyspace, events, shardCount);
}
