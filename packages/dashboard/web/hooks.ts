import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Answer, get } from './api.ts';
import { type FleetEvent, subscribe } from './events.ts';

/** GET `path` now and whenever `reload` is called; the last answer, or null while the first is on its way. */
export function useAnswer<T>(path: string | null): [Answer<T> | null, () => void] {
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    void get<T>(path).then((next) => current && setAnswer(next));
    return () => {
      current = false;
    };
  }, [path, generation]);
  return [answer, useCallback(() => setGeneration((n) => n + 1), [])];
}

/** Live events for `query`; `onEvent` sees each one. */
export function useEvents(query: string | null, onEvent: (event: FleetEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => (query === null ? undefined : subscribe(query, (event) => handler.current(event))), [query]);
}

/** `action` at most once per `ms`, the last call always honoured: a burst of events is one reload. */
export function useThrottled(action: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, ms);
  }, [ms]);
}
