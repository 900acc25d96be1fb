import type { Action } from './actions.ts';
import type { RequestByAction, ResponseByAction } from './types.generated.ts';

export type * from './types.generated.ts';

/** The payload of a CALL for `A`, as the OCA schema describes it. */
export type OcppRequest<A extends Action> = RequestByAction[A];
/** The payload of the CALLRESULT answering `A`. */
export type OcppResponse<A extends Action> = ResponseByAction[A];
