import { asString, fieldOf } from '../lenient.ts';
import type { CallLookups, ChargerContext } from '../model.ts';
import type { Answer } from '../reduction.ts';
import { idTagInfoOf } from './configuration.ts';

export function authorize(context: ChargerContext, payload: unknown, lookups: CallLookups): Answer {
  return {
    context,
    response: { idTagInfo: idTagInfoOf(context, asString(fieldOf(payload, 'idTag')), lookups.idTagInfo) },
  };
}
