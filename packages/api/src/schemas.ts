// The API's named schemas: Fastify validates and serialises with them, and the OpenAPI document lists each under
// components.schemas by its $id. Every time is an ISO 8601 UTC string; a code stands beside its name.
import { fleetEventTypes } from '@fleetwire/contracts';
import type { FastifyInstance } from 'fastify';

export const serialParam = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,48}$',
  description: 'Charger serial number, which is also its OCPP identity',
} as const;

export const idTagParam = {
  type: 'string',
  minLength: 1,
  maxLength: 20,
  description: 'OCPP IdToken (CiString20, case-insensitive)',
} as const;

const time = { type: 'string', format: 'date-time' } as const;
const open = { type: 'object', additionalProperties: true } as const;

export const ref = (id: string) => ({ $ref: `${id}#` }) as const;

const schemas = [
  {
    $id: 'Error',
    type: 'object',
    description: 'Why a request was refused, in one line',
    required: ['error'],
    properties: {
      error: { type: 'string', description: 'Why, in one line' },
      code: { type: 'string', description: 'OCPP-J error code, for a payload that breaks its schema' },
      rule: { type: 'string', description: 'The Easee rule that refused the command (409)' },
    },
  },
  {
    $id: 'Rules',
    type: 'object',
    additionalProperties: false,
    description:
      'Per-charger overrides: turn the Easee rules off for a charger that is not an Easee, or allow TxProfile',
    properties: { easee: { type: 'boolean' }, txProfile: { type: 'boolean' } },
  },
  {
    $id: 'RegistrationInput',
    type: 'object',
    additionalProperties: false,
    properties: {
      rules: ref('Rules'),
      password: {
        type: ['string', 'null'],
        minLength: 16,
        maxLength: 64,
        description:
          'Basic-auth password (OCPP AuthorizationKey), a JSON string; stored only as a hash. Omit to keep the ' +
          'current one; null for no authentication.',
      },
    },
  },
  {
    $id: 'Registration',
    type: 'object',
    required: ['serial', 'hasPassword', 'registeredAt', 'updatedAt'],
    properties: {
      serial: { type: 'string' },
      hasPassword: { type: 'boolean' },
      autoRegistered: { type: 'boolean' },
      discoveredBy: { type: 'string', enum: ['easee-stream'], description: 'first seen on the Easee stream' },
      rules: ref('Rules'),
      registeredAt: time,
      updatedAt: time,
    },
  },
  {
    $id: 'LiveState',
    type: 'object',
    description: 'The live state kept for listing and filtering the fleet',
    properties: {
      connected: { type: 'boolean', description: 'connected over OCPP now' },
      ocppStatus: { type: 'string', description: 'OCPP status of connector 1' },
      opMode: { type: 'integer', description: 'Easee ChargerOpMode (observation 109)' },
      opModeName: { type: 'string', description: 'the name of opMode, e.g. Charging' },
      ocppSeenAt: time,
      streamSeenAt: time,
    },
  },
  {
    $id: 'ListedCharger',
    type: 'object',
    required: ['serial', 'hasPassword', 'registeredAt', 'updatedAt', 'live'],
    properties: {
      serial: { type: 'string' },
      hasPassword: { type: 'boolean' },
      autoRegistered: { type: 'boolean' },
      discoveredBy: { type: 'string', enum: ['easee-stream'] },
      rules: ref('Rules'),
      registeredAt: time,
      updatedAt: time,
      live: ref('LiveState'),
    },
  },
  {
    $id: 'ChargerPage',
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: ref('ListedCharger') },
      next: { type: 'string', description: 'Cursor of the next page (`after`); absent on the last page' },
    },
  },
  {
    $id: 'Measured',
    type: 'object',
    description: 'A live figure and the channel it came from; `stale` when the stream went quiet',
    required: ['value', 'source'],
    properties: {
      value: { type: 'number' },
      source: { type: 'string', enum: ['stream', 'ocpp'] },
      stale: { type: 'boolean' },
    },
  },
  {
    $id: 'ChargerState',
    type: 'object',
    description: 'Both channels of a charger as its model holds them, from the worker that owns it',
    required: ['serial', 'ocpp', 'stream', 'measured'],
    properties: {
      serial: { type: 'string' },
      ocpp: {
        type: 'object',
        additionalProperties: true,
        properties: {
          connected: { type: 'boolean' },
          session: { ...open, type: ['object', 'null'] },
          lastSeenAt: { type: ['string', 'null'], format: 'date-time' },
          boot: { ...open, type: ['object', 'null'] },
          heartbeatIntervalS: { type: 'integer' },
          connectors: { ...open, description: 'By connector id: status, errorCode, info, updatedAt' },
          activeTransactions: { type: 'array', items: ref('Transaction') },
          wantedAvailability: open,
          configuration: { ...open, description: 'Keys the charger reported or accepted (never a secret)' },
          firmware: { ...open, type: ['object', 'null'] },
          diagnostics: { ...open, type: ['object', 'null'] },
        },
      },
      stream: {
        type: 'object',
        additionalProperties: true,
        properties: {
          lastSeenAt: { type: ['string', 'null'], format: 'date-time' },
          stale: { type: 'boolean', description: 'No stream data for 15 minutes: shown, not taken as live' },
          opMode: { type: ['integer', 'null'] },
          opModeName: { type: ['string', 'null'] },
          status: { type: ['string', 'null'] },
          observations: { ...open, description: 'Every observation by name: value and the charger time of it' },
          pendingCommands: { type: 'array', items: open },
          recentCommands: { type: 'array', items: ref('EaseeCommandOutcome') },
        },
      },
      measured: {
        type: 'object',
        properties: {
          powerW: { oneOf: [ref('Measured'), { type: 'null' }] },
          sessionEnergyWh: { oneOf: [ref('Measured'), { type: 'null' }] },
        },
      },
      dynamicCurrent: { ...open, type: ['object', 'null'], description: 'The real-time limit an operator set' },
    },
  },
  {
    $id: 'ChargerDetail',
    type: 'object',
    required: ['serial', 'hasPassword', 'registeredAt', 'updatedAt', 'live'],
    properties: {
      serial: { type: 'string' },
      hasPassword: { type: 'boolean' },
      autoRegistered: { type: 'boolean' },
      discoveredBy: { type: 'string', enum: ['easee-stream'] },
      rules: ref('Rules'),
      registeredAt: time,
      updatedAt: time,
      live: { oneOf: [ref('ChargerState'), { type: 'null' }] },
      liveError: { type: 'string', description: 'Why the live state is missing (its worker did not answer)' },
    },
  },
  {
    $id: 'ImportResult',
    type: 'object',
    description: 'What a bulk import did, row by row (lines count from 1, the CSV header excluded)',
    required: ['created', 'updated', 'failed'],
    properties: {
      created: { type: 'integer' },
      updated: { type: 'integer' },
      failed: {
        type: 'array',
        items: {
          type: 'object',
          required: ['line', 'error'],
          properties: { line: { type: 'integer' }, error: { type: 'string' } },
        },
      },
    },
  },
  {
    $id: 'SiteInput',
    type: 'object',
    additionalProperties: false,
    required: ['maxCurrentA'],
    description: 'A fuse (amps per phase) and the chargers behind it; circuits are fuses of their own inside the site',
    properties: {
      name: { type: 'string', maxLength: 200 },
      maxCurrentA: { type: 'number', minimum: 0, maximum: 10_000 },
      phases: { type: 'integer', enum: [1, 3], default: 3 },
      minCurrentA: { type: 'number', minimum: 6, maximum: 32, default: 6, description: 'Below it a car gets 0' },
      chargers: { type: 'array', maxItems: 2_000, uniqueItems: true, items: serialParam },
      circuits: {
        type: 'array',
        maxItems: 200,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'maxCurrentA', 'chargers'],
          properties: {
            id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,48}$' },
            maxCurrentA: { type: 'number', minimum: 0, maximum: 10_000 },
            chargers: { type: 'array', maxItems: 2_000, uniqueItems: true, items: serialParam },
          },
        },
      },
      fallbackCurrentA: {
        type: 'integer',
        minimum: 0,
        maximum: 80,
        description: 'What each charger falls back to without its cloud; absent: a share every fuse holds',
      },
    },
  },
  {
    $id: 'SiteLimitInput',
    type: 'object',
    additionalProperties: false,
    required: ['maxCurrentA'],
    properties: {
      maxCurrentA: {
        type: ['number', 'null'],
        minimum: 0,
        maximum: 10_000,
        description: 'Amps per phase; null lifts it',
      },
      until: { ...time, description: 'When it ends; absent: until lifted' },
    },
  },
  {
    $id: 'Site',
    type: 'object',
    required: ['siteId', 'maxCurrentA', 'phases', 'minCurrentA', 'chargers', 'circuits', 'createdAt', 'updatedAt'],
    properties: {
      siteId: { type: 'string' },
      name: { type: 'string' },
      maxCurrentA: { type: 'number' },
      phases: { type: 'integer' },
      minCurrentA: { type: 'number' },
      chargers: { type: 'array', items: { type: 'string' } },
      circuits: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            maxCurrentA: { type: 'number' },
            chargers: { type: 'array', items: { type: 'string' } },
          },
        },
      },
      fallbackCurrentA: { type: 'integer' },
      createdAt: time,
      updatedAt: time,
    },
  },
  {
    $id: 'SiteAllocation',
    type: 'object',
    description:
      'The live allocation of a site: per charger the current it may draw, how it was sent and confirmed, what it ' +
      'draws; totals against the limit (ceiling: each charger counted at the most it may be drawing)',
    required: ['siteId', 'limitA', 'allowedTotalA', 'ceilingTotalA', 'chargers'],
    properties: {
      siteId: { type: 'string' },
      defined: { type: 'boolean' },
      limitA: { type: 'number' },
      temporaryLimit: { ...open, type: ['object', 'null'] },
      fallbackA: { type: ['number', 'null'] },
      allowedTotalA: { type: 'number' },
      ceilingTotalA: { type: 'number' },
      measuredTotalA: { type: 'number' },
      circuits: { type: 'array', items: open },
      chargers: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            serial: { type: 'string' },
            circuitId: { type: ['string', 'null'] },
            allowedA: { type: 'number' },
            ceilingA: { type: 'number' },
            measuredA: { type: ['number', 'null'] },
            wants: { type: ['boolean', 'null'] },
            online: { type: ['boolean', 'null'] },
            answering: { type: 'boolean' },
            queued: { type: 'boolean' },
            channel: { type: ['string', 'null'] },
            appliedAt: { oneOf: [time, { type: 'null' }] },
            confirmedAt: { oneOf: [time, { type: 'null' }] },
            reportedAt: { oneOf: [time, { type: 'null' }] },
          },
        },
      },
    },
  },
  {
    $id: 'SiteWithAllocation',
    type: 'object',
    required: ['site'],
    properties: {
      site: ref('Site'),
      allocation: { oneOf: [ref('SiteAllocation'), { type: 'null' }] },
      allocationError: {
        type: 'string',
        description: 'Why the live allocation is missing (its worker did not answer)',
      },
    },
  },
  {
    $id: 'IdTagInput',
    type: 'object',
    additionalProperties: false,
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'] },
      expiryDate: time,
      parentIdTag: { type: 'string', minLength: 1, maxLength: 20 },
    },
  },
  {
    $id: 'IdTag',
    type: 'object',
    required: ['idTag', 'status', 'updatedAt'],
    properties: {
      idTag: { type: 'string' },
      status: { type: 'string' },
      expiryDate: time,
      parentIdTag: { type: 'string' },
      updatedAt: time,
    },
  },
  {
    $id: 'IdTagPage',
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: ref('IdTag') },
      next: { type: 'string', description: 'Cursor of the next page (`after`); absent on the last page' },
    },
  },
  {
    $id: 'OcppCommandResult',
    type: 'object',
    required: ['requestId', 'response'],
    properties: {
      requestId: { type: 'string', description: 'For GET /api/chargers/{serial}/commands/{requestId}' },
      response: { ...open, description: 'The CALLRESULT payload the charger answered' },
      resentFull: { type: 'boolean', description: 'Local list: a Differential was refused, a Full was sent' },
      differentialStatus: { type: 'string' },
    },
  },
  {
    $id: 'CommandRecord',
    type: 'object',
    description: 'An OCPP command and how it ended (or that it is still waiting); its request never shows a secret',
    required: ['requestId', 'action'],
    properties: {
      requestId: { type: 'string' },
      action: { type: 'string' },
      status: { type: 'string', enum: ['pending'], description: 'Only while it waits for the charger' },
      request: open,
      requestedAt: time,
      settledAt: time,
      outcome: open,
      transactionId: { type: 'integer', description: 'For a RemoteStartTransaction: the transaction it led to' },
      reservedWrite: { type: 'boolean' },
      origin: { type: 'string' },
    },
  },
  {
    $id: 'EaseeCommandOutcome',
    type: 'object',
    required: ['requestId', 'status'],
    properties: {
      requestId: { type: 'string' },
      status: { type: 'string', enum: ['pending', 'accepted', 'rejected', 'no-response', 'expired'] },
      name: { type: 'string' },
      commandId: { type: 'integer' },
      attempts: { type: 'integer' },
      resultCode: { type: ['integer', 'null'] },
      comment: { type: 'string' },
      ticks: { type: 'string', description: "The cloud's ticks in its command response" },
      confirmedBy: { type: 'string', enum: ['observation', 'boot', 'reconnect'] },
      corrected: { type: 'boolean', description: 'A late response corrected a no-response' },
      requestedAt: time,
      settledAt: time,
      confirmedAt: time,
      pending: open,
    },
  },
  {
    $id: 'CurrentLimitInput',
    type: 'object',
    additionalProperties: false,
    required: ['amps', 'ttlMinutes'],
    properties: {
      amps: { type: 'number', minimum: 0, maximum: 40 },
      ttlMinutes: { type: 'integer', minimum: 0, maximum: 1_440, description: '0: until changed' },
    },
  },
  {
    $id: 'CurrentLimitResult',
    type: 'object',
    required: ['requestId', 'channel', 'status'],
    properties: {
      requestId: { type: 'string' },
      channel: {
        type: 'string',
        enum: ['easee-stream', 'ocpp-key', 'ocpp-profile'],
        description: 'SetDynamicChargerCurrent, the DynamicChargerCurrent key, or a TxDefaultProfile (flash)',
      },
      status: { type: 'string', enum: ['accepted', 'pending'] },
      amps: { type: 'number' },
      requestedA: { type: 'number' },
      ttlMinutes: { type: 'integer' },
      clamped: {
        type: 'object',
        description: 'The limit was lowered to the installed ChargePointMaxProfile',
        properties: { requestedA: { type: 'number' }, appliedA: { type: 'number' }, capA: { type: 'number' } },
      },
    },
  },
  {
    $id: 'LocalListInput',
    type: 'object',
    required: ['idTags'],
    additionalProperties: false,
    properties: {
      idTags: { type: 'array', maxItems: 10_000, items: { type: 'string', minLength: 1, maxLength: 20 } },
    },
  },
  {
    $id: 'ChargingSchedule',
    type: 'object',
    required: ['connectorId', 'installedProfiles', 'ocppComposite', 'easeeEffective', 'writeBudget'],
    properties: {
      connectorId: { type: 'integer' },
      installedProfiles: { type: 'array', items: open },
      ocppComposite: { ...open, description: 'The composite schedule by the OCPP rules (§3.13.3)' },
      easeeEffective: { ...open, description: 'What an Easee applies: a TxDefaultProfile overrides ChargePointMax' },
      reportedByCharger: { ...open, type: ['object', 'null'] },
      writeBudget: {
        type: 'object',
        properties: {
          remaining: { type: 'integer' },
          capacity: { type: 'integer' },
          perDay: { type: 'number' },
          nextWriteAt: time,
          reservedByPendingCalls: { type: 'integer' },
        },
      },
    },
  },
  {
    $id: 'Transaction',
    type: 'object',
    required: ['id', 'serial', 'connectorId', 'idTag', 'status', 'startedAt', 'meterStartWh', 'flags', 'updatedAt'],
    properties: {
      id: { type: 'integer' },
      serial: { type: 'string' },
      connectorId: { type: 'integer' },
      idTag: { type: 'string' },
      authorization: { type: 'string' },
      status: { type: 'string', enum: ['active', 'stopped'] },
      startedAt: time,
      stoppedAt: time,
      meterStartWh: { type: 'number' },
      lastMeterWh: { type: 'number' },
      lastMeterAt: { type: 'string' },
      meterStopWh: { type: 'number' },
      energyWh: { type: 'number' },
      energyKWh: { type: 'number', description: 'energyWh in kWh' },
      durationS: { type: 'integer', description: 'from start to stop, or to now while active' },
      powerW: { type: 'number' },
      stopReason: { type: 'string' },
      stopIdTag: { type: 'string' },
      reservationId: { type: 'integer' },
      remoteStartRequestId: { type: 'string' },
      streamSession: {
        type: 'object',
        description: "The Easee stream's record of the same session",
        properties: { sessionId: { type: 'integer' }, energyWh: { type: 'number' } },
      },
      flags: { type: 'array', items: { type: 'string' }, description: 'Why the record deserves a second look' },
      updatedAt: time,
    },
  },
  {
    $id: 'TransactionPage',
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: ref('Transaction') },
      next: { type: 'string', description: 'Cursor of the next page (`after`); absent on the last page' },
    },
  },
  {
    $id: 'TokenInput',
    type: 'object',
    required: ['name', 'scopes'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 64 },
      scopes: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', enum: ['read', 'operate', 'admin'] },
      },
    },
  },
  {
    $id: 'Token',
    type: 'object',
    required: ['id', 'name', 'scopes', 'createdAt'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'array', items: { type: 'string' } },
      createdAt: time,
      token: { type: 'string', description: 'Only in the answer that created it' },
    },
  },
  { $id: 'TokenList', type: 'array', items: ref('Token') },
  {
    $id: 'AuditEntry',
    type: 'object',
    additionalProperties: true,
    required: ['seq', 'at', 'serial', 'actor', 'action'],
    properties: {
      seq: { type: 'integer' },
      at: time,
      serial: { type: 'string' },
      actor: { type: 'string', description: 'The token name' },
      action: { type: 'string' },
      method: { type: 'string' },
      path: { type: 'string' },
      status: { type: 'integer' },
      request: { description: 'Redacted; an import is kept as counts and keys' },
      result: { description: 'Redacted' },
    },
  },
  {
    $id: 'AuditPage',
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: ref('AuditEntry') },
      next: { type: 'string', description: 'Cursor of the next page (`after`); absent on the last page' },
    },
  },
  {
    $id: 'FleetEvent',
    type: 'object',
    description:
      'One event of the fleet, the `data:` of a Server-Sent Event whose `event:` is its type and `id:` its sequence',
    required: ['id', 'type', 'serial', 'at', 'data'],
    properties: {
      id: { type: 'string', description: '<serial>:<seq of that charger>' },
      type: { type: 'string', enum: [...fleetEventTypes] },
      serial: { type: 'string' },
      at: time,
      data: open,
    },
  },
] as const;

export function registerSchemas(app: FastifyInstance): void {
  for (const schema of schemas) app.addSchema(schema);
}

const error = (description: string) => ({ ...ref('Error'), description });

/** The answers every route that takes a token may give besides its own. */
export function withAccessErrors(responses: Record<number, unknown>): Record<number, unknown> {
  return {
    ...responses,
    401: error('No valid bearer token'),
    403: error("The token's scopes do not allow this"),
    429: error('Too many requests for this token; see Retry-After'),
  };
}

export { error as errorResponse };

/** The answers of a route that sends the charger a CALL and waits for its answer. */
export const chargerCallErrors = {
  502: error('The charger answered with a CALLERROR'),
  503: error('The charger is not connected'),
  504: error('The charger did not answer in time'),
} as const;

/** The path parameters of a recent command of one charger. */
export const recentCommandParams = {
  type: 'object',
  required: ['serial', 'requestId'],
  properties: { serial: serialParam, requestId: { type: 'string', maxLength: 64 } },
} as const;

export const eventTypesDescription = `Event types: ${fleetEventTypes.join(', ')} (audit for admin tokens only).`;
