export { buildApi } from './app.ts';
export type { ApiOptions, Readiness } from './context.ts';
export { buildStandaloneApi } from './standalone.ts';
