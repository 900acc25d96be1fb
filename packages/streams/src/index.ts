export {
  JetStreamCommandSink,
  JetStreamCommandSource,
  JetStreamEaseePort,
  JetStreamShardStreams,
} from './jetstream-easee.ts';
export { JetStreamEventLog } from './jetstream-event-log.ts';
export { LocalCommandQueue, LocalEaseeStream } from './local-easee.ts';
export { ensureStream, ensureStreams } from './streams.ts';
