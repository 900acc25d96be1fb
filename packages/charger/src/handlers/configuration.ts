import type { IdTagInfo } from '@fleetwire/contracts';
import { isSecretKey } from '@fleetwire/redaction';
import { asArray, asString, fieldOf } from '../lenient.ts';
import type { ChargerContext } from '../model.ts';

const maxKeys = 200;
const maxValueLength = 500;

/** The value of a configuration key as the charger last reported or accepted it, whatever the key's case. */
export function configured(context: ChargerContext, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context.configuration)) if (name.toLowerCase() === wanted) return value;
  return undefined;
}

function withValues(context: ChargerContext, values: readonly (readonly [string, string])[]): ChargerContext {
  const configuration = { ...context.configuration };
  for (const [key, value] of values) {
    if (isSecretKey(key) || value.length > maxValueLength) continue;
    const existing = Object.keys(configuration).find((name) => name.toLowerCase() === key.toLowerCase());
    if (existing !== undefined) delete configuration[existing];
    if (Object.keys(configuration).length >= maxKeys) continue;
    configuration[key] = value;
  }
  return { ...context, configuration };
}

/**
 * Keeps what the charger said of its configuration. Easee's free-charging switch moves two keys: freecharging=true
 * also sets ExternalAuthorizationRequired=false, and ExternalAuthorizationRequired=true turns free charging off
 * (docs/reference/easee.md §5.1).
 */
export function applyConfigurationAnswer(
  context: ChargerContext,
  action: string,
  request: unknown,
  response: unknown,
): ChargerContext {
  if (action === 'GetConfiguration') {
    const values: [string, string][] = [];
    for (const entry of asArray(fieldOf(response, 'configurationKey'))) {
      const key = asString(fieldOf(entry, 'key'));
      const value = asString(fieldOf(entry, 'value'));
      if (key !== undefined && value !== undefined) values.push([key, value]);
    }
    return withValues(context, values);
  }
  const answer = asString(fieldOf(response, 'status'));
  const key = asString(fieldOf(request, 'key'));
  const value = asString(fieldOf(request, 'value'));
  if ((answer !== 'Accepted' && answer !== 'RebootRequired') || key === undefined || value === undefined) {
    return context;
  }
  const lower = key.toLowerCase();
  const values: [string, string][] = [[key, value]];
  if (lower === 'freecharging' && value === 'true') values.push(['ExternalAuthorizationRequired', 'false']);
  if (lower === 'externalauthorizationrequired' && value === 'true') values.push(['freecharging', 'false']);
  return withValues(context, values);
}

/** The idTag Easee starts free sessions with, when free charging is not known to be off. */
export function freeChargingTag(context: ChargerContext): string | undefined {
  if (configured(context, 'freecharging') === 'false') return undefined;
  const tag = configured(context, 'rfidtagfreecharging') ?? configured(context, 'rfidfreecharging');
  return tag === undefined || tag === '' ? undefined : tag;
}

const accepted: IdTagInfo = { status: 'Accepted' };
const unknownTag: IdTagInfo = { status: 'Invalid' };

/**
 * The idTagInfo the charger gets for `idTag`: its registration's, except that the free-charging tag this charger
 * was given is Accepted here (and only here), so a charger with StopTransactionOnInvalidId keeps a free session.
 */
export function idTagInfoOf(
  context: ChargerContext,
  idTag: string | undefined,
  looked: IdTagInfo | undefined,
): IdTagInfo {
  const free = freeChargingTag(context);
  if (idTag !== undefined && free !== undefined && idTag.toLowerCase() === free.toLowerCase()) return accepted;
  return looked ?? unknownTag;
}
