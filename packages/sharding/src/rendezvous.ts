import { fnv1a32 } from '@fleetwire/contracts';

// murmur3's finaliser: spreads the bits of fnv1a32, which on its own correlates for similar inputs.
function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Rendezvous (highest random weight) placement: the member with the highest weight for a shard owns it. Every
 * node computes the same answer from the same member list, and a join or leave moves only ~1/N of the shards.
 */
export function ownerOf(shard: number, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1;
  for (const member of members) {
    const weight = mix(fnv1a32(member) ^ Math.imul(shard + 1, 0x9e3779b1));
    if (weight > bestWeight || (weight === bestWeight && best !== undefined && member < best)) {
      best = member;
      bestWeight = weight;
    }
  }
  return best;
}

export function shardsOf(member: string, members: readonly string[], shardCount: number): number[] {
  const owned: number[] = [];
  for (let shard = 0; shard < shardCount; shard++) if (ownerOf(shard, members) === member) owned.push(shard);
  return owned;
}
