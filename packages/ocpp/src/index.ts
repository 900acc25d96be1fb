export * from './actions.ts';
export * from './errors.ts';
export * from './frames.ts';
export * from './payloads.ts';
export * from './validation.ts';
