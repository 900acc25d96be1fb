export {
  commandCatalog,
  commandEffects,
  commandsById,
  decodeCommandArguments,
  type EncodedCommand,
  encodeCommand,
  nonIdempotentCommands,
} from './commands.ts';
export { OpMode, ocppStatusOfOpMode, opModeNames, reasonForNoCurrentNames } from './enums.ts';
export { ObservationId, observationCatalog } from './observations.ts';
export { parseRoutingKey } from './routing-keys.ts';
export { readStreamSession, type StreamSession } from './sessions.ts';
export { msOfTicks, ticksOf } from './ticks.ts';
export { decodeValue, encodeValue } from './values.ts';
export {
  commandResponseBody,
  messageIdentity,
  observationBody,
  parseOperatorMessage,
  type StreamMessage,
} from './wire.ts';
