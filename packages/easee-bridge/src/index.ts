export type { BridgeCounts } from './bridge.ts';
export { EaseeBridge, type EaseeBridgeOptions } from './bridge.ts';
