export type KeyspaceOp =
  | { readonly type: 'put'; readonly ns: string; readonly key: string; readonly value: unknown }
  /** Adds `value` at the end of the list at `key` (a list of one when there is none). */
  | { readonly type: 'append'; readonly ns: string; readonly key: string; readonly value: unknown }
  | { readonly type: 'delete'; readonly ns: string; readonly key: string };

/**
 * A value the keyspace holds as its JSON text: one flat string for the collector instead of an object graph. A
 * charger's snapshot and its journaled inputs are written at its message rate, read only when the charger is
 * loaded, and live until its next snapshot; held as objects, every one of them was promoted to the old generation
 * and died there, which is what set how often the all-in-one ran a full collection (docs/adr/0017).
 */
export class JsonText {
  readonly json: string;

  constructor(json: string) {
    this.json = json;
  }

  static of(value: unknown): JsonText {
    return new JsonText(JSON.stringify(value));
  }

  /** Keeps `JSON.stringify` of anything holding one correct; the journal splices `json` in instead (`opJson`). */
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/** A stored value as a plain value: a `JsonText` parsed, anything else as it is. */
export function plainValue<T>(value: unknown): T {
  return (value instanceof JsonText ? JSON.parse(value.json) : value) as T;
}

/**
 * `JSON.stringify(op)`, with `JsonText` spliced in rather than parsed and written again: a value that is one, or a
 * list of them (a charger's journal, as compaction writes it).
 */
export function opJson(op: KeyspaceOp): string {
  if (op.type === 'delete') return JSON.stringify(op);
  const value = op.value;
  let json: string;
  if (value instanceof JsonText) json = value.json;
  else if (Array.isArray(value) && value.some((item) => item instanceof JsonText)) {
    json = `[${value.map((item) => (item instanceof JsonText ? item.json : (JSON.stringify(item) ?? 'null'))).join(',')}]`;
  } else return JSON.stringify(op);
  return `{"type":"${op.type}","ns":${JSON.stringify(op.ns)},"key":${JSON.stringify(op.key)},"value":${json}}`;
}

/** Where a keyspace makes its writes durable; the memory keyspace has none. */
export interface Durability {
  persist(ops: readonly KeyspaceOp[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Namespaced key → JSON value maps, held in memory. Writes apply at once (read-your-writes) and resolve when
 * durable. The memory and file-backed stores of the all-in-one process are built on this.
 */
export class Keyspace {
  private readonly namespaces = new Map<string, Map<string, unknown>>();
  private readonly sortedCache = new Map<string, string[]>();
  private durability: Durability | undefined;

  useDurability(durability: Durability): void {
    this.durability = durability;
  }

  private namespace(ns: string): Map<string, unknown> {
    let map = this.namespaces.get(ns);
    if (map === undefined) {
      map = new Map();
      this.namespaces.set(ns, map);
    }
    return map;
  }

  get<T>(ns: string, key: string): T | undefined {
    return this.namespaces.get(ns)?.get(key) as T | undefined;
  }

  has(ns: string, key: string): boolean {
    return this.namespaces.get(ns)?.has(key) ?? false;
  }

  values<T>(ns: string): IterableIterator<T> {
    return this.namespace(ns).values() as IterableIterator<T>;
  }

  size(ns: string): number {
    return this.namespaces.get(ns)?.size ?? 0;
  }

  /** Keys of `ns` in ascending order; sorted once, then kept in order as keys come and go. */
  sortedKeys(ns: string): readonly string[] {
    let sorted = this.sortedCache.get(ns);
    if (sorted === undefined) {
      sorted = [...this.namespace(ns).keys()].sort();
      this.sortedCache.set(ns, sorted);
    }
    return sorted;
  }

  // One binary search and one move per new or removed key, so that registering a charger does not cost a re-sort
  // of the fleet on the next listing.
  private keepSorted(ns: string, key: string, added: boolean): void {
    const sorted = this.sortedCache.get(ns);
    if (sorted === undefined) return;
    const at = firstKeyAfter(sorted, key);
    if (added) sorted.splice(at, 0, key);
    else if (sorted[at - 1] === key) sorted.splice(at - 1, 1);
  }

  /** Every entry as a put, for compaction. */
  *dump(): IterableIterator<KeyspaceOp> {
    for (const [ns, map] of this.namespaces) {
      for (const [key, value] of map) yield { type: 'put', ns, key, value };
    }
  }

  apply(op: KeyspaceOp): void {
    const map = this.namespace(op.ns);
    const existing = map.get(op.key);
    const existed = existing !== undefined || map.has(op.key);
    if (op.type === 'put') map.set(op.key, op.value);
    else if (op.type === 'append') {
      if (Array.isArray(existing)) existing.push(op.value);
      else map.set(op.key, [op.value]);
    } else map.delete(op.key);
    const exists = op.type !== 'delete';
    if (existed !== exists) this.keepSorted(op.ns, op.key, exists);
  }

  async write(ops: readonly KeyspaceOp[]): Promise<void> {
    for (const op of ops) this.apply(op);
    if (this.durability !== undefined) await this.durability.persist(ops);
  }

  async close(): Promise<void> {
    await this.durability?.close();
  }
}

/** Index of the first key greater than `after` in an ascending array. */
export function firstKeyAfter(sorted: readonly string[], after: string | undefined): number {
  if (after === undefined) return 0;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}
