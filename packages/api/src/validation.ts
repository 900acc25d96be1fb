import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * How the API validates what it is sent. Query strings and paths are text, so their numbers and booleans are
 * coerced; a JSON body is not: a number where a password string belongs is refused, not turned into text
 * (1234567890123456789 would become "1234567890123456800"). A number that is not finite (`limit=Infinity`,
 * `1e999`) is refused everywhere, whatever the schema says: Ajv lets Infinity through `integer` and `maximum`.
 */
function ajv(coerce: boolean): Ajv {
  const instance = new Ajv({
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  // ajv-formats is CommonJS: its ESM default import carries the plugin as `.default`.
  addFormatsModule.default(instance);
  return instance;
}

function nonFinite(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nonFinite(inner, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A validator compiler over the API's named schemas (those the routes reference with $ref). */
export function validatorCompiler(shared: Readonly<Record<string, unknown>>): FastifySchemaCompiler<unknown> {
  const coercing = ajv(true);
  const strict = ajv(false);
  for (const schema of Object.values(shared)) {
    coercing.addSchema(schema as object);
    strict.addSchema(schema as object);
  }
  return ({ schema, httpPart }) => {
    const validate: ValidateFunction = (httpPart === 'body' ? strict : coercing).compile(schema as object);
    const checked = (data: unknown) => {
      if (!validate(data)) {
        checked.errors = validate.errors ?? null;
        return false;
      }
      const path = nonFinite(data, '');
      if (path !== undefined) {
        checked.errors = [
          { keyword: 'finite', instancePath: path, schemaPath: '#', params: {}, message: 'must be a finite number' },
        ];
        return false;
      }
      checked.errors = null;
      return true;
    };
    checked.errors = null as ValidateFunction['errors'];
    return checked;
  };
}
