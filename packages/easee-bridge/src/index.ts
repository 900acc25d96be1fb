export { type BridgeCounts, EaseeBridge, type EaseeBridgeOptions } from './bridge.ts';
