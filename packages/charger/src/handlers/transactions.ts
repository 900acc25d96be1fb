import type { TransactionRecord } from '@fleetwire/contracts';
import type { Violation } from '@fleetwire/ocpp';
import { asInteger, asNumber, asString, asTimestamp, connectorInRange, fieldOf } from '../lenient.ts';
import { latestTotals, normalizeMeterValues } from '../meter.ts';
import type { CallLookups, ChargerContext } from '../model.ts';
import { type Answer, isoTime, type Reduction } from '../reduction.ts';
import { connectorCount } from './calls.ts';
import { idTagInfoOf } from './configuration.ts';
import { correlateRemoteStart, linkedRecord, replacedTransaction } from './correlation.ts';

const rememberedStarts = 8;
const rememberedStops = 8;

/** JSON with object keys in order: the same payload always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * The idempotency key of a StartTransaction: a charger that lost our answer sends the very same payload again and
 * must get the same transaction id. The whole payload, not a few fields (SteVe's connector, idTag, timestamp and
 * meterStart): two different malformed starts that lack those fields must not share an id. The idTag is compared
 * case-insensitively, as OCPP compares id tags.
 */
export function startKey(payload: unknown): string {
  const idTag = asString(fieldOf(payload, 'idTag'));
  const normalised =
    idTag === undefined || typeof payload !== 'object' || payload === null
      ? payload
      : { ...(payload as Record<string, unknown>), idTag: idTag.toLowerCase() };
  return canonical(normalised);
}

export function retriedStartId(context: ChargerContext, payload: unknown): number | undefined {
  const key = startKey(payload);
  return context.recentStarts.find((start) => start.key === key)?.id;
}

/**
 * The charger's time of a transaction message, when it parses; else the server's, with the charger's text kept in
 * a flag. A charger's clock is its own (Easee's virtual devices never set theirs): it is kept, not trusted for order.
 */
function chargerTime(value: unknown, reduction: Reduction, flags: string[]): string {
  const parsed = asTimestamp(value);
  if (parsed !== undefined) return parsed;
  if (value !== undefined) flags.push(`unparseable-timestamp: ${String(JSON.stringify(value)).slice(0, 64)}`);
  return isoTime(reduction.at);
}

function schemaFlags(violation: Violation | undefined): string[] {
  return violation === undefined ? [] : [`schema: ${violation.message}`];
}

function energyBetween(startWh: number, endWh: number | undefined): number | undefined {
  return endWh === undefined ? undefined : endWh - startWh;
}

export function startTransaction(
  context: ChargerContext,
  payload: unknown,
  violation: Violation | undefined,
  lookups: CallLookups,
  reduction: Reduction,
): Answer {
  const idTagInfo = idTagInfoOf(context, asString(fieldOf(payload, 'idTag')), lookups.idTagInfo);
  const retried = retriedStartId(context, payload);
  if (retried !== undefined) return { context, response: { transactionId: retried, idTagInfo } };

  const id = lookups.transactionId;
  if (id === undefined) throw new Error('StartTransaction reached the charger model without a transaction id');
  const rawConnector = fieldOf(payload, 'connectorId');
  const connectorId = connectorInRange(rawConnector, connectorCount(context)) ? rawConnector : undefined;
  const meterStart = asNumber(fieldOf(payload, 'meterStart'));
  const reservationId = asInteger(fieldOf(payload, 'reservationId'));
  const flags = schemaFlags(violation);
  const startedAt = chargerTime(fieldOf(payload, 'timestamp'), reduction, flags);
  if (rawConnector === undefined) flags.push('no-connector-id');
  else if (connectorId === undefined) flags.push(`connector-out-of-range: ${String(rawConnector)}`);
  if (meterStart === undefined) flags.push('no-meter-start');
  if (idTagInfo.status !== 'Accepted') flags.push(`authorization: ${idTagInfo.status}`);

  const transactions: TransactionRecord[] = [];
  // A new start on a connector that still has one open means the older StopTransaction never arrived.
  for (const open of context.transactions) {
    if (open.connectorId !== (connectorId ?? 0)) {
      transactions.push(open);
      continue;
    }
    const energyWh = energyBetween(open.meterStartWh, open.lastMeterWh);
    const superseded: TransactionRecord = {
      ...open,
      status: 'stopped',
      stoppedAt: open.lastMeterAt ?? startedAt,
      stopReason: 'Superseded',
      ...(open.lastMeterWh === undefined ? {} : { meterStopWh: open.lastMeterWh }),
      ...(energyWh === undefined ? {} : { energyWh }),
      flags: [...open.flags, `superseded-by: ${id}`],
      updatedAt: reduction.at,
    };
    reduction.emit('transaction-stopped', { transaction: superseded });
  }

  const record: TransactionRecord = {
    id,
    serial: context.serial,
    connectorId: connectorId ?? 0,
    idTag: asString(fieldOf(payload, 'idTag')) ?? '',
    authorization: idTagInfo.status,
    status: 'active',
    startedAt,
    meterStartWh: meterStart ?? 0,
    ...(reservationId === undefined ? {} : { reservationId }),
    flags,
    updatedAt: reduction.at,
  };
  const correlated = correlateRemoteStart(context, record, reduction.at);
  const streamSession = correlated.context.stream.session;
  const started =
    (streamSession === null ? undefined : linkedRecord(correlated.record, streamSession, reduction.at)) ??
    correlated.record;
  transactions.push(started);
  reduction.emit('transaction-started', { transaction: started });
  return {
    context: {
      ...correlated.context,
      transactions,
      recentStarts: [...context.recentStarts.slice(1 - rememberedStarts), { key: startKey(payload), id }],
    },
    response: { transactionId: id, idTagInfo },
  };
}

export function stopTransaction(
  context: ChargerContext,
  payload: unknown,
  violation: Violation | undefined,
  lookups: CallLookups,
  reduction: Reduction,
): Answer {
  const transactionId = asInteger(fieldOf(payload, 'transactionId'));
  const stopIdTag = asString(fieldOf(payload, 'idTag'));
  // OCPP 1.6 §4.10: the central system shall answer, whatever it thinks of the content.
  const response = stopIdTag === undefined ? {} : { idTagInfo: idTagInfoOf(context, stopIdTag, lookups.idTagInfo) };
  if (transactionId !== undefined && context.recentStops.includes(transactionId)) return { context, response };

  const meterStop = asNumber(fieldOf(payload, 'meterStop'));
  const stopReason = asString(fieldOf(payload, 'reason')) ?? 'Local';
  const transactionData = normalizeMeterValues(fieldOf(payload, 'transactionData'));
  const flags = schemaFlags(violation);
  const stoppedAt = chargerTime(fieldOf(payload, 'timestamp'), reduction, flags);
  if (meterStop === undefined) flags.push('no-meter-stop');
  if (transactionData.unreadable > 0) flags.push(`unreadable-samples: ${transactionData.unreadable}`);
  const recentStops =
    transactionId === undefined
      ? context.recentStops
      : [...context.recentStops.slice(1 - rememberedStops), transactionId];

  const open = transactionId === undefined ? undefined : transactionById(context, transactionId);
  if (open === undefined) {
    // Unknown id (-1 after an offline start, a lost StartTransaction, a foreign id): kept as an orphan stop.
    reduction.emit('transaction-stopped', {
      orphan: true,
      transactionId: transactionId ?? null,
      idTag: stopIdTag ?? null,
      stoppedAt,
      meterStopWh: meterStop ?? null,
      stopReason,
      readings: transactionData.readings,
      flags: [...flags, 'orphan-stop'],
    });
    return { context: { ...context, recentStops }, response };
  }

  const endWh = meterStop ?? latestTotals(transactionData.readings).energyWh ?? open.lastMeterWh;
  const energyWh = energyBetween(open.meterStartWh, endWh);
  if (energyWh !== undefined && energyWh < 0) flags.push('negative-energy');
  const record: TransactionRecord = {
    ...open,
    status: 'stopped',
    stoppedAt,
    stopReason,
    ...(endWh === undefined ? {} : { meterStopWh: endWh }),
    ...(energyWh === undefined ? {} : { energyWh }),
    ...(stopIdTag === undefined ? {} : { stopIdTag }),
    flags: [...open.flags, ...flags],
    updatedAt: reduction.at,
  };
  const transactions = context.transactions.filter((running) => running !== open);
  // The stream's record of the session may have arrived first; link it now.
  let stopped = record;
  for (const session of context.stream.recentSessions) {
    stopped = linkedRecord(stopped, session, reduction.at) ?? stopped;
  }
  reduction.emit('transaction-stopped', { transaction: stopped, readings: transactionData.readings });
  return {
    context: {
      ...context,
      transactions,
      recentStops,
      recentTransactions: [...context.recentTransactions.slice(-2), stopped],
    },
    response,
  };
}

export function transactionById(context: ChargerContext, id: number): TransactionRecord | undefined {
  return context.transactions.find((open) => open.id === id);
}

function openTransactionFor(
  context: ChargerContext,
  transactionId: number | undefined,
  connectorId: number,
): TransactionRecord | undefined {
  if (transactionId !== undefined) {
    const byId = transactionById(context, transactionId);
    if (byId !== undefined) return byId;
  }
  if (connectorId === 0) return undefined;
  return context.transactions.find((open) => open.connectorId === connectorId);
}

export function meterValues(
  context: ChargerContext,
  payload: unknown,
  violation: Violation | undefined,
  reduction: Reduction,
): Answer {
  const rawConnector = fieldOf(payload, 'connectorId');
  const inRange = connectorInRange(rawConnector, connectorCount(context));
  const connectorId = inRange ? rawConnector : 0;
  const transactionId = asInteger(fieldOf(payload, 'transactionId'));
  const normalized = normalizeMeterValues(fieldOf(payload, 'meterValue'));
  const flags = schemaFlags(violation);
  if (!inRange) flags.push(`connector-out-of-range: ${String(rawConnector)}`);
  if (normalized.unreadable > 0) flags.push(`unreadable-samples: ${normalized.unreadable}`);

  const open = openTransactionFor(context, transactionId, connectorId);
  if (open !== undefined && transactionId !== undefined && transactionId !== open.id) {
    flags.push(`unknown-transaction-id: ${transactionId}`);
  }
  const totals = latestTotals(normalized.readings);
  let updated: TransactionRecord | undefined;
  if (open !== undefined && (totals.energyWh !== undefined || totals.powerW !== undefined)) {
    const registerWentBack =
      totals.energyWh !== undefined && open.lastMeterWh !== undefined && totals.energyWh < open.lastMeterWh;
    if (registerWentBack) flags.push('meter-register-decreased');
    const lastMeterWh = totals.energyWh ?? open.lastMeterWh;
    const energyWh = energyBetween(open.meterStartWh, lastMeterWh);
    updated = {
      ...open,
      ...(lastMeterWh === undefined ? {} : { lastMeterWh }),
      ...(totals.energyAt === undefined ? {} : { lastMeterAt: totals.energyAt }),
      ...(totals.powerW === undefined ? {} : { powerW: totals.powerW }),
      ...(energyWh === undefined ? {} : { energyWh }),
      updatedAt: reduction.at,
    };
  }
  reduction.emit('meter-values', {
    connectorId,
    transactionId: open?.id ?? transactionId ?? null,
    readings: normalized.readings,
    flags,
    ...(updated === undefined ? {} : { transaction: updated }),
  });
  if (updated === undefined) return { context, response: {} };
  return {
    context: { ...context, transactions: replacedTransaction(context.transactions, updated) },
    response: {},
  };
}
