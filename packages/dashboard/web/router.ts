import { useEffect, useState } from 'preact/hooks';

/** Where the dashboard is: `#/chargers?status=Charging` — the page and its filters, so a view can be shared. */
export interface Place {
  readonly page: string;
  readonly id: string | undefined;
  readonly params: URLSearchParams;
}

export function placeOf(hash: string): Place {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = 'fleet', id] = path.split('/').map(decodeURIComponent);
  return { page: page === '' ? 'fleet' : page, id, params: new URLSearchParams(query) };
}

export function hrefOf(page: string, id?: string, params?: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {}))
    if (value !== undefined && value !== '') query.set(key, value);
  const text = query.toString();
  return `#/${page}${id === undefined ? '' : `/${encodeURIComponent(id)}`}${text === '' ? '' : `?${text}`}`;
}

export function usePlace(): Place {
  const [place, setPlace] = useState(() => placeOf(location.hash));
  useEffect(() => {
    const changed = () => setPlace(placeOf(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return place;
}
