import { useState } from 'preact/hooks';
import type { FleetEvent } from '../events.ts';
import { chargePointStatuses, type Fleet } from '../fleet.ts';
import { useAnswer, useEvents, useThrottled } from '../hooks.ts';
import { hrefOf } from '../router.ts';
import { Table } from '../table.tsx';

// An Easee takes no reservations: the fleet is counted by the statuses it reports.
const statuses = chargePointStatuses.filter((status) => status !== 'Reserved');

export function FleetPage() {
  const [fleet, reload] = useAnswer<Fleet>('/api/fleet');
  const [alerts, setAlerts] = useState<FleetEvent[]>([]);
  const refresh = useThrottled(reload, 1_000);
  useEvents('type=status,connection,alert', (event) => {
    if (event.type === 'alert') setAlerts((known) => [event, ...known].slice(0, 20));
    else refresh();
  });
  if (fleet === null) return <p>Loading…</p>;
  const counts = fleet.body;
  const onStream = counts.opModes.filter((mode) => mode.opMode !== 0).reduce((sum, mode) => sum + mode.chargers, 0);
  return (
    <section aria-labelledby="fleet-title">
      <h1 id="fleet-title">Fleet</h1>
      <ul class="tiles" aria-label="Chargers by status">
        {statuses.map((status) => (
          <li key={status}>
            <a href={hrefOf('chargers', undefined, { status })} data-status={status}>
              <span class="count" data-testid={`status-${status}`}>
                {(counts.byStatus as Record<string, number>)[status] ?? 0}
              </span>
              <span>{status}</span>
            </a>
          </li>
        ))}
        <li>
          <a href={hrefOf('chargers', undefined, { connected: 'false' })}>
            <span class="count" data-testid="status-offline">
              {counts.registered - counts.connected}
            </span>
            <span>offline on OCPP</span>
          </a>
        </li>
      </ul>
      <dl class="facts">
        <dt>Registered</dt>
        <dd data-testid="registered">{counts.registered}</dd>
        <dt>Connected over OCPP</dt>
        <dd data-testid="connected">{counts.connected}</dd>
        <dt>Reporting on the Easee stream</dt>
        <dd>{onStream}</dd>
      </dl>
      <h2>By Easee op mode</h2>
      <Table columns={['Op mode', 'Chargers']}>
        {counts.opModes.map((mode) => (
          <tr key={mode.opMode}>
            <td>
              <a href={hrefOf('chargers', undefined, { opMode: String(mode.opMode) })}>{mode.name}</a>
            </td>
            <td>{mode.chargers}</td>
          </tr>
        ))}
      </Table>
      <h2>Alerts</h2>
      {alerts.length === 0 ? (
        <p>No alert since this page opened.</p>
      ) : (
        <ul class="events">
          {alerts.map((alert) => (
            <li key={alert.id}>
              <time>{alert.at}</time> <a href={hrefOf('chargers', alert.serial)}>{alert.serial}</a>{' '}
              {String(alert.data.kind ?? '')}: {String(alert.data.message ?? alert.data.description ?? '')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
