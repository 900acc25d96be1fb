import type { TransactionRecord } from '@fleetwire/contracts';
import type { StreamSession } from '@fleetwire/easee';
import { type ChargerContext, remoteStartWindowMs } from '../model.ts';
import type { Reduction } from '../reduction.ts';

/**
 * OCPP 1.6 gives a RemoteStartTransaction no id to find its transaction by: it is the next StartTransaction on the
 * same connector (when one was named) with the same idTag within the window (docs/reference/ocpp16.md §4, item 9).
 */
export function correlateRemoteStart(
  context: ChargerContext,
  record: TransactionRecord,
  at: number,
): { context: ChargerContext; record: TransactionRecord } {
  const live = context.remoteStarts.filter((pending) => at - pending.acceptedAt <= remoteStartWindowMs);
  const match = live.find(
    (pending) =>
      pending.idTag.toLowerCase() === record.idTag.toLowerCase() &&
      (pending.connectorId === undefined || pending.connectorId === record.connectorId),
  );
  if (match === undefined) return { context: { ...context, remoteStarts: live }, record };
  return {
    context: {
      ...context,
      remoteStarts: live.filter((pending) => pending !== match),
      centralCommands: context.centralCommands.map((command) =>
        command.requestId === match.requestId ? { ...command, transactionId: record.id } : command,
      ),
    },
    record: { ...record, remoteStartRequestId: match.requestId },
  };
}

const slackMs = 5 * 60_000;

function overlaps(record: TransactionRecord, session: StreamSession): boolean {
  const start = Date.parse(record.startedAt);
  const stop = record.stoppedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(record.stoppedAt);
  const sessionStart = Date.parse(session.startedAt);
  if (Number.isNaN(start) || Number.isNaN(sessionStart)) return false;
  return (
    Math.abs(sessionStart - start) <= slackMs &&
    (session.stoppedAt === undefined || Date.parse(session.stoppedAt) <= stop + slackMs)
  );
}

/**
 * The OCPP transaction with the Easee stream's record of the same session attached (connector 1, same start within
 * minutes), so both energies show side by side; undefined when they do not match or nothing new is learnt.
 */
export function linkedRecord(
  record: TransactionRecord,
  session: StreamSession,
  at: number,
): TransactionRecord | undefined {
  if (record.connectorId !== 1 || !overlaps(record, session)) return undefined;
  const known = record.streamSession;
  if (known !== undefined && (known.sessionId !== session.sessionId || known.energyWh === session.energyWh)) {
    return undefined;
  }
  return {
    ...record,
    streamSession: {
      sessionId: session.sessionId,
      ...(session.energyWh === undefined ? {} : { energyWh: session.energyWh }),
    },
    updatedAt: at,
  };
}

function linkStreamSession(record: TransactionRecord, session: StreamSession, reduction: Reduction) {
  const linked = linkedRecord(record, session, reduction.at);
  if (linked !== undefined) reduction.emit('transaction-updated', { transaction: linked });
  return linked;
}

/** The transactions with the one of `record`'s id replaced by it. */
export function replacedTransaction(
  transactions: readonly TransactionRecord[],
  record: TransactionRecord,
): TransactionRecord[] {
  return transactions.map((open) => (open.id === record.id ? record : open));
}

/** Links a stream session to the running or recently stopped OCPP transaction it matches, if any. */
export function linkSessionToTransactions(
  context: ChargerContext,
  session: StreamSession,
  reduction: Reduction,
): ChargerContext {
  for (const record of context.transactions) {
    const linked = linkStreamSession(record, session, reduction);
    if (linked !== undefined) return { ...context, transactions: replacedTransaction(context.transactions, linked) };
  }
  const recent = context.recentTransactions;
  for (const [i, record] of recent.entries()) {
    const linked = linkStreamSession(record, session, reduction);
    if (linked !== undefined) {
      return { ...context, recentTransactions: recent.map((entry, j) => (j === i ? linked : entry)) };
    }
  }
  return context;
}
