import { useEffect, useState } from 'preact/hooks';
import { type Answer, call, describeRefusal, type Schemas } from '../api.ts';
import { LineChart, type Point, ScheduleChart } from '../charts.tsx';
import type { FleetEvent } from '../events.ts';
import { useAnswer, useEvents, useThrottled } from '../hooks.ts';
import { hrefOf } from '../router.ts';
import { Table } from '../table.tsx';

type Detail = Schemas['ChargerDetail'];
type State = Schemas['ChargerState'];

/** Runs an action and shows how it went: the answer, or the refusal with the rule that refused it. */
function useOutcome(): [string | null, (run: () => Promise<Answer<unknown>>) => Promise<void>] {
  const [outcome, setOutcome] = useState<string | null>(null);
  return [
    outcome,
    async (run) => {
      setOutcome('Sending…');
      const answer = await run();
      setOutcome(answer.ok ? `Done: ${JSON.stringify(answer.body)}` : `Refused ${describeRefusal(answer)}`);
    },
  ];
}

function Channels({ live }: { live: State }) {
  const connectors = Object.entries((live.ocpp.connectors ?? {}) as Record<string, Record<string, unknown>>);
  const measured = live.measured as Record<string, { value: number; source: string } | null | undefined>;
  return (
    <div class="columns">
      <section aria-labelledby="ocpp-title">
        <h2 id="ocpp-title">OCPP</h2>
        <p data-testid="ocpp-connected">{live.ocpp.connected === true ? 'connected' : 'not connected'}</p>
        <Table columns={['Connector', 'Status', 'Error code']}>
          {connectors.map(([id, connector]) => (
            <tr key={id}>
              <td>{id}</td>
              <td data-testid={`connector-${id}-status`}>{String(connector.status ?? '—')}</td>
              <td>{String(connector.errorCode ?? '—')}</td>
            </tr>
          ))}
        </Table>
      </section>
      <section aria-labelledby="stream-title">
        <h2 id="stream-title">Easee stream</h2>
        <dl class="facts">
          <dt>Op mode</dt>
          <dd>{live.stream.opModeName ?? '—'}</dd>
          <dt>Last seen</dt>
          <dd>{live.stream.lastSeenAt ?? '—'}</dd>
          <dt>Power</dt>
          <dd data-testid="power">
            {measured.powerW ? `${(measured.powerW.value / 1000).toFixed(2)} kW (${measured.powerW.source})` : '—'}
          </dd>
          <dt>Session energy</dt>
          <dd>
            {measured.sessionEnergyWh
              ? `${(measured.sessionEnergyWh.value / 1000).toFixed(2)} kWh (${measured.sessionEnergyWh.source})`
              : '—'}
          </dd>
          <dt>Current limit</dt>
          <dd data-testid="dynamic-current">
            {live.dynamicCurrent ? `${String((live.dynamicCurrent as Record<string, unknown>).amps)} A` : 'none'}
          </dd>
        </dl>
      </section>
    </div>
  );
}

function Actions({ serial }: { serial: string }) {
  const [outcome, run] = useOutcome();
  const [amps, setAmps] = useState('16');
  const [ttl, setTtl] = useState('0');
  const [idTag, setIdTag] = useState('');
  const [transactionId, setTransactionId] = useState('');
  const [message, setMessage] = useState('StatusNotification');
  const [command, setCommand] = useState('SetSmartCharging');
  const [args, setArgs] = useState('{"smartCharging": false}');
  const base = `/api/chargers/${encodeURIComponent(serial)}`;
  const ocpp = (action: string, payload: unknown) => run(() => call('POST', `${base}/ocpp/${action}`, payload));
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => call('PUT', `${base}/current-limit`, { amps: Number(amps), ttlMinutes: Number(ttl) }));
        }}
      >
        <label>
          Current limit (A)
          <input type="number" min="0" max="80" value={amps} onInput={(e) => setAmps(e.currentTarget.value)} />
        </label>
        <label>
          For minutes (0: until changed)
          <input type="number" min="0" value={ttl} onInput={(e) => setTtl(e.currentTarget.value)} />
        </label>
        <button type="submit">Set current limit</button>
      </form>
      <div class="inline">
        <button type="button" onClick={() => void ocpp('Reset', { type: 'Soft' })}>
          Reset (soft)
        </button>
        <button type="button" onClick={() => void ocpp('Reset', { type: 'Hard' })}>
          Reset (hard)
        </button>
        <button type="button" onClick={() => void ocpp('UnlockConnector', { connectorId: 1 })}>
          Unlock
        </button>
      </div>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void ocpp('RemoteStartTransaction', { connectorId: 1, idTag });
        }}
      >
        <label>
          Id tag
          <input value={idTag} onInput={(e) => setIdTag(e.currentTarget.value)} required maxLength={20} />
        </label>
        <button type="submit">Remote start</button>
      </form>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void ocpp('RemoteStopTransaction', { transactionId: Number(transactionId) });
        }}
      >
        <label>
          Transaction id
          <input value={transactionId} onInput={(e) => setTransactionId(e.currentTarget.value)} required />
        </label>
        <button type="submit">Remote stop</button>
      </form>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void ocpp('TriggerMessage', { requestedMessage: message, connectorId: 1 });
        }}
      >
        <label>
          Message
          <select value={message} onChange={(e) => setMessage(e.currentTarget.value)}>
            {[
              'BootNotification',
              'Heartbeat',
              'MeterValues',
              'StatusNotification',
              'DiagnosticsStatusNotification',
              'FirmwareStatusNotification',
            ].map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <button type="submit">Trigger</button>
      </form>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          let parsed: unknown;
          try {
            parsed = JSON.parse(args);
          } catch {
            parsed = undefined;
          }
          if (parsed === undefined) return;
          void run(() => call('POST', `${base}/easee/${encodeURIComponent(command)}`, parsed));
        }}
      >
        <label>
          Easee command
          <input value={command} onInput={(e) => setCommand(e.currentTarget.value)} />
        </label>
        <label>
          Arguments (JSON)
          <input value={args} onInput={(e) => setArgs(e.currentTarget.value)} />
        </label>
        <button type="submit">Send</button>
      </form>
      {outcome !== null && (
        <p role="status" data-testid="outcome">
          {outcome}
        </p>
      )}
    </section>
  );
}

function Configuration({ serial, canOperate }: { serial: string; canOperate: boolean }) {
  const [keys, setKeys] = useState<{ key: string; value?: string; readonly: boolean }[] | null>(null);
  const [outcome, run] = useOutcome();
  const base = `/api/chargers/${encodeURIComponent(serial)}/ocpp`;
  return (
    <section aria-labelledby="configuration-title">
      <h2 id="configuration-title">Configuration</h2>
      {canOperate && (
        <button
          type="button"
          onClick={async () => {
            const answer = await call<{ response?: { configurationKey?: typeof keys } }>(
              'POST',
              `${base}/GetConfiguration`,
              {},
            );
            if (answer.ok) setKeys(answer.body.response?.configurationKey ?? []);
            else void run(async () => answer);
          }}
        >
          Read configuration
        </button>
      )}
      {keys !== null && (
        <Table columns={['Key', 'Value']}>
          {keys.map((entry) => (
            <tr key={entry.key}>
              <td>{entry.key}</td>
              <td>
                {entry.readonly || !canOperate ? (
                  entry.value
                ) : (
                  <form
                    class="inline"
                    onSubmit={(event) => {
                      event.preventDefault();
                      const value = new FormData(event.currentTarget).get('value');
                      void run(() =>
                        call('POST', `${base}/ChangeConfiguration`, { key: entry.key, value: String(value) }),
                      );
                    }}
                  >
                    <input name="value" aria-label={entry.key} value={entry.value} />
                    <button type="submit">Change</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {outcome !== null && <p role="status">{outcome}</p>}
    </section>
  );
}

export function ChargerPage({ serial, canOperate }: { serial: string; canOperate: boolean }) {
  const path = `/api/chargers/${encodeURIComponent(serial)}`;
  const [detail, reload] = useAnswer<Detail>(path);
  const [schedule] = useAnswer<Record<string, unknown>>(`${path}/charging-schedule`);
  const [transactions, reloadTransactions] = useAnswer<Schemas['TransactionPage']>(
    `/api/transactions?serial=${encodeURIComponent(serial)}&limit=20`,
  );
  const [events, setEvents] = useState<FleetEvent[]>([]);
  const refresh = useThrottled(() => {
    reload();
    reloadTransactions();
  }, 300);
  useEvents(`serial=${encodeURIComponent(serial)}`, (event) => {
    setEvents((known) => [event, ...known].slice(0, 50));
    refresh();
  });
  const [power, setPower] = useState<Point[]>([]);
  const powerW = (detail?.body.live?.measured as { powerW?: { value: number } | null } | undefined)?.powerW?.value;
  useEffect(() => {
    if (powerW === undefined) return;
    setPower((known) => [...known, { x: Date.now(), y: powerW / 1000 }].slice(-120));
  }, [detail]);
  if (detail === null) return <p>Loading…</p>;
  if (!detail.ok) return <p role="alert">{describeRefusal(detail)}</p>;
  const live = detail.body.live;
  const scheduleBody = schedule?.ok ? (schedule.body as Record<string, ScheduleShape | undefined>) : undefined;
  return (
    <section aria-labelledby="charger-title">
      <p>
        <a href={hrefOf('chargers')}>← Chargers</a>
      </p>
      <h1 id="charger-title">{serial}</h1>
      {live === null || live === undefined ? (
        <p>{detail.body.liveError ?? 'No live state.'}</p>
      ) : (
        <Channels live={live} />
      )}
      <LineChart label="Power since this page opened" points={power} unit="kW" />
      {canOperate && <Actions serial={serial} />}
      <section aria-labelledby="events-title">
        <h2 id="events-title">Live events</h2>
        <ul class="events" data-testid="events">
          {events.map((event) => (
            <li key={event.id}>
              <time>{event.at}</time> {event.type} {JSON.stringify(event.data).slice(0, 160)}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="transactions-title">
        <h2 id="transactions-title">Transactions</h2>
        <TransactionRows items={transactions?.body.items ?? []} />
      </section>
      <Configuration serial={serial} canOperate={canOperate} />
      <section aria-labelledby="schedule-title">
        <h2 id="schedule-title">Charging schedule and write budget</h2>
        <div class="columns">
          {(['easeeEffective', 'ocppComposite'] as const).map((key) => {
            const shape = scheduleBody?.[key];
            return shape === undefined ? null : (
              <ScheduleChart
                key={key}
                label={key === 'easeeEffective' ? 'What the Easee applies' : 'OCPP composite schedule'}
                periods={shape.chargingSchedulePeriod ?? []}
                duration={shape.duration ?? 86_400}
              />
            );
          })}
        </div>
        <details>
          <summary>Installed profiles, composite schedules and the write budget</summary>
          <pre class="json">{schedule === null ? '…' : JSON.stringify(schedule.body, null, 2)}</pre>
        </details>
      </section>
    </section>
  );
}

interface ScheduleShape {
  readonly duration?: number;
  readonly chargingSchedulePeriod?: readonly { readonly startPeriod: number; readonly limit: number }[];
}

export function TransactionRows({ items }: { items: readonly Schemas['Transaction'][] }) {
  return (
    <Table columns={['Id', 'Charger', 'Id tag', 'Started', 'Stopped', 'kWh', 'Duration']}>
      {items.map((tx) => {
        const record = tx as Record<string, unknown>;
        return (
          <tr key={String(record.id)}>
            <td>{String(record.id)}</td>
            <td>
              <a href={hrefOf('chargers', String(record.serial))}>{String(record.serial)}</a>
            </td>
            <td>{String(record.idTag ?? '')}</td>
            <td>{String(record.startedAt ?? '')}</td>
            <td>{String(record.stoppedAt ?? '')}</td>
            <td>{record.energyKWh === undefined ? '' : String(record.energyKWh)}</td>
            <td>{record.durationS === undefined ? '' : `${Math.round(Number(record.durationS) / 60)} min`}</td>
          </tr>
        );
      })}
    </Table>
  );
}
