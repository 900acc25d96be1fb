import { execFile } from 'node:child_process';
import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { scanRecordFile } from '@fleetwire/store';
import type { RPCClient } from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { basicAuth, connectCharger, openRawSocket } from '../harness/chargers.ts';
import { FleetwireProcess, repoRoot } from '../harness/fleetwire-process.ts';
import { SseClient } from '../harness/sse.ts';

// Each defect of the hostile-but-fair probe, against `pnpm start`: real processes, real files, a strict client.

const run = promisify(execFile);

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else found.push(path);
  }
  return found;
}

describe('the embedded store keeps every acknowledged write (defect 1)', () => {
  it('loses nothing after a torn last line: the next write survives the restart after it', async () => {
    const fleetwire = await new FleetwireProcess().start();
    const api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    expect((await api.put('/api/chargers/TA1', {})).status).toBe(201);
    expect((await api.put('/api/chargers/TA2', {})).status).toBe(201);
    expect(await fleetwire.stop()).toBe(0);
    const journal = join(fleetwire.dataDir, 'state', 'journal.jsonl');
    await truncate(journal, (await stat(journal)).size - 5);

    await fleetwire.start();
    expect((await api.put('/api/chargers/TB1', {})).status).toBe(201);
    expect(fleetwire.output.join('')).toContain('torn tail cut off');
    await fleetwire.restart();
    expect((await api.get('/api/chargers/TB1')).status).toBe(200);
    expect((await api.get('/api/chargers/TA1')).status).toBe(200);

    // Data files and directories are for their owner only: they hold password hashes and payloads.
    for (const path of await filesUnder(fleetwire.dataDir)) {
      expect((await stat(path)).mode & 0o777, path).toBe(0o600);
    }
    expect((await stat(join(fleetwire.dataDir, 'state'))).mode & 0o777).toBe(0o700);
    expect(await fleetwire.stop()).toBe(0);
  });

  it('never gives an event sequence number twice after a torn event log', async () => {
    const fleetwire = await new FleetwireProcess().start();
    const api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    for (const serial of ['TE1', 'TE2', 'TE3']) await api.put(`/api/chargers/${serial}`, {});
    const before = (await api.get('/api/audit?limit=500')).body.items.map((item: { seq: number }) => item.seq);
    expect(await fleetwire.stop()).toBe(0);
    const events = join(fleetwire.dataDir, 'events', 'events.jsonl');
    await truncate(events, (await stat(events)).size - 5);
    await fleetwire.start();
    await api.put('/api/chargers/TE4', {});
    const after = (await api.get('/api/audit?limit=500')).body.items.map((item: { seq: number }) => item.seq);
    const newest = after.at(-1) as number;
    expect(newest).toBeGreaterThan(before.at(-1) as number);
    expect(new Set(after).size).toBe(after.length);
    expect(await fleetwire.stop()).toBe(0);
  });

  it('refuses to start on a damaged record mid-file, naming it, and data check / repair deal with it', async () => {
    const fleetwire = await new FleetwireProcess().start();
    const api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    for (const serial of ['TD1', 'TD2', 'TD3']) await api.put(`/api/chargers/${serial}`, {});
    expect(await fleetwire.stop()).toBe(0);
    const journal = join(fleetwire.dataDir, 'state', 'journal.jsonl');
    const lines = (await readFile(journal, 'utf8')).split('\n');
    const index = lines.findIndex((line) => line.includes('"TD2"'));
    const offset = Buffer.byteLength(
      lines
        .slice(0, index)
        .map((line) => `${line}\n`)
        .join(''),
    );
    lines[index] = (lines[index] as string).replace('TD2', 'TX2');
    await writeFile(journal, lines.join('\n'));

    await expect(fleetwire.start()).rejects.toThrow(`${journal}: bad record at byte ${offset} (checksum mismatch)`);
    const env = { ...process.env, FLEETWIRE_DATA_DIR: fleetwire.dataDir };
    const data = (action: string) =>
      run(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', 'services/fleetwire/src/main.ts', 'data', action],
        {
          cwd: repoRoot,
          env,
        },
      ).then(
        (done) => ({ code: 0, stdout: done.stdout }),
        (failed: { code: number; stdout: string }) => ({ code: failed.code, stdout: failed.stdout }),
      );
    const checked = await data('check');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(`damaged record at byte ${offset}`);
    expect((await data('repair')).code).toBe(0);
    expect((await data('check')).code).toBe(0);
    await fleetwire.start();
    expect((await api.get('/api/chargers/TD3')).status).toBe(200);
    expect(await fleetwire.stop()).toBe(0);
  });
});

describe('a running all-in-one, probed', () => {
  const fleetwire = new FleetwireProcess({ env: { LOG_LEVEL: 'info', OCPP_CALL_TIMEOUT_MS: '3000' } });
  let admin: ApiClient;
  let read: ApiClient;
  let readToken: string;
  const clients: RPCClient[] = [];

  beforeAll(async () => {
    await fleetwire.start();
    admin = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    const created = await admin.post('/api/tokens', { name: 'reader', scopes: ['read'] });
    readToken = created.body.token;
    read = admin.as(readToken);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close({ force: true })));
    expect(await fleetwire.stop()).toBe(0);
  });

  const connect = async (serial: string, password?: string) => {
    const client = await connectCharger(fleetwire.ocppUrl, serial, password === undefined ? {} : { password });
    clients.push(client);
    return client;
  };

  it('lets nothing secret reach a read token, the logs or the data files (defect 2)', async () => {
    const secrets = {
      registered: 'planted-password-0001',
      imported: 'planted-password-0002',
      rotated: 'planted-authkey-000003',
      refused: 'planted-authkey-000004',
    };
    await admin.put('/api/chargers/EHSECRET1', { password: secrets.registered, rules: { easee: false } });
    const imported = await admin.post(
      '/api/chargers/import',
      `serial,password\nEHSECRET2,${secrets.imported}\n`,
      'text/csv',
    );
    expect(imported.body).toMatchObject({ created: 1 });
    const token = (await admin.post('/api/tokens', { name: 'planted', scopes: ['operate'] })).body.token as string;
    const charger = await connect('EHSECRET1', secrets.registered);
    charger.handle('ChangeConfiguration', async () => ({ status: 'Accepted' }));
    const sse = await new SseClient().open(`${fleetwire.apiUrl}/api/events?from=0`, readToken);
    const changed = await admin.post('/api/chargers/EHSECRET1/ocpp/ChangeConfiguration', {
      key: 'AuthorizationKey',
      value: secrets.rotated,
    });
    expect(changed.status).toBe(200);
    await admin.put('/api/chargers/EHSECRET3', {});
    const refused = await admin.post('/api/chargers/EHSECRET3/ocpp/ChangeConfiguration', {
      key: 'AuthorizationKey',
      value: secrets.refused,
    });
    expect(refused.status).toBe(409);
    await sleep(500);
    await sse.close();

    const reachable: string[] = [JSON.stringify(sse.events)];
    for (const path of [
      '/api/chargers',
      '/api/chargers/EHSECRET1',
      '/api/chargers/EHSECRET2',
      `/api/chargers/EHSECRET1/commands/${changed.body.requestId}`,
      '/api/chargers/EHSECRET1/charging-schedule',
      '/api/transactions',
      '/api/id-tags',
    ]) {
      const reply = await read.get(path);
      expect(reply.status, path).toBe(200);
      reachable.push(JSON.stringify(reply.body));
    }
    expect((await read.get('/api/audit')).status).toBe(403);
    const audit = JSON.stringify((await admin.get('/api/audit?limit=500')).body);
    const logs = fleetwire.output.join('');
    let files = '';
    for (const path of await filesUnder(fleetwire.dataDir)) {
      files += await readFile(path, 'latin1');
      // Group commits are compressed blocks (ADR 13): what they hold is read through the store's decoder as well.
      await scanRecordFile(path, (record) => {
        files += JSON.stringify(record);
      });
    }
    for (const [name, secret] of [...Object.entries(secrets), ['token', token]]) {
      expect(reachable.join('\n'), `${name} reachable with a read token`).not.toContain(secret);
      expect(audit, `${name} in the audit trail`).not.toContain(secret);
      expect(logs, `${name} in the logs`).not.toContain(secret);
      expect(files, `${name} in the data files`).not.toContain(secret);
    }
    // The read token's stream had no audit events; an admin's has them, redacted.
    expect(sse.events.some((event) => event.event === 'audit')).toBe(false);
    expect(audit).toContain('charger.import');
  });

  it("answers a compliant charger's whole transaction backlog, one CALL at a time (defect 3)", async () => {
    await admin.put('/api/chargers/EHBACKLOG', {});
    await admin.put('/api/id-tags/BACKLOG-1', { status: 'Accepted' });
    const charger = await connect('EHBACKLOG');
    const { transactionId } = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'BACKLOG-1',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    for (let n = 1; n <= 300; n++) {
      await charger.call('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: String(n * 10) }] }],
      });
    }
    const stopped = await charger.call('StopTransaction', {
      transactionId,
      meterStop: 3_000,
      timestamp: new Date().toISOString(),
    });
    expect(stopped).toEqual({});
  });

  it('queues pipelined transaction messages instead of refusing them; floods of others are refused', async () => {
    await admin.put('/api/chargers/EHFLOOD01', {});
    const socket = await openRawSocket(`${fleetwire.ocppUrl}/EHFLOOD01`);
    for (let n = 0; n < 200; n++) {
      socket.ws.send(JSON.stringify([2, `mv${n}`, 'MeterValues', { connectorId: 1, meterValue: [] }]));
    }
    for (let n = 0; n < 200; n++) socket.ws.send(JSON.stringify([2, `hb${n}`, 'Heartbeat', {}]));
    const answers = new Map<string, unknown[]>();
    await expect
      .poll(
        () => {
          for (const message of socket.messages as unknown[][]) answers.set(String(message[1]), message);
          return answers.size;
        },
        { timeout: 30_000, message: 'every CALL of the flood answered' },
      )
      .toBe(400);
    const meterAnswers = [...answers].filter(([id]) => id.startsWith('mv')).map(([, message]) => message[0]);
    expect(meterAnswers.every((type) => type === 3)).toBe(true);
    expect([...answers].filter(([id]) => id.startsWith('hb')).some(([, message]) => message[0] === 4)).toBe(true);
    socket.ws.send(JSON.stringify([2, 'after', 'Heartbeat', {}]));
    expect(((await socket.next((message) => (message as unknown[])[1] === 'after')) as unknown[])[0]).toBe(3);
    socket.ws.close();
    // One summary line for the flood, not a line per refused CALL.
    expect(fleetwire.output.join('').match(/"msg":"CALL refused"/g) ?? []).toHaveLength(0);
  });

  it('cannot be locked out by wrong passwords: the right one always passes (defect 4)', async () => {
    await admin.put('/api/chargers/EHLOCK001', { password: 'the-right-password-1' });
    const attempts = Array.from({ length: 10 }, (_, attempt) =>
      openRawSocket(
        `${fleetwire.ocppUrl}/EHLOCK001`,
        ['ocpp1.6'],
        basicAuth('EHLOCK001', `wrong-password-${attempt}00`),
      ).catch((error: { status?: number }) => error.status),
    );
    expect(await Promise.all(attempts)).toEqual(Array(10).fill(401));
    // Straight after the tenth, the right password connects: no 429, no waiting.
    await connect('EHLOCK001', 'the-right-password-1');
  }, 60_000);

  it('refuses page sizes that are not finite (defect 5)', async () => {
    for (const path of ['/api/chargers', '/api/transactions', '/api/audit', '/api/id-tags']) {
      for (const limit of ['Infinity', '1e999', '501']) {
        expect((await admin.get(`${path}?limit=${limit}`)).status, `${path}?limit=${limit}`).toBe(400);
      }
    }
  });

  it('adopts a rotated AuthorizationKey without locking the charger out (defect 6)', async () => {
    await admin.put('/api/chargers/EHROTATE1', { password: 'old-password-00001', rules: { easee: false } });
    const before = await connect('EHROTATE1', 'old-password-00001');
    before.handle('ChangeConfiguration', async () => ({ status: 'Accepted' }));
    const changed = await admin.post('/api/chargers/EHROTATE1/ocpp/ChangeConfiguration', {
      key: 'AuthorizationKey',
      value: 'new-password-00002',
    });
    expect(changed.body).toMatchObject({ response: { status: 'Accepted' } });
    // Until the charger connects with the new key, the old one still works; afterwards only the new one.
    await connect('EHROTATE1', 'old-password-00001');
    await connect('EHROTATE1', 'new-password-00002');
    const old = await openRawSocket(
      `${fleetwire.ocppUrl}/EHROTATE1`,
      ['ocpp1.6'],
      basicAuth('EHROTATE1', 'old-password-00001'),
    ).catch((error: { status?: number }) => error.status);
    expect(old).toBe(401);
    const audit = JSON.stringify((await admin.get('/api/audit?serial=EHROTATE1')).body);
    expect(audit).toContain('AuthorizationKey');
    expect(audit).not.toContain('new-password-00002');
  });

  it('refuses a password that is not a JSON string, instead of coercing it (defect 7)', async () => {
    const put = await admin.request('PUT', '/api/chargers/EHNUMPASS', '{"password":1234567890123456789}');
    expect(put.status).toBe(400);
    const imported = await admin.post('/api/chargers/import', [{ serial: 'EHNUMPAS2', password: 1234567890123456 }]);
    expect(imported.status).toBe(400);
    expect(imported.body.error).toMatch(/password must be string/);
    expect((await admin.get('/api/chargers/EHNUMPAS2')).status).toBe(404);
  });

  it('bounds connector ids, keeps garbage timestamps raw and does not merge garbage starts (defect 8)', async () => {
    await admin.put('/api/chargers/EHGARBAGE', {});
    const socket = await openRawSocket(`${fleetwire.ocppUrl}/EHGARBAGE`);
    const call = async (id: string, action: string, payload: unknown) => {
      socket.ws.send(JSON.stringify([2, id, action, payload]));
      return socket.next((message) => (message as unknown[])[1] === id);
    };
    for (const [id, connectorId] of [
      ['s1', 1e308],
      ['s2', -1],
    ] as const) {
      const answer = (await call(id, 'StatusNotification', {
        connectorId,
        status: 'Available',
        errorCode: 'NoError',
      })) as unknown[];
      expect(answer.slice(0, 3)).toEqual([4, id, 'PropertyConstraintViolation']);
    }
    const starts = [];
    for (const [id, timestamp] of [
      ['t1', 'yesterday'],
      ['t2', 'last week'],
    ] as const) {
      starts.push(await call(id, 'StartTransaction', { connectorId: 1, idTag: 'X', meterStart: 0, timestamp }));
    }
    const [first, second] = starts.map(
      (answer) => ((answer as unknown[])[2] as { transactionId: number }).transactionId,
    );
    expect(first).not.toBe(second);
    await expect.poll(async () => (await admin.get('/api/transactions?serial=EHGARBAGE')).body.items.length).toBe(2);
    const [record] = (await admin.get('/api/transactions?serial=EHGARBAGE')).body.items;
    expect(Number.isNaN(Date.parse(record.startedAt))).toBe(false);
    expect(record.flags.join()).toMatch(/unparseable-timestamp/);
    const state = (await admin.get('/api/chargers/EHGARBAGE')).body;
    expect(Object.keys(state.live.ocpp.connectors)).toEqual([]);
    socket.ws.close();

    // An event stream without Last-Event-ID starts from now: no replay of the whole history.
    const openedAt = Date.now();
    const fresh = await new SseClient().open(`${fleetwire.apiUrl}/api/events`, readToken);
    await sleep(500);
    await fresh.close();
    const replayed = fresh.events.filter((event) => JSON.parse(event.data).at < openedAt - 1_000);
    expect(replayed).toEqual([]);
  });
});
