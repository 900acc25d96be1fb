import { retriedStartId } from './handlers/transactions.ts';
import { asString, fieldOf } from './lenient.ts';
import type { ChargerContext } from './model.ts';
import { answeredBefore } from './reduce.ts';

/** What the worker must look up before the model can answer a CALL. */
export interface CallPlan {
  /** The idTag whose registration decides the answer (Authorize, StartTransaction, StopTransaction). */
  readonly idTag?: string;
  /** True when the call starts a transaction that does not have an id yet (not a retry). */
  readonly needsTransactionId: boolean;
}

const none: CallPlan = { needsTransactionId: false };

export function planCall(
  context: ChargerContext,
  sessionId: string,
  messageId: string,
  action: string,
  payload: unknown,
): CallPlan {
  if (answeredBefore(context, sessionId, messageId) !== undefined) return none;
  switch (action) {
    case 'Authorize':
    case 'StopTransaction': {
      const idTag = asString(fieldOf(payload, 'idTag'));
      return idTag === undefined ? none : { idTag, needsTransactionId: false };
    }
    case 'StartTransaction': {
      const idTag = asString(fieldOf(payload, 'idTag')) ?? '';
      return { idTag, needsTransactionId: retriedStartId(context, payload) === undefined };
    }
    default:
      return none;
  }
}
