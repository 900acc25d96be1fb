import type { IdTagInfo } from '@fleetwire/contracts';
import type { IdTagStore } from '@fleetwire/store';

/**
 * The idTagInfo the central system answers for `idTag` at `now`: the registered status, Expired past the expiry
 * date, Invalid for an unknown tag. StartTransaction re-checks this too (OCPP 1.6 §4.8: the charger's cache may be
 * stale).
 */
export async function idTagInfoFor(idTags: IdTagStore, idTag: string, now: number): Promise<IdTagInfo> {
  if (idTag === '') return { status: 'Invalid' };
  const record = await idTags.get(idTag);
  if (record === undefined) return { status: 'Invalid' };
  const details = {
    ...(record.expiryDate === undefined ? {} : { expiryDate: record.expiryDate }),
    ...(record.parentIdTag === undefined ? {} : { parentIdTag: record.parentIdTag }),
  };
  if (record.expiryDate !== undefined && Date.parse(record.expiryDate) <= now) return { status: 'Expired', ...details };
  return { status: record.status, ...details };
}
