/** CALLERROR codes of OCPP-J 1.6 §4.2.3. */
export const errorCodes = [
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

const knownCodes: ReadonlySet<string> = new Set(errorCodes);

/**
 * Reads an error code a peer sent. The 1.6 text spells "Occurence", later editions and some firmware
 * "Occurrence": both mean the same thing. Codes from other OCPP versions (FormatViolation, RpcFrameworkError)
 * are mapped to their 1.6 equivalent; anything else becomes GenericError.
 */
export function normalizeErrorCode(code: unknown): ErrorCode {
  if (typeof code !== 'string') return 'GenericError';
  if (knownCodes.has(code)) return code as ErrorCode;
  switch (code) {
    case 'OccurrenceConstraintViolation':
      return 'OccurenceConstraintViolation';
    case 'FormatViolation':
      return 'FormationViolation';
    case 'RpcFrameworkError':
    case 'MessageTypeNotSupported':
      return 'ProtocolError';
    default:
      return 'GenericError';
  }
}

/** A refusal to be sent back as a CALLERROR. */
export class OcppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, description: string, details: Record<string, unknown> = {}) {
    super(description);
    this.name = 'OcppError';
    this.code = code;
    this.details = details;
  }
}
