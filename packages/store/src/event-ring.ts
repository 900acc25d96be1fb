import { type EventFilter, passesFilter } from './stores.ts';

/** Bytes of event JSON per chunk; an event larger than this gets a chunk of its own size. */
const defaultChunkBytes = 1024 * 1024;

export interface EventRingLimits {
  /** Events held at most; the oldest goes first. */
  readonly events: number;
  /** Bytes of their JSON held at most (in whole chunks): the oldest chunk's events go first. */
  readonly bytes: number;
  readonly chunkBytes?: number;
}

/**
 * The newest events of a log, oldest first, with their ids for deduplication: each event's JSON in byte chunks
 * outside the JS heap, and the fields readers filter on in typed arrays. Held as a string and a record each, a
 * hundred thousand events were most of the all-in-one's old generation, and every one of them was promoted there and
 * died there (docs/adr/0017).
 */
export class EventRing {
  private readonly capacity: number;
  private readonly maxBytes: number;
  private readonly chunkBytes: number;

  private readonly chunks: Buffer[] = [];
  /** The number of `chunks[0]`; chunks are numbered in the order they were made. */
  private firstChunk = 0;
  private chunkedBytes = 0;
  /** Bytes used of the newest chunk. */
  private fill = 0;

  // One slot per event, in a circle: `start` is the oldest, `size` how many there are.
  private readonly seqs: Float64Array;
  private readonly chunkOf: Float64Array;
  private readonly offsets: Uint32Array;
  private readonly lengths: Uint32Array;
  private readonly typeOf: Uint16Array;
  private readonly serials: (string | undefined)[];
  private readonly ids: (string | undefined)[];
  private start = 0;
  size = 0;

  private readonly typeNames: string[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly idSet = new Set<string>();

  constructor(limits: EventRingLimits) {
    this.capacity = Math.max(1, limits.events);
    this.maxBytes = limits.bytes;
    this.chunkBytes = limits.chunkBytes ?? defaultChunkBytes;
    this.seqs = new Float64Array(this.capacity);
    this.chunkOf = new Float64Array(this.capacity);
    this.offsets = new Uint32Array(this.capacity);
    this.lengths = new Uint32Array(this.capacity);
    this.typeOf = new Uint16Array(this.capacity);
    this.serials = new Array(this.capacity);
    this.ids = new Array(this.capacity);
  }

  has(id: string): boolean {
    return this.idSet.has(id);
  }

  push(seq: number, id: string, type: string, serial: string, json: string): void {
    if (this.size === this.capacity) this.dropOldest();
    const bytes = Buffer.byteLength(json);
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || this.fill + bytes > chunk.length) chunk = this.newChunk(bytes);
    chunk.write(json, this.fill, bytes, 'utf8');
    const slot = (this.start + this.size) % this.capacity;
    this.seqs[slot] = seq;
    this.chunkOf[slot] = this.firstChunk + this.chunks.length - 1;
    this.offsets[slot] = this.fill;
    this.lengths[slot] = bytes;
    this.typeOf[slot] = this.typeNumber(type);
    this.serials[slot] = serial;
    this.ids[slot] = id;
    this.idSet.add(id);
    this.fill += bytes;
    this.size += 1;
  }

  /** The i-th event's sequence number, oldest first. */
  seqAt(i: number): number {
    return this.seqs[this.slotOf(i)] as number;
  }

  /** The index of the first event with a sequence number above `seq` (`size` when there is none). */
  indexAfter(seq: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.seqAt(middle) <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  matches(i: number, filter: EventFilter): boolean {
    const slot = this.slotOf(i);
    return passesFilter(this.serials[slot] as string, this.typeNames[this.typeOf[slot] as number] as string, filter);
  }

  jsonAt(i: number): string {
    const slot = this.slotOf(i);
    const chunk = this.chunks[(this.chunkOf[slot] as number) - this.firstChunk] as Buffer;
    const offset = this.offsets[slot] as number;
    return chunk.toString('utf8', offset, offset + (this.lengths[slot] as number));
  }

  private slotOf(i: number): number {
    return (this.start + i) % this.capacity;
  }

  private typeNumber(type: string): number {
    let number = this.typeIndex.get(type);
    if (number === undefined) {
      number = this.typeNames.length;
      this.typeNames.push(type);
      this.typeIndex.set(type, number);
    }
    return number;
  }

  private newChunk(bytes: number): Buffer {
    const length = Math.max(this.chunkBytes, bytes);
    while (this.chunks.length > 0 && this.chunkedBytes + length > this.maxBytes) this.dropOldestChunk();
    const chunk = Buffer.allocUnsafeSlow(length);
    this.chunks.push(chunk);
    this.chunkedBytes += length;
    this.fill = 0;
    return chunk;
  }

  private dropOldest(): void {
    const id = this.ids[this.start] as string;
    this.idSet.delete(id);
    this.ids[this.start] = undefined;
    this.serials[this.start] = undefined;
    this.start = (this.start + 1) % this.capacity;
    this.size -= 1;
    // Chunks behind the oldest event are free; the newest is kept for the next event.
    while (this.chunks.length > 1 && (this.size === 0 || (this.chunkOf[this.start] as number) > this.firstChunk)) {
      this.releaseOldestChunk();
    }
  }

  private dropOldestChunk(): void {
    const oldest = this.firstChunk;
    while (this.size > 0 && this.chunkOf[this.start] === oldest) this.dropOldest();
    if (this.firstChunk === oldest) this.releaseOldestChunk();
  }

  private releaseOldestChunk(): void {
    const chunk = this.chunks.shift() as Buffer;
    this.chunkedBytes -= chunk.length;
    this.firstChunk += 1;
  }
}
