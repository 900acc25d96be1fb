export { isSecretKey, redacted } from './redact.ts';
