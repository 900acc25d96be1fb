/**
 * Acknowledges a consumer's messages in batches, where an ack covers every earlier message (JetStream's
 * AckPolicy.All, RabbitMQ's ack with `multiple`).
 * Messages are done out of order — each charger commits its own — so only the highest sequence below which every
 * delivered message is done is acknowledged, at most once per `intervalMs`. A message never done holds the floor;
 * after the consumer's ack wait, everything above it is delivered again, and the charger's applied sequence skips
 * what it already has.
 */
export class AckFloor<T> {
  /** Delivered messages not yet covered by an ack, in delivery (= sequence) order. */
  private readonly outstanding: { readonly seq: number; readonly message: T; done: boolean }[] = [];
  /** The outstanding messages not yet done, by sequence. */
  private readonly bySeq = new Map<number, { readonly seq: number; readonly message: T; done: boolean }>();
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly ack: (message: T) => void;
  private readonly intervalMs: number;

  constructor(ack: (message: T) => void, intervalMs = 20) {
    this.ack = ack;
    this.intervalMs = intervalMs;
  }

  /** A message as it is delivered (again, after an ack wait: the same entry); the returned function marks it done. */
  delivered(seq: number, message: T): () => void {
    let entry = this.bySeq.get(seq);
    if (entry === undefined) {
      entry = { seq, message, done: false };
      this.outstanding.push(entry);
      this.bySeq.set(seq, entry);
    }
    const marked = entry;
    return () => {
      const entry = marked;
      if (entry.done) return;
      entry.done = true;
      this.bySeq.delete(entry.seq);
      this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
    };
  }

  /** Acknowledges the floor now (and stops waiting to). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    let floor: { readonly message: T } | undefined;
    while (this.head < this.outstanding.length && (this.outstanding[this.head] as { done: boolean }).done) {
      floor = this.outstanding[this.head];
      this.head += 1;
    }
    if (this.head > 1_024 || this.head === this.outstanding.length) {
      this.outstanding.splice(0, this.head);
      this.head = 0;
    }
    if (floor !== undefined) this.ack(floor.message);
  }

  get pending(): number {
    return this.outstanding.length - this.head;
  }
}
