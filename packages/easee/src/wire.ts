import { observationCatalog } from './observations.ts';
import { formatRoutingKey, parseRoutingKey } from './routing-keys.ts';
import { decodeValue } from './values.ts';

/** An observation from the operator queue, checked and decoded (W, Wh). */
export interface Observation {
  readonly kind: 'observation';
  readonly serial: string;
  readonly observationId: number;
  readonly name: string;
  /** The charger's time of the value (ISO, as sent) and in ms: newest wins per observation id. */
  readonly timestamp: string;
  readonly timestampMs: number;
  readonly value: unknown;
  readonly arrivalTime?: string;
}

/** A command response from the operator queue. */
export interface CommandResponse {
  readonly kind: 'command-response';
  readonly serial: string;
  readonly commandId: number;
  readonly ticks: string;
  readonly wasAccepted: boolean;
  readonly resultCode: number | null;
  readonly comment: string;
  readonly timestamp?: string;
  readonly deliveredAt?: string;
}

export type StreamMessage = Observation | CommandResponse;

export type Parsed =
  | { readonly ok: true; readonly message: StreamMessage }
  | { readonly ok: false; readonly reason: string };

type Json = Record<string, unknown>;

/**
 * .NET ticks have 18 digits, past what a double holds exactly (2^53 has 16), and Easee's cloud may send them as a
 * JSON number: they are read from the text itself (JSON.parse source text access, Node 21+), never as a double.
 */
function keepTicksText(key: string, value: unknown, context?: { source?: string }): unknown {
  return key === 'Ticks' && typeof value === 'number' && context?.source !== undefined ? context.source : value;
}

function objectField(record: Json, name: string): Json | undefined {
  const value = record[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function header(headers: Readonly<Record<string, unknown>> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * Reads one message of the operator queue: routing key `<Serial>.O.<ObservationId>` or
 * `<Serial>.CR.<CommandId>[.<ticks>]`, and the JSON body Easee documents. Anything else is refused with
 * one line saying why, for the parking lot.
 */
export function parseOperatorMessage(
  routingKey: string,
  content: Buffer | string,
  headers?: Readonly<Record<string, unknown>>,
): Parsed {
  const key = parseRoutingKey(routingKey);
  if (key === undefined) return { ok: false, reason: `unrecognised routing key ${JSON.stringify(routingKey)}` };
  if (key.kind === 'C') return { ok: false, reason: 'a command, not an observation or a command response' };
  let body: unknown;
  try {
    // Only a command response has Ticks; a reviver costs every other message a call per value (most of its parse).
    body = key.kind === 'CR' ? JSON.parse(content.toString(), keepTicksText as never) : JSON.parse(content.toString());
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, reason: 'body is not an object' };
  const record = body as Json;
  const bodyKey = record.RoutingKey;
  if (typeof bodyKey === 'string' && bodyKey !== '' && parseRoutingKey(bodyKey)?.serial !== key.serial) {
    return { ok: false, reason: `body RoutingKey ${bodyKey} does not match ${routingKey}` };
  }
  const arrivalTime =
    header(headers, 'ArrivalTime') ?? (typeof record.ArrivalTime === 'string' ? record.ArrivalTime : undefined);

  if (key.kind === 'O') {
    const observation = objectField(record, 'Observation');
    if (observation === undefined) return { ok: false, reason: 'no Observation in the body' };
    if (observation.Id !== undefined && Number(observation.Id) !== key.id) {
      return {
        ok: false,
        reason: `Observation.Id ${String(observation.Id)} does not match the routing key's ${key.id}`,
      };
    }
    const spec = observationCatalog.get(key.id);
    if (spec === undefined) return { ok: false, reason: `unknown observation id ${key.id}` };
    const timestamp = observation.Timestamp;
    const timestampMs = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
    if (typeof timestamp !== 'string' || Number.isNaN(timestampMs)) {
      return { ok: false, reason: 'Observation.Timestamp is not an ISO time' };
    }
    const decoded = decodeValue(spec, observation.Value);
    if (!decoded.ok) return { ok: false, reason: `observation ${key.id} ${spec.name}: ${decoded.reason}` };
    return {
      ok: true,
      message: {
        kind: 'observation',
        serial: key.serial,
        observationId: key.id,
        name: spec.name,
        timestamp,
        timestampMs,
        value: decoded.value,
        ...(arrivalTime === undefined ? {} : { arrivalTime }),
      },
    };
  }

  const response = objectField(record, 'CommandResponse');
  if (response === undefined) return { ok: false, reason: 'no CommandResponse in the body' };
  const serial = response.SerialNumber;
  if (typeof serial === 'string' && serial !== key.serial) {
    return {
      ok: false,
      reason: `CommandResponse.SerialNumber ${serial} does not match the routing key's ${key.serial}`,
    };
  }
  const ticks = response.Ticks === undefined || response.Ticks === null ? key.ticks : String(response.Ticks);
  if (ticks === undefined || !/^\d{1,20}$/.test(ticks)) return { ok: false, reason: 'command response without Ticks' };
  if (typeof response.WasAccepted !== 'boolean')
    return { ok: false, reason: 'CommandResponse.WasAccepted is not a boolean' };
  const resultCode =
    response.ResultCode === undefined || response.ResultCode === null ? null : Number(response.ResultCode);
  return {
    ok: true,
    message: {
      kind: 'command-response',
      serial: key.serial,
      commandId: response.Id === undefined ? key.id : Number(response.Id),
      ticks,
      wasAccepted: response.WasAccepted,
      resultCode: resultCode === null || Number.isNaN(resultCode) ? null : resultCode,
      comment: typeof response.Comment === 'string' ? response.Comment : '',
      ...(typeof response.Timestamp === 'string' ? { timestamp: response.Timestamp } : {}),
      ...(typeof response.DeliveredAt === 'string' ? { deliveredAt: response.DeliveredAt } : {}),
    },
  };
}

/** The dedup identity of a stream message: the same value seen twice (duplicates, replicas) is one message. */
export function messageIdentity(message: StreamMessage): string {
  return message.kind === 'observation'
    ? `${message.serial}.o.${message.observationId}.${message.timestampMs}`
    : `${message.serial}.cr.${message.commandId}.${message.ticks}`;
}

/** What Easee's cloud publishes for an observation (the fake cloud writes this; tests read it). */
export function observationBody(serial: string, observationId: number, wireValue: string, timestamp: string) {
  const routingKey = formatRoutingKey({ serial, kind: 'O', id: observationId });
  return {
    routingKey,
    body: {
      ArrivalTime: new Date().toISOString(),
      Observation: {
        Description: observationCatalog.get(observationId)?.meaning ?? '',
        Id: observationId,
        Name: observationCatalog.get(observationId)?.name ?? `Observation${observationId}`,
        Timestamp: timestamp,
        Value: wireValue,
      },
      RoutingKey: routingKey,
    },
  };
}

export function commandResponseBody(
  serial: string,
  commandId: number,
  ticks: string,
  wasAccepted: boolean,
  resultCode = 0,
  comment = '',
) {
  const routingKey = formatRoutingKey({ serial, kind: 'CR', id: commandId, ticks });
  const now = new Date().toISOString();
  return {
    routingKey,
    body: {
      ArrivalTime: now,
      CommandResponse: {
        Comment: comment,
        DeliveredAt: now,
        Id: commandId,
        ResultCode: resultCode,
        SerialNumber: serial,
        Ticks: ticks,
        Timestamp: now,
        WasAccepted: wasAccepted,
      },
      RoutingKey: routingKey,
    },
  };
}
