export type { MessageHandler, RequestHandler, RequestOptions } from './bus.ts';
export { type Bus, NoRespondersError, RemoteError, RequestTimeoutError, type Subscription } from './bus.ts';
export { InProcessBus } from './in-process.ts';
export {
  JetStreamCommandSink,
  JetStreamCommandSource,
  JetStreamEaseePort,
  JetStreamShardStreams,
} from './jetstream-easee.ts';
export { JetStreamEventLog } from './jetstream-event-log.ts';
export { LocalCommandQueue, LocalEaseeStream } from './local-easee.ts';
export type { NatsBusOptions } from './nats.ts';
export { NatsBus } from './nats.ts';
export { ensureStream } from './streams.ts';
