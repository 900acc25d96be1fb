import { fnv1a32, shardOf } from '@fleetwire/contracts';
import { describe, expect, it } from 'vitest';
import { ownerOf, shardsOf } from '../src/index.ts';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('spreads serials evenly over the shards', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 256_000; i++) {
      const shard = shardOf(`EH${i.toString().padStart(6, '0')}`, 256);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });
});

describe('rendezvous placement', () => {
  const members = ['worker-0', 'worker-1', 'worker-2'];

  it('gives every shard exactly one owner, evenly', () => {
    const counts = new Map<string, number>();
    for (let shard = 0; shard < 256; shard++) {
      const owner = ownerOf(shard, members) as string;
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    expect([...counts.values()].reduce((a, b) => a + b)).toBe(256);
    for (const count of counts.values()) expect(count).toBeGreaterThan(60);
  });

  it('moves only the shards of a member that joins or leaves', () => {
    const before = Array.from({ length: 256 }, (_, shard) => ownerOf(shard, members));
    const joined = Array.from({ length: 256 }, (_, shard) => ownerOf(shard, [...members, 'worker-3']));
    const moved = before.filter((owner, shard) => owner !== joined[shard]);
    expect(moved.length).toBeGreaterThan(40);
    expect(moved.length).toBeLessThan(90);
    expect(joined.filter((owner, shard) => owner !== before[shard]).every((owner) => owner === 'worker-3')).toBe(true);
    const left = Array.from({ length: 256 }, (_, shard) => ownerOf(shard, ['worker-0', 'worker-2']));
    left.forEach((owner, shard) => {
      if (before[shard] !== 'worker-1') expect(owner).toBe(before[shard]);
    });
    expect(shardsOf('worker-1', members, 256)).toEqual(
      before.flatMap((owner, shard) => (owner === 'worker-1' ? [shard] : [])),
    );
  });
});
