import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import schemas from 'ocpp-rpc/lib/schemas/ocpp1_6.json' with { type: 'json' };
import type { ErrorCode } from './errors.ts';

/** Why a payload does not match its OCA schema, as the CALLERROR code and one line a person can read. */
export interface Violation {
  readonly code: ErrorCode;
  readonly message: string;
}

const codeByKeyword: Record<string, ErrorCode> = {
  required: 'OccurenceConstraintViolation',
  minItems: 'OccurenceConstraintViolation',
  maxItems: 'OccurenceConstraintViolation',
  type: 'TypeConstraintViolation',
  additionalProperties: 'FormationViolation',
};

function describe(error: ErrorObject): Violation {
  const where = error.instancePath === '' ? 'payload' : error.instancePath.slice(1).replaceAll('/', '.');
  const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  return {
    code: codeByKeyword[error.keyword] ?? 'PropertyConstraintViolation',
    message: `${where} ${error.message ?? 'is invalid'}${extra}`,
  };
}

// ajv-formats is CommonJS: an ESM default import is its module.exports, which carries the plugin as `.default`.
const addFormats = addFormatsModule.default;

function compileAll(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strictSchema: false, allErrors: false });
  addFormats(ajv);
  // The OCA schemas use multipleOf 0.1; binary floating point makes 0.3 fail a naive check.
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword({
    keyword: 'multipleOf',
    type: 'number',
    errors: false,
    metaSchema: { type: 'number' },
    compile: (step: number) => (value: number) => {
      const quotient = value / step;
      return Math.abs(Math.round(quotient) - quotient) < 1e-6;
    },
  });
  const validators = new Map<string, ValidateFunction>();
  for (const { $id, ...schema } of schemas) {
    // The "urn:<Action>.req" ids are not URIs ajv's resolver accepts; the schemas only use local $refs.
    validators.set($id, ajv.compile(schema));
  }
  return validators;
}

// Compiled once per process, when the package is first imported.
const validators = compileAll();

function validate(schemaId: string, payload: unknown): Violation | undefined {
  const validator = validators.get(schemaId);
  if (validator === undefined) return { code: 'NotImplemented', message: `no schema ${schemaId}` };
  if (validator(payload)) return undefined;
  const [first] = validator.errors ?? [];
  return first === undefined ? { code: 'FormationViolation', message: 'payload is invalid' } : describe(first);
}

/** Checks the payload of a CALL for `action` (either direction) against its OCA 1.6 schema. */
export function validateRequest(action: string, payload: unknown): Violation | undefined {
  return validate(`urn:${action}.req`, payload);
}

/** Checks the payload of the CALLRESULT answering `action` against its OCA 1.6 schema. */
export function validateResponse(action: string, payload: unknown): Violation | undefined {
  return validate(`urn:${action}.conf`, payload);
}
