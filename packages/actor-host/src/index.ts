export { ActorHost, type ActorHostOptions, type EaseeCommandPolicy } from './actor-host.ts';
export { idTagInfoFor } from './authorization.ts';
export { isNotOwnerMessage, NotOwnerError } from './errors.ts';
export { TimerService } from './timer-service.ts';
