import type { OcppRequest, OcppResponse } from '@fleetwire/ocpp';

/** A finished session as the charger keeps it, for ListEaseeSessions. */
export interface FinishedSession {
  readonly idTag: string;
  readonly startedAt: number;
  readonly meterStartWh: number;
  readonly stoppedAt?: number;
  readonly meterStopWh?: number;
  readonly sessionId: number;
}

/** Easee's DataTransfer messages (vendor `no.easee`, docs/reference/easee.md §0.1). */
export function easeeDataTransfer(
  request: OcppRequest<'DataTransfer'>,
  sessions: readonly FinishedSession[],
): OcppResponse<'DataTransfer'> {
  if (request.vendorId !== 'no.easee') return { status: 'UnknownVendorId' };
  switch (request.messageId?.toLowerCase()) {
    case 'overrideschedule':
      return { status: 'Accepted' };
    case 'listeaseesessions':
      return {
        status: 'Accepted',
        data: JSON.stringify(
          sessions
            .filter((session) => session.stoppedAt !== undefined)
            .map((session) => ({
              connectorId: 1,
              idTag: session.idTag,
              meterStart: session.meterStartWh,
              start: new Date(session.startedAt).toISOString(),
              meterStop: session.meterStopWh,
              stop: new Date(session.stoppedAt as number).toISOString(),
              sequenceNumber: session.sessionId,
            })),
        ),
      };
    default:
      return { status: 'UnknownMessageId' };
  }
}
