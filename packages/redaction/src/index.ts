export { isSecretKey, redacted, redactedText } from './redact.ts';
