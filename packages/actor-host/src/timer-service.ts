interface Entry {
  readonly at: number;
  readonly serial: string;
  readonly name: string;
}

export type TimerFired = (serial: string, name: string, deadline: number) => void;

/**
 * One timer for all deadlines of a worker: a min-heap of (deadline, serial, name) behind a single setTimeout.
 * Moving a deadline later costs nothing (the old entry re-arms itself when it comes up); moving it earlier
 * pushes one entry. Deadlines live in the actors' snapshots, so the heap is rebuilt when a shard is acquired.
 */
export class TimerService {
  private readonly heap: Entry[] = [];
  private readonly armed = new Map<string, Map<string, number>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly clock: () => number;
  private readonly fired: TimerFired;

  constructor(clock: () => number, fired: TimerFired) {
    this.clock = clock;
    this.fired = fired;
  }

  /** Makes the timers of `serial` match `deadlines` exactly. */
  sync(serial: string, deadlines: Readonly<Record<string, number>>): void {
    const current = this.armed.get(serial);
    if (current !== undefined) {
      for (const name of current.keys()) if (deadlines[name] === undefined) current.delete(name);
    }
    for (const [name, at] of Object.entries(deadlines)) this.arm(serial, name, at);
    if (current?.size === 0) this.armed.delete(serial);
  }

  arm(serial: string, name: string, at: number): void {
    let names = this.armed.get(serial);
    if (names === undefined) {
      names = new Map();
      this.armed.set(serial, names);
    }
    const previous = names.get(name);
    names.set(name, at);
    if (previous !== undefined && previous <= at) return;
    this.push({ at, serial, name });
    this.schedule();
  }

  forget(serial: string): void {
    this.armed.delete(serial);
  }

  get size(): number {
    let total = 0;
    for (const names of this.armed.values()) total += names.size;
    return total;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private schedule(): void {
    const next = this.heap[0];
    if (next === undefined || next.at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = next.at;
    // setTimeout cannot wait longer than 2^31-1 ms.
    const wait = Math.min(Math.max(0, next.at - this.clock()), 2_147_483_647);
    this.timer = setTimeout(() => this.run(), wait);
    this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.clock();
    for (let next = this.heap[0]; next !== undefined && next.at <= now; next = this.heap[0]) {
      this.pop();
      const wanted = this.armed.get(next.serial)?.get(next.name);
      if (wanted === undefined || wanted < next.at) continue;
      if (wanted > next.at) {
        this.push({ at: wanted, serial: next.serial, name: next.name });
        continue;
      }
      this.armed.get(next.serial)?.delete(next.name);
      this.fired(next.serial, next.name, next.at);
    }
    this.schedule();
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Entry).at <= entry.at) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as Entry;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && (heap[right] as Entry).at < (heap[left] as Entry).at ? right : left;
      if ((heap[child] as Entry).at >= last.at) break;
      heap[i] = heap[child] as Entry;
      i = child;
    }
    heap[i] = last;
  }
}
