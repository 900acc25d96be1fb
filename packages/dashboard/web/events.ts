import { fetchEventSource } from '@microsoft/fetch-event-source';
import { session } from './api.ts';

export interface FleetEvent {
  readonly id: string;
  readonly type: string;
  readonly serial: string;
  readonly at: string;
  readonly data: Record<string, unknown>;
}

/**
 * The API's event stream (SSE with the bearer token, which EventSource cannot send): from now on, and on every
 * reconnect from the last event seen (Last-Event-ID), so nothing is missed. Returns what stops it.
 */
export function subscribe(query: string, onEvent: (event: FleetEvent) => void): () => void {
  const controller = new AbortController();
  void fetchEventSource(`/api/events?${query}`, {
    headers: { authorization: `Bearer ${session.token ?? ''}` },
    signal: controller.signal,
    openWhenHidden: true,
    onmessage(message) {
      if (message.data === '') return;
      onEvent(JSON.parse(message.data) as FleetEvent);
    },
    onerror() {
      // Retried by the library after a pause, with Last-Event-ID.
      return 2_000;
    },
  }).catch(() => {});
  return () => controller.abort();
}
