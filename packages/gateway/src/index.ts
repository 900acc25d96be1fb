export type { ChargerConnection, ConnectionSettings } from './connection.ts';
export { type GatewayOptions, OcppGateway } from './gateway.ts';
export { ocppSubprotocol, serialFromPath } from './handshake.ts';
