import { type ErrorCode, normalizeErrorCode } from './errors.ts';

export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;

/** OCPP-J 1.6 §4.1.4: a message id is a string of at most 36 characters. */
export const maxMessageIdLength = 36;

export interface CallFrame {
  readonly type: typeof CALL;
  readonly id: string;
  readonly action: string;
  readonly payload: unknown;
}

export interface CallResultFrame {
  readonly type: typeof CALLRESULT;
  readonly id: string;
  readonly payload: unknown;
}

export interface CallErrorFrame {
  readonly type: typeof CALLERROR;
  readonly id: string;
  readonly code: ErrorCode;
  readonly description: string;
  readonly details: unknown;
}

export type Frame = CallFrame | CallResultFrame | CallErrorFrame;

/**
 * What a received text became: a frame; a malformed CALL to answer with a CALLERROR (when it has an id to
 * answer to); or something to drop (no usable id, an unknown message type: OCPP-J §4.1.3 says ignore it).
 */
export type ParsedFrame =
  | { readonly kind: 'frame'; readonly frame: Frame }
  | { readonly kind: 'malformed'; readonly id: string; readonly code: ErrorCode; readonly reason: string }
  | { readonly kind: 'drop'; readonly reason: string };

// Recovers the id of a CALL whose JSON does not parse, so that the sender still gets an answer.
const leadingCallId = /^\s*\[\s*2\s*,\s*"([^"\\]{1,36})"/;

function usableId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= maxMessageIdLength;
}

export function parseFrame(text: string): ParsedFrame {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    const id = leadingCallId.exec(text)?.[1];
    return id === undefined
      ? { kind: 'drop', reason: 'not JSON' }
      : { kind: 'malformed', id, code: 'FormationViolation', reason: 'message is not valid JSON' };
  }
  if (!Array.isArray(message) || message.length < 3) {
    return { kind: 'drop', reason: 'not an OCPP-J message array' };
  }
  const [type, id] = message;
  if (type !== CALL && type !== CALLRESULT && type !== CALLERROR) {
    return { kind: 'drop', reason: `unknown message type ${JSON.stringify(type)}` };
  }
  if (!usableId(id)) {
    if (type === CALL && (typeof id === 'string' || typeof id === 'number') && String(id).length > 0) {
      return {
        kind: 'malformed',
        id: String(id).slice(0, maxMessageIdLength),
        code: 'FormationViolation',
        reason: `message id must be a string of 1 to ${maxMessageIdLength} characters`,
      };
    }
    return { kind: 'drop', reason: 'no usable message id' };
  }
  switch (type) {
    case CALL: {
      const action = message[2];
      if (message.length !== 4 || typeof action !== 'string' || action.length === 0) {
        return { kind: 'malformed', id, code: 'FormationViolation', reason: 'a CALL is [2, id, action, payload]' };
      }
      return { kind: 'frame', frame: { type, id, action, payload: message[3] } };
    }
    case CALLRESULT:
      return { kind: 'frame', frame: { type, id, payload: message[2] } };
    case CALLERROR:
      return {
        kind: 'frame',
        frame: {
          type,
          id,
          code: normalizeErrorCode(message[2]),
          description: typeof message[3] === 'string' ? message[3] : '',
          details: message[4] ?? {},
        },
      };
    default:
      return { kind: 'drop', reason: 'unreachable message type' };
  }
}

export function serializeCall(id: string, action: string, payload: unknown): string {
  return JSON.stringify([CALL, id, action, payload]);
}

export function serializeCallResult(id: string, payload: unknown): string {
  return JSON.stringify([CALLRESULT, id, payload]);
}

/** OCPP-J §4.2.3: the description is "" and the details {} when there are none. */
export function serializeCallError(id: string, code: ErrorCode, description = '', details: unknown = {}): string {
  return JSON.stringify([CALLERROR, id, code, description.slice(0, 255), details]);
}
