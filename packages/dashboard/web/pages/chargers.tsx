import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { get, type Schemas } from '../api.ts';
import { chargePointStatuses, type Fleet } from '../fleet.ts';
import { useAnswer } from '../hooks.ts';
import { hrefOf } from '../router.ts';

type Listed = Schemas['ListedCharger'];
type Page = Schemas['ChargerPage'];

const pageSize = 500;
const rowHeight = 36;

interface Filters {
  readonly status?: string;
  readonly connected?: string;
  readonly opMode?: string;
  readonly q?: string;
}

function queryOf(filters: Filters, after: string | undefined): string {
  const query = new URLSearchParams({ limit: String(pageSize) });
  if (filters.status) query.set('status', filters.status);
  if (filters.connected) query.set('connected', filters.connected);
  if (filters.opMode) query.set('opMode', filters.opMode);
  if (filters.q) query.set('q', filters.q);
  if (after !== undefined) query.set('after', after);
  return query.toString();
}

/** The filtered fleet, a page at a time as the table scrolls towards its end. */
function useChargerRows(filters: Filters) {
  const [rows, setRows] = useState<Listed[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [done, setDone] = useState(false);
  const loading = useRef(false);
  const key = queryOf(filters, undefined);
  const generation = useRef(0);
  const load = async (after: string | undefined, replace: boolean) => {
    if (loading.current && !replace) return;
    loading.current = true;
    const mine = ++generation.current;
    const answer = await get<Page>(`/api/chargers?${queryOf(filters, after)}`);
    if (mine !== generation.current) return;
    loading.current = false;
    if (!answer.ok) return;
    setRows((known) => (replace ? answer.body.items : [...known, ...answer.body.items]));
    setNext(answer.body.next);
    setDone(answer.body.next === undefined);
  };
  useEffect(() => {
    setRows([]);
    setDone(false);
    void load(undefined, true);
  }, [key]);
  return { rows, done, more: () => !done && next !== undefined && void load(next, false) };
}

function ChargerTable({ rows, done, more }: ReturnType<typeof useChargerRows>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [, render] = useState(0);
  const virtualizer = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  if (virtualizer.current === null) {
    virtualizer.current = new Virtualizer<HTMLDivElement, Element>({
      count: rows.length,
      getScrollElement: () => scroller.current,
      estimateSize: () => rowHeight,
      overscan: 10,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      onChange: () => render((n) => n + 1),
    });
  }
  const table = virtualizer.current;
  table.setOptions({ ...table.options, count: rows.length });
  useLayoutEffect(() => table._didMount(), []);
  useLayoutEffect(() => table._willUpdate());
  const items = table.getVirtualItems();
  const last = items.at(-1);
  useEffect(() => {
    if (last !== undefined && last.index >= rows.length - 50) more();
  }, [last?.index, rows.length]);
  return (
    <div>
      <p aria-live="polite" data-testid="row-count">
        {rows.length} {done ? 'chargers' : 'chargers loaded, more as you scroll'}
      </p>
      <div ref={scroller} class="table-body">
        <table class="virtual" aria-label="Chargers" aria-rowcount={rows.length + 1}>
          <thead>
            <tr class="table-row">
              <th scope="col">Serial</th>
              <th scope="col">OCPP</th>
              <th scope="col">Status</th>
              <th scope="col">Op mode</th>
              <th scope="col">Last seen (OCPP)</th>
              <th scope="col">Last seen (stream)</th>
            </tr>
          </thead>
          <tbody style={{ height: `${table.getTotalSize()}px` }}>
            {items.map((item) => {
              const row = rows[item.index] as Listed;
              const live = row.live as Record<string, unknown>;
              return (
                <tr
                  key={row.serial}
                  aria-rowindex={item.index + 2}
                  class="table-row"
                  style={{ transform: `translateY(${item.start}px)`, height: `${rowHeight}px` }}
                >
                  <td>
                    <a href={hrefOf('chargers', row.serial)}>{row.serial}</a>
                  </td>
                  <td>{live.connected === true ? 'connected' : 'offline'}</td>
                  <td>{String(live.ocppStatus ?? '—')}</td>
                  <td>{String(live.opModeName ?? '—')}</td>
                  <td>{String(live.ocppSeenAt ?? '—')}</td>
                  <td>{String(live.streamSeenAt ?? '—')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ChargersPage({ params }: { params: URLSearchParams }) {
  const filters: Filters = {
    status: params.get('status') ?? undefined,
    connected: params.get('connected') ?? undefined,
    opMode: params.get('opMode') ?? undefined,
    q: params.get('q') ?? undefined,
  };
  const [fleet] = useAnswer<Fleet>('/api/fleet');
  const [prefix, setPrefix] = useState(filters.q ?? '');
  const rows = useChargerRows(filters);
  const set = (change: Partial<Filters>) => {
    location.hash = hrefOf('chargers', undefined, { ...filters, ...change });
  };
  return (
    <section aria-labelledby="chargers-title">
      <h1 id="chargers-title">Chargers</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          set({ q: prefix.trim() });
        }}
      >
        <label>
          Serial prefix
          <input value={prefix} onInput={(event) => setPrefix(event.currentTarget.value)} name="q" />
        </label>
        <button type="submit">Find</button>
        <label>
          Status
          <select value={filters.status ?? ''} onChange={(event) => set({ status: event.currentTarget.value })}>
            <option value="">any</option>
            {chargePointStatuses.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </label>
        <label>
          OCPP connection
          <select value={filters.connected ?? ''} onChange={(event) => set({ connected: event.currentTarget.value })}>
            <option value="">any</option>
            <option value="true">connected</option>
            <option value="false">offline</option>
          </select>
        </label>
        <label>
          Op mode
          <select value={filters.opMode ?? ''} onChange={(event) => set({ opMode: event.currentTarget.value })}>
            <option value="">any</option>
            {(fleet?.body.opModes ?? []).map((mode) => (
              <option key={mode.opMode} value={String(mode.opMode)}>
                {mode.name}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ChargerTable {...rows} />
    </section>
  );
}
