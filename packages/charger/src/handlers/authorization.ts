import type { IdTagInfo } from '@fleetwire/contracts';
import type { CallLookups, ChargerContext } from '../model.ts';
import type { Answer } from '../reduction.ts';

const unknownTag: IdTagInfo = { status: 'Invalid' };

export function authorize(context: ChargerContext, lookups: CallLookups): Answer {
  return { context, response: { idTagInfo: lookups.idTagInfo ?? unknownTag } };
}
