import { FakeEaseeCloud } from '@fleetwire/simulator';
import type { RPCClient } from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../harness/api-client.ts';
import { connectCharger } from '../harness/chargers.ts';
import { OperationCoverage } from '../harness/coverage.ts';
import { FleetwireProcess } from '../harness/fleetwire-process.ts';
import { easeeOperator, easeeStreamEnv, freshVhost } from '../harness/rabbit.ts';
import { type ReceivedCall, recordingCharger } from '../harness/recording-charger.ts';
import { SseClient } from '../harness/sse.ts';

const operator = easeeOperator('900');
const password = 'api-suite-password-1';
const profile = (overrides: Record<string, unknown> = {}, schedule: Record<string, unknown> = {}) => ({
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 7,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      startSchedule: '2026-11-22T00:00:00Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
      ...schedule,
    },
    ...overrides,
  },
});

describe('the operator API, endpoint by endpoint', () => {
  let cloud: FakeEaseeCloud;
  let fleetwire: FleetwireProcess;
  let coverage: OperationCoverage;
  let admin: ApiClient;
  let anonymous: ApiClient;
  let operate: ApiClient;
  let read: ApiClient;
  const chargers: RPCClient[] = [];

  beforeAll(async () => {
    const amqpUrl = await freshVhost('api');
    cloud = await new FakeEaseeCloud(amqpUrl, '900').start();
    fleetwire = await new FleetwireProcess({
      env: {
        ...easeeStreamEnv(amqpUrl, operator),
        EASEE_COMMAND_TIMEOUT_S: '1',
        EASEE_COMMAND_ATTEMPTS: '2',
        OCPP_CALL_TIMEOUT_MS: '1500',
      },
    }).start();
    const bootstrap = new ApiClient(fleetwire.apiUrl, fleetwire.token);
    coverage = await OperationCoverage.of(bootstrap);
    admin = new ApiClient(fleetwire.apiUrl, fleetwire.token, (method, path, status) =>
      coverage.record(method, path, status),
    );
    anonymous = admin.as(undefined);
    const operateToken = await admin.post('/api/tokens', { name: 'dispatcher', scopes: ['operate'] });
    const readToken = await admin.post('/api/tokens', { name: 'dashboard', scopes: ['read'] });
    operate = admin.as(operateToken.body.token);
    read = admin.as(readToken.body.token);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(chargers.map((charger) => charger.close({ force: true })));
    await fleetwire?.stop();
    await cloud?.stop();
  }, 60_000);

  async function chargerWith(serial: string, answers: Record<string, (params: any) => unknown> = {}) {
    await admin.put(`/api/chargers/${serial}`, { password });
    const charger = await recordingCharger(fleetwire.ocppUrl, serial, answers, { password });
    chargers.push(charger.client);
    return charger;
  }

  describe('tokens and scopes', () => {
    it('refuses a missing or unknown token with 401 and a token without the scope with 403', async () => {
      expect((await anonymous.get('/api/chargers')).status).toBe(401);
      expect((await admin.as('fw_not_a_token').get('/api/chargers')).status).toBe(401);
      expect((await read.get('/api/chargers')).status).toBe(200);
      expect((await read.put('/api/chargers/EHSCOPE01', {})).status).toBe(403);
      expect((await operate.put('/api/id-tags/NOPE', { status: 'Accepted' })).status).toBe(403);
      expect((await read.post('/api/chargers/EHSCOPE01/ocpp/ClearCache', {})).status).toBe(403);
      expect((await operate.get('/api/tokens')).status).toBe(403);
    });

    it('creates, lists and revokes tokens, showing a token only once and keeping its hash only', async () => {
      const created = await admin.post('/api/tokens', { name: 'temporary', scopes: ['read'] });
      expect(created).toMatchObject({
        status: 201,
        body: { name: 'temporary', scopes: ['read'], token: expect.stringMatching(/^fw_/) },
      });
      const listed = await admin.get('/api/tokens');
      expect(listed.body.map((token: { name: string }) => token.name)).toEqual(
        expect.arrayContaining(['dispatcher', 'dashboard', 'temporary']),
      );
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
      expect(JSON.stringify(listed.body)).not.toContain('hash');
      expect((await admin.as(created.body.token).get('/api/chargers')).status).toBe(200);
      expect((await admin.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
      expect((await admin.as(created.body.token).get('/api/chargers')).status).toBe(401);
      expect((await admin.delete(`/api/tokens/${created.body.id}`)).status).toBe(404);
      expect((await admin.post('/api/tokens', { name: 'x', scopes: ['root'] })).status).toBe(400);
    });
  });

  describe('chargers', () => {
    it('registers, updates, shows, lists with filters and forgets chargers', async () => {
      expect((await admin.put('/api/chargers/EHLIST001', { password })).status).toBe(201);
      expect((await admin.put('/api/chargers/EHLIST001', { rules: { easee: false } })).body).toMatchObject({
        hasPassword: true,
        rules: { easee: false },
      });
      expect((await admin.put('/api/chargers/EH%20BAD', {})).status).toBe(400);
      expect((await admin.put('/api/chargers/EHLIST002', { password: 'short' })).status).toBe(400);
      expect((await admin.get('/api/chargers/EHNOBODY1')).status).toBe(404);
      const online = await chargerWith('EHLIST003');
      await online.client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
      await expect
        .poll(async () =>
          (await read.get('/api/chargers?connected=true&status=Charging&q=EHLIST')).body.items.map(
            (c: any) => c.serial,
          ),
        )
        .toEqual(['EHLIST003']);
      const page = await read.get('/api/chargers?q=EHLIST&limit=1');
      expect(page.body.items).toHaveLength(1);
      expect((await read.get(`/api/chargers?q=EHLIST&limit=1&after=${page.body.next}`)).body.items[0].serial).toBe(
        'EHLIST003',
      );
      const detail = await read.get('/api/chargers/EHLIST003');
      expect(detail.body.live).toMatchObject({ ocpp: { connected: true }, stream: { lastSeenAt: null } });
      expect((await admin.delete('/api/chargers/EHLIST001')).status).toBe(204);
      expect((await admin.delete('/api/chargers/EHLIST001')).status).toBe(404);
    });

    it('imports chargers from JSON and CSV, reporting the rows it refused', async () => {
      const json = await admin.post('/api/chargers/import', [
        { serial: 'EHIMP0001' },
        { serial: 'bad serial' },
        { serial: 'EHIMP0002', password },
      ]);
      expect(json.body).toEqual({
        created: 2,
        updated: 0,
        failed: [{ line: 2, error: expect.stringContaining('does not match') }],
      });
      const csv = await admin.post(
        '/api/chargers/import',
        'serial,password\nEHIMP0003,\nEHIMP0001,too-short\n',
        'text/csv',
      );
      expect(csv.body).toEqual({
        created: 1,
        updated: 0,
        failed: [{ line: 2, error: 'password must be 16 to 64 characters' }],
      });
      expect((await admin.post('/api/chargers/import', { not: 'a list' })).status).toBe(400);
      expect((await read.get('/api/chargers?q=EHIMP')).body.items).toHaveLength(3);
    });
  });

  describe('id tags', () => {
    it('keeps id tags in parent groups, imports them from CSV and deletes them', async () => {
      expect((await admin.put('/api/id-tags/FAMILY', { status: 'Accepted' })).status).toBe(201);
      expect((await admin.put('/api/id-tags/KID-1', { status: 'Accepted', parentIdTag: 'FAMILY' })).status).toBe(201);
      expect((await admin.put('/api/id-tags/KID-1', { status: 'Blocked', parentIdTag: 'FAMILY' })).status).toBe(200);
      expect((await admin.put('/api/id-tags/BAD', { status: 'Maybe' })).status).toBe(400);
      const imported = await admin.post(
        '/api/id-tags/import',
        'idTag,status,expiryDate,parentIdTag\nKID-2,Accepted,2030-01-01T00:00:00Z,FAMILY\nKID-3,Sometimes,,\n',
        'text/csv',
      );
      // The same shape as the charger import: created, updated, and the rows refused by line.
      expect(imported.body).toEqual({
        created: 1,
        updated: 0,
        failed: [{ line: 2, error: expect.stringContaining('status must be') }],
      });
      expect((await read.get('/api/id-tags?parent=family')).body.items.map((tag: any) => tag.idTag)).toEqual([
        'KID-1',
        'KID-2',
      ]);
      expect((await read.get('/api/id-tags/kid-2')).body).toMatchObject({ expiryDate: '2030-01-01T00:00:00.000Z' });
      expect((await read.get('/api/id-tags?limit=2')).body.items).toHaveLength(2);
      expect((await admin.delete('/api/id-tags/KID-2')).status).toBe(204);
      expect((await read.get('/api/id-tags/KID-2')).status).toBe(404);
      expect((await admin.delete('/api/id-tags/KID-2')).status).toBe(404);
    });
  });

  describe('OCPP commands', () => {
    it('answers 200 with the CALLRESULT, 400 for a schema error, 404, 503 offline, 502 CALLERROR, 504 silence', async () => {
      const { received } = await chargerWith('EHCMD0100', {
        GetConfiguration: () => ({ configurationKey: [], unknownKey: ['x'] }),
        Reset: () => new Promise(() => {}),
      });
      const ok = await operate.post('/api/chargers/EHCMD0100/ocpp/GetConfiguration', { key: ['x'] });
      expect(ok).toMatchObject({
        status: 200,
        body: { requestId: expect.any(String), response: { unknownKey: ['x'] } },
      });
      expect((await read.get(`/api/chargers/EHCMD0100/commands/${ok.body.requestId}`)).body).toMatchObject({
        action: 'GetConfiguration',
      });
      expect((await read.get('/api/chargers/EHCMD0100/commands/no-such-request')).status).toBe(404);
      expect((await operate.post('/api/chargers/EHCMD0100/ocpp/Reset', { type: 'Gentle' })).status).toBe(400);
      expect((await operate.post('/api/chargers/EHNOBODY1/ocpp/ClearCache', {})).status).toBe(404);
      await admin.put('/api/chargers/EHOFFLINE', {});
      expect((await operate.post('/api/chargers/EHOFFLINE/ocpp/ClearCache', {})).status).toBe(503);
      expect((await operate.post('/api/chargers/EHCMD0100/ocpp/Reset', { type: 'Soft' })).status).toBe(504);
      expect(received.map((call) => call.method)).toEqual(['GetConfiguration', 'Reset']);
    });

    it('answers 502 when the charger answers with a CALLERROR', async () => {
      const { client } = await chargerWith('EHCMD0101');
      client.handle('UnlockConnector', () => {
        throw Object.assign(new Error('nope'), { rpcErrorCode: 'NotSupported' });
      });
      const reply = await operate.post('/api/chargers/EHCMD0101/ocpp/UnlockConnector', { connectorId: 1 });
      expect(reply.status).toBe(502);
    });

    it('links a RemoteStartTransaction to the transaction it led to', async () => {
      await admin.put('/api/id-tags/REMOTE-1', { status: 'Accepted' });
      const { client } = await chargerWith('EHREMOTE1');
      const started = await operate.post('/api/chargers/EHREMOTE1/ocpp/RemoteStartTransaction', {
        idTag: 'REMOTE-1',
        connectorId: 1,
      });
      expect(started.body.response).toEqual({ status: 'Accepted' });
      const tx = (await client.call('StartTransaction', {
        connectorId: 1,
        idTag: 'remote-1',
        meterStart: 0,
        timestamp: new Date().toISOString(),
      })) as { transactionId: number };
      expect((await read.get(`/api/chargers/EHREMOTE1/commands/${started.body.requestId}`)).body).toMatchObject({
        transactionId: tx.transactionId,
      });
      await expect
        .poll(async () => (await read.get('/api/transactions?serial=EHREMOTE1')).body.items[0]?.remoteStartRequestId)
        .toBe(started.body.requestId);
    });
  });

  describe('Easee rules: refused with 409 and the rule, and nothing reaches the charger', () => {
    let received: ReceivedCall[];
    beforeAll(async () => {
      ({ received } = await chargerWith('EHRULES01'));
    });

    const refusals: [string, string, unknown, string][] = [
      [
        'a key Easee does not let a central system write',
        'ChangeConfiguration',
        { key: 'AuthorizationKey', value: 'x' },
        'easee-configuration-keys',
      ],
      [
        'a TriggerMessage Easee answers NotImplemented',
        'TriggerMessage',
        { requestedMessage: 'FirmwareStatusNotification' },
        'easee-trigger-message',
      ],
      ['a Relative profile', 'SetChargingProfile', profile({ chargingProfileKind: 'Relative' }), 'easee-profile-kind'],
      ['a TxProfile', 'SetChargingProfile', profile({ chargingProfilePurpose: 'TxProfile' }), 'easee-profile-purpose'],
      [
        'more than 16 periods',
        'SetChargingProfile',
        profile(
          {},
          { chargingSchedulePeriod: Array.from({ length: 17 }, (_, i) => ({ startPeriod: i * 60, limit: 10 })) },
        ),
        'easee-profile-periods',
      ],
      ['connector 2', 'SetChargingProfile', { ...profile(), connectorId: 2 }, 'easee-profile-connector'],
      ['a schedule in W', 'SetChargingProfile', profile({}, { chargingRateUnit: 'W' }), 'easee-profile-rate-unit'],
      [
        'a remote start with a TxProfile',
        'RemoteStartTransaction',
        { idTag: 'X', chargingProfile: profile({ chargingProfilePurpose: 'TxProfile' }).csChargingProfiles },
        'easee-profile-purpose',
      ],
    ];
    for (const [what, action, payload, rule] of refusals) {
      it(`refuses ${what}`, async () => {
        const reply = await operate.post(`/api/chargers/EHRULES01/ocpp/${action}`, payload);
        expect(reply).toMatchObject({ status: 409, body: { rule } });
        expect(received).toEqual([]);
      });
    }

    it('converts a W schedule to A when asked, and lets through what Easee accepts', async () => {
      const converted = await operate.post(
        '/api/chargers/EHRULES01/ocpp/SetChargingProfile?convert=A',
        profile(
          { chargingProfileId: 8 },
          { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11_040 }] },
        ),
      );
      expect(converted.status).toBe(200);
      expect(received.at(-1)?.params.csChargingProfiles.chargingSchedule).toMatchObject({
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
      });
      expect(
        (
          await operate.post('/api/chargers/EHRULES01/ocpp/ChangeConfiguration', {
            key: 'HeartbeatInterval',
            value: '180',
          })
        ).status,
      ).toBe(200);
    });

    it('spends the flash-write budget on real writes only, then refuses and says when the next is allowed', async () => {
      const before = received.length;
      for (let write = 0; write < 30; write++) {
        const reply = await operate.post(
          '/api/chargers/EHRULES01/ocpp/SetChargingProfile',
          profile({ chargingProfileId: 20 }, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 + write }] }),
        );
        if (reply.status === 409) {
          expect(reply.body).toMatchObject({
            rule: 'easee-profile-write-budget',
            error: expect.stringMatching(/next write allowed at/),
          });
          break;
        }
      }
      const sent = received.length - before;
      // One real write was spent by the converted profile above; 24 remain of 25.
      expect(sent).toBe(24);
      const identical = await operate.post(
        '/api/chargers/EHRULES01/ocpp/SetChargingProfile',
        profile({ chargingProfileId: 20 }, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 + 23 }] }),
      );
      expect(identical.status).toBe(200);
      const schedule = await read.get('/api/chargers/EHRULES01/charging-schedule?connectorId=1&duration=3600');
      expect(schedule.body.writeBudget).toMatchObject({ remaining: 0, capacity: 25, perDay: 10 });
      expect(schedule.body.easeeEffective.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 29 }]);
      expect((await read.get('/api/chargers/EHNOBODY1/charging-schedule')).status).toBe(404);
    });

    it('does not apply to a charger registered as not an Easee', async () => {
      const { received: other } = await chargerWith('EHOTHER01');
      await admin.put('/api/chargers/EHOTHER01', { rules: { easee: false } });
      const reply = await operate.post('/api/chargers/EHOTHER01/ocpp/TriggerMessage', {
        requestedMessage: 'FirmwareStatusNotification',
      });
      expect(reply.status).toBe(200);
      expect(other.map((call) => call.method)).toEqual(['TriggerMessage']);
    });
  });

  describe('current limit, local list', () => {
    it('sets a current limit over the stream when the charger is on it, else over OCPP', async () => {
      await admin.put('/api/chargers/EHSTREAM1', {});
      await cloud.observe('EHSTREAM1', 109, 3);
      await expect
        .poll(async () => (await read.get('/api/chargers/EHSTREAM1')).body.live?.stream?.status)
        .toBe('Charging');
      const viaStream = await operate.put('/api/chargers/EHSTREAM1/current-limit', { amps: 10, ttlMinutes: 5 });
      expect(viaStream.body).toMatchObject({ channel: 'easee-stream', status: 'accepted', amps: 10 });
      expect(cloud.received.at(-1)).toMatchObject({ serial: 'EHSTREAM1', commandId: 48 });

      // Off the stream: Easee's real-time configuration key, which wears no flash.
      const { received } = await chargerWith('EHLIMIT01');
      const viaKey = await operate.put('/api/chargers/EHLIMIT01/current-limit', { amps: 12.5, ttlMinutes: 10 });
      expect(viaKey.body).toMatchObject({ channel: 'ocpp-key', status: 'accepted', amps: 12.5 });
      expect(received[0]).toMatchObject({
        method: 'ChangeConfiguration',
        params: { key: 'DynamicChargerCurrent', value: '12.5' },
      });
      // A charger that does not take the key gets a TxDefaultProfile, within the write budget.
      const { received: profiles } = await chargerWith('EHLIMIT02', {
        ChangeConfiguration: () => ({ status: 'NotSupported' }),
      });
      const viaProfile = await operate.put('/api/chargers/EHLIMIT02/current-limit', { amps: 12.5, ttlMinutes: 10 });
      expect(viaProfile.body).toMatchObject({ channel: 'ocpp-profile', status: 'accepted' });
      expect(profiles[1]).toMatchObject({
        method: 'SetChargingProfile',
        params: {
          connectorId: 0,
          csChargingProfiles: { chargingSchedule: { duration: 600, chargingSchedulePeriod: [{ limit: 12.5 }] } },
        },
      });
      expect((await operate.put('/api/chargers/EHLIMIT01/current-limit', { amps: 99, ttlMinutes: 1 })).status).toBe(
        400,
      );
      expect((await operate.put('/api/chargers/EHNOBODY1/current-limit', { amps: 6, ttlMinutes: 1 })).status).toBe(404);
    });

    it('sends the local list Full first, then Differential, and Full again on VersionMismatch', async () => {
      let mismatch = false;
      const { received } = await chargerWith('EHLOCAL01', {
        SendLocalList: (params) => ({
          status: mismatch && params.updateType === 'Differential' ? 'VersionMismatch' : 'Accepted',
        }),
      });
      await admin.put('/api/id-tags/LOCAL-A', { status: 'Accepted' });
      await admin.put('/api/id-tags/LOCAL-B', { status: 'Blocked' });
      expect((await operate.put('/api/chargers/EHLOCAL01/local-list', { idTags: ['LOCAL-A'] })).status).toBe(200);
      await operate.put('/api/chargers/EHLOCAL01/local-list', { idTags: ['LOCAL-B'] });
      mismatch = true;
      const resent = await operate.put('/api/chargers/EHLOCAL01/local-list', { idTags: ['LOCAL-A', 'LOCAL-B'] });
      expect(resent.body).toMatchObject({ resentFull: true, differentialStatus: 'VersionMismatch' });
      expect(received.map((call) => [call.params.updateType, call.params.listVersion])).toEqual([
        ['Full', 1],
        ['Differential', 2],
        ['Differential', 3],
        ['Full', 4],
      ]);
      expect(received[1]?.params.localAuthorizationList).toEqual([
        { idTag: 'LOCAL-B', idTagInfo: { status: 'Blocked' } },
        { idTag: 'LOCAL-A' },
      ]);
      expect((await operate.put('/api/chargers/EHLOCAL01/local-list', { idTags: ['NO-SUCH-TAG'] })).status).toBe(400);
    });
  });

  describe('Easee commands', () => {
    it('sends a command by name with typed arguments and reports its outcome', async () => {
      await admin.put('/api/chargers/EHEASEE01', {});
      const sent = await operate.post('/api/chargers/EHEASEE01/easee/SetSmartCharging', { smartCharging: true });
      expect(sent).toMatchObject({ status: 200, body: { status: 'accepted', commandId: 11 } });
      expect((await read.get(`/api/chargers/EHEASEE01/easee/commands/${sent.body.requestId}`)).body).toMatchObject({
        status: 'accepted',
      });
      expect((await read.get('/api/chargers/EHEASEE01/easee/commands/nothing')).status).toBe(404);
      expect(
        (await operate.post('/api/chargers/EHEASEE01/easee/SetSmartCharging', { smartCharging: 'yes' })).status,
      ).toBe(400);
      expect((await operate.post('/api/chargers/EHEASEE01/easee/MakeCoffee', {})).status).toBe(400);
      expect((await operate.post('/api/chargers/EHNOBODY1/easee/Reboot', {})).status).toBe(404);
      cloud.misbehaviour.silentSerials.add('EHEASEE01');
      const pending = await operate.post('/api/chargers/EHEASEE01/easee/Reboot?waitMs=0', {});
      expect(pending).toMatchObject({ status: 202, body: { status: 'pending' } });
    });
  });

  describe('the fleet and the session', () => {
    it("counts the fleet and tells a token's name and scopes", async () => {
      const before = (await read.get('/api/fleet')).body;
      const { client } = await chargerWith('EHFLEET01');
      await client.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure' });
      await expect
        .poll(async () => (await read.get('/api/fleet')).body.byStatus.Faulted ?? 0)
        .toBe((before.byStatus.Faulted ?? 0) + 1);
      const after = (await read.get('/api/fleet')).body;
      expect(after.registered).toBe(before.registered + 1);
      expect(after.connected).toBe(before.connected + 1);
      expect((await read.get('/api/session')).body).toEqual({ name: 'dashboard', scopes: ['read'] });
      expect((await admin.get('/api/session')).body).toEqual({ name: 'bootstrap', scopes: ['admin'] });
      expect((await anonymous.get('/api/fleet')).status).toBe(401);
    });
  });

  describe('sites', () => {
    it('defines, lists, shows with the live allocation, limits and removes a site', async () => {
      await chargerWith('EHSITEAPI1');
      const site = {
        name: 'Depot',
        maxCurrentA: 40,
        chargers: ['EHSITEAPI1'],
        circuits: [{ id: 'garage', maxCurrentA: 20, chargers: ['EHSITEAPI2'] }],
      };
      expect((await operate.put('/api/sites/depot', site)).status).toBe(403);
      const created = await admin.put('/api/sites/depot', site);
      expect(created).toMatchObject({
        status: 201,
        body: { site: { siteId: 'depot', maxCurrentA: 40, phases: 3, minCurrentA: 6 }, allocation: { limitA: 40 } },
      });
      expect((await admin.put('/api/sites/depot', { ...site, name: 'Depot North' })).status).toBe(200);
      expect((await admin.put('/api/sites/other', { maxCurrentA: 16, chargers: ['EHSITEAPI1'] })).status).toBe(409);
      expect((await admin.put('/api/sites/twice', { maxCurrentA: 16, chargers: ['EHX1', 'EHX1'] })).status).toBe(400);
      expect((await admin.put('/api/sites/bad%20id', { maxCurrentA: 16, chargers: ['EHX1'] })).status).toBe(400);
      expect((await read.get('/api/sites')).body.items.map((item: any) => item.siteId)).toEqual(['depot']);
      const shown = await read.get('/api/sites/depot');
      expect(shown.body.site.name).toBe('Depot North');
      expect(shown.body.allocation.chargers.map((charger: any) => charger.serial).sort()).toEqual([
        'EHSITEAPI1',
        'EHSITEAPI2',
      ]);
      expect((await read.get('/api/sites/nowhere')).status).toBe(404);
      const until = new Date(Date.now() + 600_000).toISOString();
      const limited = await operate.put('/api/sites/depot/limit', { maxCurrentA: 25, until });
      expect(limited).toMatchObject({ status: 200, body: { limitA: 25 } });
      expect(
        (await operate.put('/api/sites/depot/limit', { maxCurrentA: 25, until: '2020-01-01T00:00:00Z' })).status,
      ).toBe(400);
      expect((await operate.put('/api/sites/nowhere/limit', { maxCurrentA: 25 })).status).toBe(404);
      expect((await operate.put('/api/sites/depot/limit', { maxCurrentA: null })).body.limitA).toBe(40);
      expect((await admin.delete('/api/sites/depot')).status).toBe(204);
      expect((await admin.delete('/api/sites/depot')).status).toBe(404);
      expect((await read.get('/api/sites')).body.items).toEqual([]);
    });
  });

  describe('transactions, events, audit', () => {
    it('filters transactions and streams them as CSV', async () => {
      await admin.put('/api/id-tags/CSV-TAG', { status: 'Accepted' });
      const { client } = await chargerWith('EHCSV0001');
      for (let i = 0; i < 3; i++) {
        const { transactionId } = (await client.call('StartTransaction', {
          connectorId: 1,
          idTag: 'CSV-TAG',
          meterStart: i * 1000,
          timestamp: new Date(Date.UTC(2026, 10, 22, i)).toISOString(),
        })) as { transactionId: number };
        await client.call('StopTransaction', {
          transactionId,
          meterStop: i * 1000 + 500,
          timestamp: new Date(Date.UTC(2026, 10, 22, i, 30)).toISOString(),
        });
      }
      // The transaction list is a projection written after the answer: wait until all three are seen stopped.
      await expect
        .poll(async () =>
          (await read.get('/api/transactions?idTag=csv-tag')).body.items.filter(
            (tx: any) => tx.stoppedAt !== undefined,
          ),
        )
        .toHaveLength(3);
      const window = await read.get(
        '/api/transactions?serial=EHCSV0001&from=2026-11-22T01:00:00Z&to=2026-11-22T02:00:00Z',
      );
      expect(window.body.items.map((tx: any) => tx.meterStartWh)).toEqual([1000]);
      const csv = await read.get('/api/transactions?serial=EHCSV0001&format=csv');
      const lines = (csv.body as string).trim().split('\r\n');
      expect(lines[0]).toBe(
        'id,serial,connectorId,idTag,status,startedAt,stoppedAt,meterStartWh,meterStopWh,energyWh,energyKWh,durationS,streamEnergyWh,stopReason,remoteStartRequestId,flags',
      );
      expect(lines.slice(1).map((line) => line.split(',').slice(9, 11))).toEqual([
        ['500', '0.5'],
        ['500', '0.5'],
        ['500', '0.5'],
      ]);
      expect((await read.get('/api/transactions?serial=EHCSV0001')).body.items[0]).toMatchObject({
        energyKWh: 0.5,
        durationS: expect.any(Number),
        updatedAt: expect.stringMatching(/Z$/),
      });
      expect((await read.get('/api/transactions?from=yesterday')).status).toBe(400);
    });

    it('streams events, and a client that resumes with Last-Event-ID misses none', async () => {
      const { client } = await chargerWith('EHSSE0001');
      const first = await new SseClient().open(
        `${fleetwire.apiUrl}/api/events?serial=EHSSE0001&type=status`,
        fleetwire.token,
      );
      expect(first.status).toBe(200);
      const statuses = ['Preparing', 'Charging', 'SuspendedEV', 'Charging', 'Finishing', 'Available'];
      for (const status of statuses.slice(0, 2)) {
        await client.call('StatusNotification', { connectorId: 1, status, errorCode: 'NoError' });
      }
      await expect.poll(() => first.events.length).toBe(2);
      await first.close();
      for (const status of statuses.slice(2)) {
        await client.call('StatusNotification', { connectorId: 1, status, errorCode: 'NoError' });
      }
      const resumed = await new SseClient().open(
        `${fleetwire.apiUrl}/api/events?serial=EHSSE0001&type=status`,
        fleetwire.token,
        first.lastId,
      );
      await expect.poll(() => resumed.events.length).toBe(4);
      await resumed.close();
      const seen = [...first.events, ...resumed.events].map((event) => JSON.parse(event.data).data.status);
      expect(seen).toEqual(statuses);
      const ids = [...first.events, ...resumed.events].map((event) => Number(event.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect((await read.get('/api/events?after=-1')).status).toBe(400);
    });

    it('keeps an audit record of every command: who, what, when, result, and no secrets', async () => {
      const audit = await admin.get('/api/audit?limit=500');
      const actions = audit.body.items.map((record: any) => `${record.actor} ${record.action} ${record.status}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'dispatcher ocpp.command 409',
          'bootstrap charger.register 201',
          'dispatcher easee.command 200',
        ]),
      );
      expect(JSON.stringify(audit.body)).not.toContain(password);
      expect(
        (await admin.get('/api/audit?serial=EHRULES01')).body.items.every(
          (record: any) => record.serial === 'EHRULES01',
        ),
      ).toBe(true);
      expect((await read.get('/api/audit')).status).toBe(403);
    });
  });

  describe('health and the OpenAPI document', () => {
    it('answers liveness and readiness without a token', async () => {
      expect((await anonymous.get('/healthz')).status).toBe(200);
      expect((await anonymous.get('/readyz')).body).toEqual({ ready: true });
    });

    it('documents every endpoint, and this suite exercised every one and the error statuses', () => {
      expect(coverage.uncovered).toEqual([]);
      for (const status of [200, 201, 202, 204, 400, 401, 403, 404, 409, 502, 503, 504]) {
        expect(coverage.statuses, `status ${status}`).toContain(status);
      }
    });
  });
});

describe('the API contract', () => {
  const fleetwire = new FleetwireProcess({ env: { API_RATE_LIMIT_PER_MINUTE: '40' } });
  let api: ApiClient;

  beforeAll(async () => {
    await fleetwire.start();
    api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
  });

  afterAll(async () => {
    await fleetwire.stop();
  });

  it('shows every time in ISO 8601 UTC, names beside codes, and refuses enum values it does not know', async () => {
    await api.put('/api/chargers/EHCONTRACT', {});
    const charger = await connectCharger(fleetwire.ocppUrl, 'EHCONTRACT');
    const sse = await new SseClient().open(`${fleetwire.apiUrl}/api/events?serial=EHCONTRACT`, fleetwire.token);
    await charger.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    await expect
      .poll(async () => (await api.get('/api/chargers?q=EHCONTRACT')).body.items[0]?.live?.ocppStatus)
      .toBe('Preparing');
    const listed = (await api.get('/api/chargers?q=EHCONTRACT')).body.items[0];
    expect(listed.live.ocppSeenAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const detail = (await api.get('/api/chargers/EHCONTRACT')).body;
    expect(detail.live.measured).toBeDefined();
    expect(detail.live.live).toBeUndefined();
    expect(detail.live.ocpp.connectors['1'].updatedAt).toMatch(/Z$/);
    expect(detail.live.ocpp.session.since).toMatch(/Z$/);
    await expect.poll(() => sse.events.length).toBeGreaterThan(0);
    expect(JSON.parse(sse.events[0]?.data as string).at).toMatch(/Z$/);
    await sse.close();
    const refused = await api.get('/api/chargers?status=charging');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('Charging');
    expect((await api.get('/api/events?type=nonsense')).status).toBe(400);
    await charger.close({ code: 1000 });
  });

  it('answers 429 with Retry-After to a token past its requests a minute', async () => {
    let last = await api.get('/api/chargers');
    for (let i = 0; i < 45 && last.status !== 429; i++) last = await api.get('/api/chargers');
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.body.error).toMatch(/requests a minute/);
    // The probes are not counted.
    expect((await new ApiClient(fleetwire.apiUrl, undefined).get('/healthz')).status).toBe(200);
  });
});

describe('the operator API without an Easee stream', () => {
  it('answers 503 for Easee commands', async () => {
    const fleetwire = await new FleetwireProcess().start();
    try {
      const api = new ApiClient(fleetwire.apiUrl, fleetwire.token);
      await api.put('/api/chargers/EHNOSTREAM', {});
      expect((await api.post('/api/chargers/EHNOSTREAM/easee/Reboot', {})).status).toBe(503);
      const charger = await connectCharger(fleetwire.ocppUrl, 'EHNOSTREAM');
      charger.handle('ChangeConfiguration', async () => ({ status: 'Accepted' }));
      expect((await api.put('/api/chargers/EHNOSTREAM/current-limit', { amps: 8, ttlMinutes: 0 })).body).toMatchObject({
        channel: 'ocpp-key',
        status: 'accepted',
      });
      await charger.close({ code: 1000 });
    } finally {
      await fleetwire.stop();
    }
  });
});
