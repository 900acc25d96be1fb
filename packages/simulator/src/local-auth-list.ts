import type { OcppRequest, OcppResponse } from '@fleetwire/ocpp';

/** The charger's local authorization list: its version and the status of each id tag (upper-cased). */
export class LocalAuthList {
  version = 0;
  private readonly statuses = new Map<string, string>();

  accepts(idTag: string): boolean {
    return this.statuses.get(idTag.toUpperCase()) === 'Accepted';
  }

  /** SendLocalList within the charger's limits: `maxPerMessage` entries per message, `maxHeld` held. */
  send(
    request: OcppRequest<'SendLocalList'>,
    maxPerMessage: number,
    maxHeld: number,
  ): OcppResponse<'SendLocalList'>['status'] {
    if (request.updateType === 'Differential' && request.listVersion <= this.version) return 'VersionMismatch';
    const entries = request.localAuthorizationList ?? [];
    if (entries.length > maxPerMessage) return 'Failed';
    const statuses = new Map(request.updateType === 'Full' ? [] : this.statuses);
    for (const entry of entries) {
      const key = entry.idTag.toUpperCase();
      if (entry.idTagInfo === undefined) statuses.delete(key);
      else statuses.set(key, entry.idTagInfo.status);
    }
    if (statuses.size > maxHeld) return 'Failed';
    this.statuses.clear();
    for (const [key, value] of statuses) this.statuses.set(key, value);
    this.version = request.listVersion;
    return 'Accepted';
  }
}
