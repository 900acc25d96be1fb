/** docs/design.md: 256 shards unless configured; fixed for the life of a cluster. */
export const defaultShardCount = 256;

/**
 * FNV-1a, 32 bit, over the serial's characters. Serials are ASCII (checked at the door), so a character is a
 * byte and this equals FNV-1a over the UTF-8 bytes, as any other language computes it.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function shardOf(serial: string, shardCount: number): number {
  return fnv1a32(serial) % shardCount;
}
