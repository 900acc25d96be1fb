// Reading payloads that may break their schema. Transaction-related messages are accepted whatever they
// contain, so the model reads them field by field and never assumes a shape.

export function fieldOf(payload: unknown, name: string): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[name] : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** A number, or a numeric string (some firmware sends "1234.5" where the schema says integer). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The most connectors a charger is taken to have until it says otherwise (NumberOfConnectors). */
export const maxConnectorsByDefault = 10;

/**
 * A connectorId within the charger's connectors (0 is the charger itself): NumberOfConnectors as the charger
 * reported it, else one for an Easee, else `maxConnectorsByDefault`. Anything else — negative, fractional, 1e308 —
 * is out of range.
 */
export function connectorInRange(value: unknown, connectors: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= connectors;
}

/** An ISO time the charger sent, or undefined when it is missing or does not parse. */
export function asTimestamp(value: unknown): string | undefined {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

/** A refusal of a CALL by the model: answered with this OCPP-J error code instead of a CALLRESULT. */
export class CallRefusal extends Error {
  readonly code: 'PropertyConstraintViolation' | 'OccurenceConstraintViolation';

  constructor(code: CallRefusal['code'], description: string) {
    super(description);
    this.name = 'CallRefusal';
    this.code = code;
  }
}
