import { randomUUID } from 'node:crypto';
import { hashPassword } from '@fleetwire/auth';
import { type ChargerRegistration, isValidSerial, ruleSettingsOf } from '@fleetwire/contracts';
import { chargePointStatuses } from '@fleetwire/ocpp';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../context.ts';
import { importSummary, readImportRows } from '../csv.ts';
import {
  chargerCallErrors,
  errorResponse,
  recentCommandParams,
  ref,
  serialParam,
  withAccessErrors,
} from '../schemas.ts';
import { listedView, registrationView as view, withIsoTimes } from '../views.ts';
import { askWorker, replyWith } from '../worker-requests.ts';

interface SerialParams {
  serial: string;
}

interface RegistrationInput {
  password?: string | null;
  rules?: { easee?: boolean; txProfile?: boolean };
}

const serialParams = { type: 'object', required: ['serial'], properties: { serial: serialParam } } as const;

export function chargerRoutes(app: FastifyInstance, options: ApiOptions): void {
  const { chargers } = options;

  async function passwordHashOf(password: string | null | undefined, existing: ChargerRegistration | undefined) {
    if (password === null) return {};
    if (password === undefined)
      return existing?.passwordHash === undefined ? {} : { passwordHash: existing.passwordHash };
    return { passwordHash: await hashPassword(password) };
  }

  async function register(serial: string, input: RegistrationInput): Promise<'created' | 'updated'> {
    const existing = await chargers.get(serial);
    const now = new Date().toISOString();
    const rules = input.rules ?? existing?.rules;
    // Registering a charger that was only discovered on the stream makes it an OCPP identity.
    await chargers.put({
      serial,
      ...(await passwordHashOf(input.password, existing)),
      ...(rules === undefined ? {} : { rules }),
      registeredAt: existing?.registeredAt ?? now,
      updatedAt: now,
    });
    return existing === undefined ? 'created' : 'updated';
  }

  app.put<{ Params: SerialParams; Body: RegistrationInput }>(
    '/api/chargers/:serial',
    {
      config: { scope: 'admin', audit: 'charger.register' },
      schema: {
        operationId: 'registerCharger',
        summary: 'Register a charger, or change its password or rules',
        tags: ['chargers'],
        params: serialParams,
        body: ref('RegistrationInput'),
        response: withAccessErrors({
          200: { ...ref('Registration'), description: 'Updated' },
          201: { ...ref('Registration'), description: 'Registered' },
          400: errorResponse('The body breaks its schema (a password is a JSON string of 16 to 64 characters)'),
        }),
      },
    },
    async (request, reply) => {
      const outcome = await register(request.params.serial, request.body ?? {});
      const stored = (await chargers.get(request.params.serial)) as ChargerRegistration;
      return reply.code(outcome === 'created' ? 201 : 200).send(view(stored));
    },
  );

  app.post<{ Body: unknown }>(
    '/api/chargers/import',
    {
      config: { scope: 'admin', audit: 'charger.import', auditSummary: importSummary('serial') },
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        operationId: 'importChargers',
        summary: 'Register many chargers: a JSON array of registrations, or CSV with columns serial,password',
        tags: ['chargers'],
        body: {
          content: {
            'application/json': {
              schema: {
                type: 'array',
                maxItems: 10_000,
                items: {
                  type: 'object',
                  required: ['serial'],
                  properties: { serial: { type: 'string' }, password: { type: 'string' } },
                },
              },
            },
            'text/csv': { schema: { type: 'string', description: 'serial,password with a header line' } },
          },
        },
        response: withAccessErrors({
          200: { ...ref('ImportResult'), description: 'What the import did, row by row' },
          400: errorResponse('Not CSV with a header line, nor a JSON array of at most 10,000 registrations'),
        }),
      },
    },
    async (request, reply) => {
      const read = readImportRows(
        request.body,
        10_000,
        'send a JSON array of at most 10,000 registrations, or text/csv',
      );
      if ('error' in read) return reply.code(400).send({ error: read.error });
      const { rows } = read;
      const counts = { created: 0, updated: 0, failed: [] as { line: number; error: string }[] };
      for (const [i, row] of rows.entries()) {
        const line = i + 1;
        const serial = String(row.serial ?? '');
        const password = row.password === undefined || row.password === '' ? undefined : row.password;
        if (password !== undefined && typeof password !== 'string') {
          // A number would be turned into text that is not what the charger will send (1234567890123456789).
          counts.failed.push({ line, error: 'password must be a JSON string' });
        } else if (!isValidSerial(serial))
          counts.failed.push({ line, error: `serial ${JSON.stringify(serial)} does not match ^[A-Za-z0-9_-]{1,48}$` });
        else if (password !== undefined && (password.length < 16 || password.length > 64)) {
          counts.failed.push({ line, error: 'password must be 16 to 64 characters' });
        } else counts[await register(serial, password === undefined ? {} : { password })] += 1;
      }
      return counts;
    },
  );

  app.get<{
    Querystring: { limit: number; after?: string; connected?: boolean; status?: string; opMode?: number; q?: string };
  }>(
    '/api/chargers',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listChargers',
        summary: 'Registered chargers with their live state, in serial order, filtered, a page at a time',
        description:
          'Each page does bounded work, so a rare filter can answer a short (even empty) page with a `next` ' +
          'cursor: follow `next` until it is absent.',
        tags: ['chargers'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            after: { type: 'string', maxLength: 64, description: 'The `next` cursor of the previous page' },
            connected: { type: 'boolean', description: 'connected over OCPP now' },
            status: { type: 'string', enum: [...chargePointStatuses], description: 'OCPP status of connector 1' },
            opMode: { type: 'integer', minimum: 0, maximum: 255, description: 'Easee ChargerOpMode' },
            q: { type: 'string', maxLength: 48, description: 'serial prefix' },
          },
        },
        response: withAccessErrors({
          200: { ...ref('ChargerPage'), description: 'A page of chargers' },
          400: errorResponse('A filter out of its range, naming the allowed values'),
        }),
      },
    },
    async (request) => {
      const { limit, after, connected, status, opMode, q } = request.query;
      const page = await chargers.search(
        {
          ...(connected === undefined ? {} : { connected }),
          ...(status === undefined ? {} : { ocppStatus: status }),
          ...(opMode === undefined ? {} : { opMode }),
          ...(q === undefined ? {} : { text: q }),
        },
        { limit, ...(after === undefined ? {} : { after }) },
      );
      return { items: page.items.map(listedView), ...(page.next === undefined ? {} : { next: page.next }) };
    },
  );

  app.get<{ Params: SerialParams }>(
    '/api/chargers/:serial',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getCharger',
        summary: 'A charger: its registration and the live state of both channels, with the last-seen of each',
        tags: ['chargers'],
        params: serialParams,
        response: withAccessErrors({
          200: { ...ref('ChargerDetail'), description: 'The charger' },
          404: errorResponse('Unknown charger'),
        }),
      },
    },
    async (request, reply) => {
      const { serial } = request.params;
      const registration = await chargers.get(serial);
      if (registration === undefined) return reply.code(404).send({ error: `unknown charger ${serial}` });
      const live = await askWorker(options.bus, options.shardCount, serial, { op: 'state' }, 5_000);
      if (!live.ok) request.log.warn({ serial, error: live.error }, 'live state unavailable');
      return {
        ...view(registration),
        live: live.ok ? withIsoTimes(live.body) : null,
        ...(live.ok ? {} : { liveError: live.error }),
      };
    },
  );

  app.delete<{ Params: SerialParams }>(
    '/api/chargers/:serial',
    {
      config: { scope: 'admin', audit: 'charger.delete' },
      schema: {
        operationId: 'deleteCharger',
        summary: 'Forget a charger: it can no longer connect (its history is kept)',
        tags: ['chargers'],
        params: serialParams,
        response: withAccessErrors({
          204: { type: 'null', description: 'Forgotten' },
          404: errorResponse('Unknown charger'),
        }),
      },
    },
    async (request, reply) => {
      const { serial } = request.params;
      if (!(await chargers.delete(serial))) return reply.code(404).send({ error: `unknown charger ${serial}` });
      return reply.code(204).send();
    },
  );

  app.put<{ Params: SerialParams; Body: { amps: number; ttlMinutes: number }; Querystring: { waitMs: number } }>(
    '/api/chargers/:serial/current-limit',
    {
      config: { scope: 'operate', audit: 'charger.current-limit' },
      schema: {
        operationId: 'setCurrentLimit',
        summary: 'Limit the charging current now, the right way for an Easee charger',
        description:
          'Over the Easee stream (SetDynamicChargerCurrent: volatile, no flash wear) when the charger is on it, ' +
          "else with Easee's DynamicChargerCurrent configuration key over OCPP (no flash wear either), and only for " +
          'a charger that does not take that key as a TxDefaultProfile, which spends the flash-write budget (409 ' +
          'when it is spent). Never above an installed ChargePointMaxProfile: the limit is clamped and `clamped` ' +
          'says so. Applied again after a plug-in or a reboot, which reset it on an Easee.',
        tags: ['commands'],
        params: serialParams,
        querystring: {
          type: 'object',
          properties: { waitMs: { type: 'integer', minimum: 0, maximum: 60_000, default: 10_000 } },
        },
        body: ref('CurrentLimitInput'),
        response: withAccessErrors({
          200: { ...ref('CurrentLimitResult'), description: 'Applied' },
          202: { ...ref('CurrentLimitResult'), description: 'Sent over the stream; its outcome is not in yet' },
          400: errorResponse('The body breaks its schema'),
          404: errorResponse('Unknown charger'),
          409: errorResponse('Refused by an Easee rule (the write budget, for a profile)'),
          ...chargerCallErrors,
        }),
      },
    },
    async (request, reply) => {
      const { serial } = request.params;
      const registration = await chargers.get(serial);
      if (registration === undefined) return reply.code(404).send({ error: `unknown charger ${serial}` });
      const answer = await askWorker(
        options.bus,
        options.shardCount,
        serial,
        {
          op: 'current-limit',
          requestId: randomUUID(),
          amps: request.body.amps,
          ttlMinutes: request.body.ttlMinutes,
          rules: ruleSettingsOf(registration),
          timeoutMs: options.callTimeoutMs,
          waitMs: request.query.waitMs,
        },
        Math.max(options.callTimeoutMs, request.query.waitMs) + 10_000,
      );
      return replyWith(reply, answer);
    },
  );

  app.put<{ Params: SerialParams; Body: { idTags: string[] } }>(
    '/api/chargers/:serial/local-list',
    {
      config: { scope: 'operate', audit: 'charger.local-list' },
      schema: {
        operationId: 'setLocalList',
        summary: "Set the charger's local authorization list to these id tags (sent as a difference, Full when needed)",
        tags: ['id-tags'],
        params: serialParams,
        body: ref('LocalListInput'),
        response: withAccessErrors({
          200: { ...ref('OcppCommandResult'), description: "The charger's answer to the SendLocalList" },
          400: errorResponse('An unknown id tag, or a body that breaks its schema'),
          404: errorResponse('Unknown charger'),
          409: errorResponse('Refused by an Easee rule'),
          503: errorResponse('The charger is not connected'),
          504: errorResponse('The charger did not answer in time'),
        }),
      },
    },
    async (request, reply) => {
      const { serial } = request.params;
      const registration = await chargers.get(serial);
      if (registration === undefined) return reply.code(404).send({ error: `unknown charger ${serial}` });
      const entries = [];
      for (const idTag of request.body.idTags) {
        const record = await options.idTags.get(idTag);
        if (record === undefined) return reply.code(400).send({ error: `unknown id tag ${idTag}` });
        entries.push({
          idTag: record.idTag,
          idTagInfo: {
            status: record.status,
            ...(record.expiryDate === undefined ? {} : { expiryDate: record.expiryDate }),
            ...(record.parentIdTag === undefined ? {} : { parentIdTag: record.parentIdTag }),
          },
        });
      }
      const answer = await askWorker(
        options.bus,
        options.shardCount,
        serial,
        { op: 'local-list', entries, timeoutMs: options.callTimeoutMs, rules: ruleSettingsOf(registration) },
        2 * options.callTimeoutMs + 10_000,
      );
      return replyWith(reply, answer);
    },
  );

  app.get<{ Params: SerialParams; Querystring: { connectorId: number; duration: number; unit: 'A' | 'W' } }>(
    '/api/chargers/:serial/charging-schedule',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getChargingSchedule',
        summary:
          "Installed profiles, the composite schedule by the OCPP rules and by Easee's, and what the charger reported",
        tags: ['smart-charging'],
        params: serialParams,
        querystring: {
          type: 'object',
          properties: {
            connectorId: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
            duration: { type: 'integer', minimum: 60, maximum: 7 * 86_400, default: 86_400 },
            unit: { type: 'string', enum: ['A', 'W'], default: 'A' },
          },
        },
        response: withAccessErrors({
          200: { ...ref('ChargingSchedule'), description: 'The schedule and the write budget' },
          400: errorResponse('A query value out of its range'),
          404: errorResponse('Unknown charger'),
        }),
      },
    },
    async (request, reply) => {
      const { serial } = request.params;
      if ((await chargers.get(serial)) === undefined)
        return reply.code(404).send({ error: `unknown charger ${serial}` });
      const { connectorId, duration, unit } = request.query;
      const answer = await askWorker(
        options.bus,
        options.shardCount,
        serial,
        { op: 'charging-schedule', connectorId, durationS: duration, unit },
        5_000,
      );
      return replyWith(reply, answer);
    },
  );

  app.get<{ Params: SerialParams & { requestId: string } }>(
    '/api/chargers/:serial/commands/:requestId',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getOcppCommand',
        summary: 'A recent OCPP command and how it ended; for RemoteStartTransaction, the transaction it led to',
        tags: ['commands'],
        params: recentCommandParams,
        response: withAccessErrors({
          200: { ...ref('CommandRecord'), description: 'The command' },
          404: errorResponse('Unknown charger, or no recent command with that id'),
        }),
      },
    },
    async (request, reply) => {
      const { serial, requestId } = request.params;
      if ((await chargers.get(serial)) === undefined)
        return reply.code(404).send({ error: `unknown charger ${serial}` });
      return replyWith(
        reply,
        await askWorker(options.bus, options.shardCount, serial, { op: 'command', requestId }, 5_000),
      );
    },
  );
}
