export * from './bus.ts';
export { InProcessBus } from './in-process.ts';
export {
  JetStreamCommandSink,
  JetStreamCommandSource,
  JetStreamEaseePort,
  JetStreamShardStreams,
} from './jetstream-easee.ts';
export { JetStreamEventLog } from './jetstream-event-log.ts';
export { LocalCommandQueue, LocalEaseeStream } from './local-easee.ts';
export { NatsBus, type NatsBusOptions } from './nats.ts';
export { ensureStream, type StreamName, streamConfigs } from './streams.ts';
