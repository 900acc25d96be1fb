import type { ObservationKey, ObservedValue, StreamState } from './model.ts';

export function observationKey(id: number): ObservationKey {
  return `o${id}`;
}

/** The newest observation of `id` the stream delivered, if any. */
export function observationOf(stream: StreamState, id: number): ObservedValue | undefined {
  return stream.observations[observationKey(id)];
}

export function observedValue(stream: StreamState, id: number): unknown {
  return stream.observations[observationKey(id)]?.value;
}

/** Every observation with its id. */
export function observationEntries(stream: StreamState): [number, ObservedValue][] {
  return Object.entries(stream.observations).map(([key, observed]) => [Number(key.slice(1)), observed]);
}
