import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventRing } from '../src/event-ring.ts';

interface Pushed {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly serial: string;
  readonly json: string;
}

function contents(ring: EventRing): { seq: number; json: string }[] {
  return Array.from({ length: ring.size }, (_, i) => ({ seq: ring.seqAt(i), json: ring.jsonAt(i) }));
}

describe('event ring', () => {
  it('holds the newest events within its count and byte limits, each exactly as pushed', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '€', '𝄞', '"', '\\'), maxLength: 90 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 16, max: 128 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(text, fc.constantFrom('status', 'meter-values'), fc.constantFrom('EH1', 'EH2')), {
          maxLength: 80,
        }),
        (events, chunkBytes, chunks, inputs) => {
          const maxBytes = chunkBytes * chunks;
          const ring = new EventRing({ events, bytes: maxBytes, chunkBytes });
          const pushed: Pushed[] = [];
          for (const [body, type, serial] of inputs) {
            const entry = {
              seq: pushed.length + 1,
              id: `${serial}:${pushed.length + 1}`,
              type,
              serial,
              json: `{"b":${JSON.stringify(body)}}`,
            };
            ring.push(entry.seq, entry.id, entry.type, entry.serial, entry.json);
            pushed.push(entry);
          }
          const held = contents(ring);
          // The newest events, in order, each as it was pushed; the newest always among them.
          expect(held).toEqual(pushed.slice(pushed.length - held.length).map(({ seq, json }) => ({ seq, json })));
          if (pushed.length > 0) expect(held.length).toBeGreaterThan(0);
          expect(held.length).toBeLessThanOrEqual(events);
          // Within the byte limit, but for an event larger than a chunk (which gets one of its own).
          const heldBytes = held.reduce((sum, { json }) => sum + Buffer.byteLength(json), 0);
          const largest = Math.max(0, ...held.map(({ json }) => Buffer.byteLength(json)));
          expect(heldBytes).toBeLessThanOrEqual(Math.max(maxBytes, largest));
          // Ids are known exactly while their events are held.
          const heldSeqs = new Set(held.map(({ seq }) => seq));
          for (const entry of pushed) expect(ring.has(entry.id)).toBe(heldSeqs.has(entry.seq));
          // Filters see the fields of each event.
          for (let i = 0; i < held.length; i++) {
            const entry = pushed[(held[i]?.seq as number) - 1] as Pushed;
            expect(ring.matches(i, { serial: entry.serial, types: [entry.type] })).toBe(true);
            expect(ring.matches(i, { serial: entry.serial === 'EH1' ? 'EH2' : 'EH1' })).toBe(false);
            expect(ring.matches(i, { types: ['connection'] })).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lets go of the oldest chunk of events only, when a new one is needed', () => {
    const ring = new EventRing({ events: 100, bytes: 300, chunkBytes: 100 });
    const json = (seq: number) => `{"seq":"${String(seq).padStart(2, '0')}","pad":"${'x'.repeat(29)}"}`;
    expect(Buffer.byteLength(json(1))).toBe(50);
    for (let seq = 1; seq <= 10; seq++) ring.push(seq, `EH1:${seq}`, 'status', 'EH1', json(seq));
    // Two events a chunk, three chunks: the newest six.
    expect(contents(ring)).toEqual([5, 6, 7, 8, 9, 10].map((seq) => ({ seq, json: json(seq) })));
    ring.push(11, 'EH1:11', 'status', 'EH1', json(11));
    expect(contents(ring).map(({ seq }) => seq)).toEqual([7, 8, 9, 10, 11]);
  });

  it('finds where to resume across a gap in sequence numbers', () => {
    const ring = new EventRing({ events: 10, bytes: 1024 });
    for (const seq of [1, 2, 3, 10, 11]) ring.push(seq, `EH1:${seq}`, 'status', 'EH1', `{"seq":${seq}}`);
    expect(ring.indexAfter(0)).toBe(0);
    expect(ring.indexAfter(3)).toBe(3);
    expect(ring.indexAfter(5)).toBe(3);
    expect(ring.seqAt(ring.indexAfter(5))).toBe(10);
    expect(ring.indexAfter(11)).toBe(5);
  });
});
