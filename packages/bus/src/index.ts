export type { MessageHandler, RequestHandler, RequestOptions } from './bus.ts';
export { type Bus, NoRespondersError, RemoteError, RequestTimeoutError, type Subscription } from './bus.ts';
export { InProcessBus } from './in-process.ts';
export type { NatsBusOptions } from './nats.ts';
export { NatsBus } from './nats.ts';
