import type { ObservationSpec } from './observations.ts';

export type Decoded = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

const integerText = /^[-+]?\d+$/;
// Invariant culture: "." decimal separator, no grouping (Masterloop DataTypeStringConverter).
const doubleText = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function decodeBoolean(raw: unknown): Decoded {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  const text = String(raw).trim().toLowerCase();
  if (text === '1' || text === 'true') return { ok: true, value: true };
  if (text === '0' || text === 'false') return { ok: true, value: false };
  return { ok: false, reason: `expected a boolean ("1"/"0"/"true"/"false"), got ${JSON.stringify(raw)}` };
}

function decodeNumber(raw: unknown, pattern: RegExp, kind: string): Decoded {
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    return kind === 'an integer' && !Number.isInteger(raw)
      ? { ok: false, reason: `expected ${kind}, got ${raw}` }
      : { ok: true, value: raw };
  }
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!pattern.test(text)) return { ok: false, reason: `expected ${kind}, got ${JSON.stringify(raw)}` };
  return { ok: true, value: Number(text) };
}

function decodeJson(raw: unknown): Decoded {
  if (typeof raw === 'object' && raw !== null) return { ok: true, value: raw };
  if (typeof raw !== 'string') return { ok: false, reason: `expected JSON text, got ${JSON.stringify(raw)}` };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, reason: 'value is not valid JSON' };
  }
}

function decodePosition(raw: unknown): Decoded {
  const parts = String(raw)
    .split(',')
    .map((part) => part.trim());
  const numbers = parts.map(Number);
  if (parts.length < 2 || parts.length > 4 || numbers.some((number) => !Number.isFinite(number))) {
    return { ok: false, reason: `expected "lat,lon[,alt[,dop]]", got ${JSON.stringify(raw)}` };
  }
  const [lat, lon, alt] = numbers as [number, number, number | undefined];
  return { ok: true, value: alt === undefined ? { lat, lon } : { lat, lon, alt } };
}

/** Decodes an observation value as its catalog entry says, in base units (W, Wh). */
export function decodeValue(spec: ObservationSpec, raw: unknown): Decoded {
  switch (spec.type) {
    case 'boolean':
      return decodeBoolean(raw);
    case 'integer':
      return decodeNumber(raw, integerText, 'an integer');
    case 'double': {
      const decoded = decodeNumber(raw, doubleText, 'a number');
      // kWh text times 1000 is not always the Wh it says (4.073 * 1000 = 4073.0000000000005): rounded to the
      // 15 significant digits a double holds of a decimal, the product is the number the text meant.
      return decoded.ok && spec.scale !== undefined
        ? { ok: true, value: Number(((decoded.value as number) * spec.scale).toPrecision(15)) }
        : decoded;
    }
    case 'string':
      return typeof raw === 'string' || typeof raw === 'number'
        ? { ok: true, value: String(raw) }
        : { ok: false, reason: `expected text, got ${JSON.stringify(raw)}` };
    case 'json':
      return decodeJson(raw);
    case 'position':
      return decodePosition(raw);
  }
}

/** The wire text of a value in base units (W, Wh), as Easee's cloud would send it. */
export function encodeValue(spec: ObservationSpec, value: unknown): string {
  switch (spec.type) {
    case 'boolean':
      return value === true ? '1' : '0';
    case 'double':
      return String(spec.scale === undefined ? Number(value) : Number(value) / spec.scale);
    case 'integer':
      return String(Math.trunc(Number(value)));
    case 'json':
      return JSON.stringify(value);
    case 'position': {
      const { lat, lon } = value as { lat: number; lon: number };
      return `${lat},${lon}`;
    }
    case 'string':
      return String(value);
  }
}
