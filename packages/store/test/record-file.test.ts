import { appendFile, mkdtemp, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptRecordError, checkDataDir, fileStores, repairDataDir } from '../src/index.ts';

const registration = (serial: string) => ({ serial, registeredAt: 'now', updatedAt: 'now' });

async function dataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'fleetwire-records-'));
}

describe('record files of the embedded store', () => {
  it('cuts a torn last record off on open, so the next acknowledged write survives the restart after it', async () => {
    const dir = await dataDir();
    let stores = await fileStores(dir, 4);
    await stores.chargers.put(registration('TA1'));
    await stores.chargers.put(registration('TA2'));
    await stores.close();
    const journal = join(dir, 'state', 'journal.jsonl');
    await truncate(journal, (await stat(journal)).size - 5);

    const notices: unknown[] = [];
    stores = await fileStores(dir, 4, (message, details) => notices.push({ message, ...details }));
    expect(notices).toMatchObject([{ message: 'torn tail cut off', file: journal }]);
    expect(await stores.chargers.get('TA1')).toBeDefined();
    expect(await stores.chargers.get('TA2')).toBeUndefined();
    await stores.chargers.put(registration('TB1'));
    await stores.close();

    stores = await fileStores(dir, 4);
    expect(await stores.chargers.get('TB1')).toMatchObject({ serial: 'TB1' });
    await stores.close();
  });

  it('never gives an event sequence number twice, even when the record that had it was torn off', async () => {
    const dir = await dataDir();
    let stores = await fileStores(dir, 4);
    const event = (n: number) => ({ id: `EH1:${n}`, type: 'boot' as const, serial: 'EH1', at: n, data: {} });
    await stores.events.append([event(1), event(2), event(3)]);
    await stores.close();
    const file = join(dir, 'events', 'events.jsonl');
    await truncate(file, (await stat(file)).size - 5);
    stores = await fileStores(dir, 4);
    await stores.events.append([event(4)]);
    const seqs = (await stores.events.read(0, 10)).map((stored) => stored.seq);
    expect(seqs).toEqual([1, 2, 4]);
    await stores.close();
  });

  it('refuses to start on a damaged record in the middle of a file, naming the file and the offset', async () => {
    const dir = await dataDir();
    let stores = await fileStores(dir, 4);
    for (const serial of ['TC1', 'TC2', 'TC3']) await stores.chargers.put(registration(serial));
    await stores.close();
    const journal = join(dir, 'state', 'journal.jsonl');
    const lines = (await readFile(journal, 'utf8')).split('\n');
    const damagedAt = Buffer.byteLength(`${lines[0]}\n`);
    lines[1] = (lines[1] as string).replace('TC2', 'TX2');
    await writeFile(journal, lines.join('\n'));

    const opening = fileStores(dir, 4);
    await expect(opening).rejects.toBeInstanceOf(CorruptRecordError);
    await expect(opening).rejects.toThrow(`${journal}: bad record at byte ${damagedAt} (checksum mismatch)`);

    const damaged = (await checkDataDir(dir)).filter((report) => report.corrupt.length > 0);
    expect(damaged).toMatchObject([{ path: journal, corrupt: [{ offset: damagedAt, reason: 'checksum mismatch' }] }]);
    const repaired = (await repairDataDir(dir, new Date('2026-12-01T00:00:00Z'))).find(
      (report) => report.quarantinedTo !== undefined,
    );
    expect(repaired?.quarantinedTo).toBe(`${journal}.quarantine-2026-12-01T00-00-00.000Z`);
    expect(await readFile(repaired?.quarantinedTo as string, 'utf8')).toContain('TX2');
    stores = await fileStores(dir, 4);
    expect(await stores.chargers.get('TC1')).toBeDefined();
    expect(await stores.chargers.get('TC3')).toBeDefined();
    await stores.close();
  });

  it('reads the plain JSON lines an earlier release wrote', async () => {
    const dir = await dataDir();
    const stores = await fileStores(dir, 4);
    await stores.close();
    const op = { type: 'put', ns: 'charger', key: 'TL1', value: registration('TL1') };
    await appendFile(join(dir, 'state', 'journal.jsonl'), `${JSON.stringify(op)}\n`);
    const reopened = await fileStores(dir, 4);
    expect(await reopened.chargers.get('TL1')).toBeDefined();
    await reopened.close();
    expect((await checkDataDir(dir)).find((report) => report.path.endsWith('journal.jsonl'))).toMatchObject({
      legacy: 1,
      corrupt: [],
      tornTail: null,
    });
  });

  it('keeps its files and directories readable by their owner only', async () => {
    const dir = await dataDir();
    const stores = await fileStores(dir, 4);
    await stores.chargers.put(registration('TP1'));
    await stores.events.append([{ id: 'TP1:1', type: 'boot', serial: 'TP1', at: 1, data: {} }]);
    await stores.close();
    for (const sub of ['state', 'events']) {
      expect((await stat(join(dir, sub))).mode & 0o777).toBe(0o700);
      for (const file of await readdir(join(dir, sub))) {
        expect((await stat(join(dir, sub, file))).mode & 0o777, file).toBe(0o600);
      }
    }
  });

  it('writes a large group commit as one compressed block, and cuts a torn block off whole', async () => {
    const dir = await dataDir();
    let stores = await fileStores(dir, 4);
    await stores.events.append([{ id: 'EH1:0', type: 'boot', serial: 'EH1', at: 0, data: {} }]);
    const event = (n: number) => ({
      id: `EH1:${n}`,
      type: 'meter-values' as const,
      serial: 'EH1',
      at: n,
      data: { measurand: 'Energy.Active.Import.Register', value: String(1_000_000 + n), unit: 'Wh' },
    });
    const burst = Array.from({ length: 200 }, (_, i) => event(i + 1));
    await stores.events.append(burst);
    await stores.close();
    const file = join(dir, 'events', 'events.jsonl');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^[0-9a-f]{8} z/);
    const plainBytes = burst.reduce((sum, e) => sum + JSON.stringify(e).length, 0);
    expect((await stat(file)).size).toBeLessThan(plainBytes / 4);
    stores = await fileStores(dir, 4);
    expect((await stores.events.read(0, 500)).map((stored) => stored.event.id)).toEqual([
      'EH1:0',
      ...burst.map((e) => e.id),
    ]);
    await stores.close();

    // A crash mid-write of the block: none of its records was acknowledged, and none comes back.
    await truncate(file, (await stat(file)).size - 5);
    stores = await fileStores(dir, 4);
    expect((await stores.events.read(0, 500)).map((stored) => stored.event.id)).toEqual(['EH1:0']);
    await stores.close();
  });

  it('refuses a damaged block in the middle of a file', async () => {
    const dir = await dataDir();
    const stores = await fileStores(dir, 4);
    const many = Array.from({ length: 300 }, (_, i) => ({
      id: `EH2:${i}`,
      type: 'boot' as const,
      serial: 'EH2',
      at: i,
      data: {},
    }));
    await stores.events.append(many);
    await stores.events.append([{ id: 'EH2:last', type: 'boot', serial: 'EH2', at: 999, data: {} }]);
    await stores.close();
    const file = join(dir, 'events', 'events.jsonl');
    const text = await readFile(file, 'utf8');
    const blockAt = text.indexOf(' z') + 10;
    await writeFile(file, `${text.slice(0, blockAt)}${text[blockAt] === 'A' ? 'B' : 'A'}${text.slice(blockAt + 1)}`);
    await expect(fileStores(dir, 4)).rejects.toThrow(CorruptRecordError);
  });
});
