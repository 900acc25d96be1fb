// .NET DateTime ticks: 100 ns since 0001-01-01T00:00:00Z. Easee correlates a command and its response by them.
const epochOffsetMs = 62_135_596_800_000n;

export function ticksOf(ms: number): string {
  return ((BigInt(Math.trunc(ms)) + epochOffsetMs) * 10_000n).toString();
}

export function msOfTicks(ticks: string): number {
  return Number(BigInt(ticks) / 10_000n - epochOffsetMs);
}
