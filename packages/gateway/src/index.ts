export type { GatewayOptions } from './gateway.ts';
export { OcppGateway } from './gateway.ts';
