export type { EaseeCommandPolicy } from './actor-host.ts';
export { ActorHost, type ActorHostOptions } from './actor-host.ts';
export { TimerService } from './timer-service.ts';
