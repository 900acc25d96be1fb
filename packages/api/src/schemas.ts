// JSON schemas of the API's inputs and outputs; Fastify validates with them and the OpenAPI document shows them.

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

export const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string', description: 'Why, in one line' },
    code: { type: 'string', description: 'OCPP-J error code, for a payload that breaks its schema' },
    rule: { type: 'string', description: 'The Easee rule that refused the command' },
  },
} as const;

export const registrationBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'object',
      additionalProperties: false,
      description:
        'Per-charger overrides: turn the Easee rules off for a charger that is not an Easee, or allow TxProfile',
      properties: { easee: { type: 'boolean' }, txProfile: { type: 'boolean' } },
    },
    password: {
      type: ['string', 'null'],
      minLength: 16,
      maxLength: 64,
      description:
        'Basic-auth password (OCPP AuthorizationKey); stored only as a hash. Omit to keep the current one; ' +
        'null for no authentication.',
    },
  },
} as const;

export const registrationView = {
  type: 'object',
  required: ['serial', 'hasPassword', 'registeredAt', 'updatedAt'],
  properties: {
    serial: { type: 'string' },
    hasPassword: { type: 'boolean' },
    autoRegistered: { type: 'boolean' },
    discoveredBy: { type: 'string', enum: ['easee-stream'], description: 'first seen on the Easee stream' },
    rules: { type: 'object', properties: { easee: { type: 'boolean' }, txProfile: { type: 'boolean' } } },
    registeredAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const idTagBody = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'] },
    expiryDate: { type: 'string', format: 'date-time' },
    parentIdTag: { type: 'string', minLength: 1, maxLength: 20 },
  },
} as const;

export const idTagView = {
  type: 'object',
  required: ['idTag', 'status', 'updatedAt'],
  properties: {
    idTag: { type: 'string' },
    status: { type: 'string' },
    expiryDate: { type: 'string' },
    parentIdTag: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    after: { type: 'string', maxLength: 64, description: 'The `next` cursor of the previous page' },
  },
} as const;

export function pageOf(item: object) {
  return {
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: item },
      next: { type: 'string', description: 'Cursor of the next page; absent on the last page' },
    },
  } as const;
}

export const anyObject = { type: 'object', additionalProperties: true } as const;
