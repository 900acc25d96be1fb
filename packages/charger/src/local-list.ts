import type { LocalAuthList } from './model.ts';

export interface LocalListEntry {
  readonly idTag: string;
  readonly idTagInfo: unknown;
}

export interface LocalListUpdate {
  readonly listVersion: number;
  readonly updateType: 'Full' | 'Differential';
  readonly localAuthorizationList: readonly { readonly idTag: string; readonly idTagInfo?: unknown }[];
}

/**
 * The SendLocalList payloads that bring a charger from the list it last acknowledged to `entries` (OCPP 1.6 §5.15):
 * a Differential with what changed (an id tag without idTagInfo is removed), or only a Full when it acknowledged
 * none. The Full is what to send when the Differential is answered Failed or VersionMismatch.
 */
export function localListUpdates(
  known: LocalAuthList | null,
  entries: readonly LocalListEntry[],
): { readonly full: LocalListUpdate; readonly differential: LocalListUpdate | null } {
  const version = (known?.version ?? 0) + 1;
  const full: LocalListUpdate = {
    listVersion: version,
    updateType: 'Full',
    localAuthorizationList: entries.map(({ idTag, idTagInfo }) => ({ idTag, idTagInfo })),
  };
  if (known === null) return { full, differential: null };
  const wanted = new Map(entries.map(({ idTag, idTagInfo }) => [idTag, idTagInfo]));
  const changed = [...wanted]
    .filter(([idTag, info]) => JSON.stringify(known.entries[idTag]) !== JSON.stringify(info))
    .map(([idTag, idTagInfo]) => ({ idTag, idTagInfo }));
  const removed = Object.keys(known.entries)
    .filter((idTag) => !wanted.has(idTag))
    .map((idTag) => ({ idTag }));
  return {
    full: { ...full, listVersion: version + 1 },
    differential: {
      listVersion: version,
      updateType: 'Differential',
      localAuthorizationList: [...changed, ...removed],
    },
  };
}
