export * from './commands.ts';
export * from './enums.ts';
export * from './observations.ts';
export * from './routing-keys.ts';
export * from './sessions.ts';
export * from './ticks.ts';
export * from './values.ts';
export * from './wire.ts';
