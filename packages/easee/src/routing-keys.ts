/** Message kinds on the operator stream: observation, command, command response. */
export type RoutingKind = 'O' | 'C' | 'CR';

export interface RoutingKey {
  readonly serial: string;
  readonly kind: RoutingKind;
  readonly id: number;
  /** Masterloop appends the command's .NET ticks to C and CR keys. */
  readonly ticks?: string;
}

const kinds: ReadonlySet<string> = new Set(['O', 'C', 'CR']);

/** `<Serial>.O.<ObservationId>`, `<Serial>.CR.<CommandId>[.<ticks>]`; undefined when it is neither. */
export function parseRoutingKey(key: string): RoutingKey | undefined {
  const parts = key.split('.');
  if (parts.length < 3 || parts.length > 4) return undefined;
  const [serial, kind, id, ticks] = parts as [string, string, string, string | undefined];
  if (serial === '' || !kinds.has(kind) || !/^\d{1,5}$/.test(id)) return undefined;
  if (ticks !== undefined && !/^\d{1,20}$/.test(ticks)) return undefined;
  return { serial, kind: kind as RoutingKind, id: Number(id), ...(ticks === undefined ? {} : { ticks }) };
}

export function formatRoutingKey(key: RoutingKey): string {
  return [key.serial, key.kind, key.id, ...(key.ticks === undefined ? [] : [key.ticks])].join('.');
}
