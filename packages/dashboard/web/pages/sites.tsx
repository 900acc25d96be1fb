import { useState } from 'preact/hooks';
import { call, describeRefusal, type Schemas } from '../api.ts';
import { useAnswer, useEvents, useThrottled } from '../hooks.ts';
import { hrefOf } from '../router.ts';
import { Table } from '../table.tsx';

function SiteDetail({ siteId, canOperate }: { siteId: string; canOperate: boolean }) {
  const [site, reload] = useAnswer<Schemas['SiteWithAllocation']>(`/api/sites/${encodeURIComponent(siteId)}`);
  const [limit, setLimit] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const refresh = useThrottled(reload, 1_000);
  useEvents(`type=site-allocation&serial=${encodeURIComponent(siteId)}`, refresh);
  if (site === null) return <p>Loading…</p>;
  if (!site.ok) return <p role="alert">{describeRefusal(site)}</p>;
  const allocation = site.body.allocation as Record<string, unknown> | null;
  const chargers = (allocation?.chargers ?? []) as Record<string, unknown>[];
  return (
    <section aria-labelledby="site-title">
      <p>
        <a href={hrefOf('sites')}>← Sites</a>
      </p>
      <h1 id="site-title">{site.body.site.name ?? siteId}</h1>
      <dl class="facts">
        <dt>Limit</dt>
        <dd>{String(allocation?.limitA ?? site.body.site.maxCurrentA)} A</dd>
        <dt>Allowed in all</dt>
        <dd>{String(allocation?.allowedTotalA ?? '—')} A</dd>
        <dt>At most drawing (ceiling)</dt>
        <dd>{String(allocation?.ceilingTotalA ?? '—')} A</dd>
        <dt>Measured</dt>
        <dd>{String(allocation?.measuredTotalA ?? '—')} A</dd>
      </dl>
      {canOperate && (
        <form
          class="inline"
          onSubmit={async (event) => {
            event.preventDefault();
            const answer = await call('PUT', `/api/sites/${encodeURIComponent(siteId)}/limit`, {
              maxCurrentA: limit === '' ? null : Number(limit),
            });
            setOutcome(answer.ok ? 'Limit set' : `Refused ${describeRefusal(answer)}`);
            reload();
          }}
        >
          <label>
            Temporary limit (A, empty lifts it)
            <input type="number" min="0" value={limit} onInput={(e) => setLimit(e.currentTarget.value)} />
          </label>
          <button type="submit">Set limit</button>
        </form>
      )}
      {outcome !== null && <p role="status">{outcome}</p>}
      <Table
        columns={[
          'Charger',
          'Circuit',
          'Allowed (A)',
          'Ceiling (A)',
          'Measured (A)',
          'Car wants',
          'Channel',
          'Confirmed',
        ]}
      >
        {chargers.map((charger) => (
          <tr key={String(charger.serial)}>
            <td>
              <a href={hrefOf('chargers', String(charger.serial))}>{String(charger.serial)}</a>
            </td>
            <td>{String(charger.circuitId ?? '')}</td>
            <td>{String(charger.allowedA)}</td>
            <td>{String(charger.ceilingA)}</td>
            <td>{String(charger.measuredA ?? '—')}</td>
            <td>{charger.queued === true ? 'queued' : charger.wants === true ? 'yes' : 'no'}</td>
            <td>{String(charger.channel ?? '—')}</td>
            <td>{String(charger.confirmedAt ?? '—')}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

export function SitesPage({ id, canOperate }: { id: string | undefined; canOperate: boolean }) {
  const [sites] = useAnswer<{ items: Schemas['Site'][] }>(id === undefined ? '/api/sites?limit=500' : null);
  if (id !== undefined) return <SiteDetail siteId={id} canOperate={canOperate} />;
  return (
    <section aria-labelledby="sites-title">
      <h1 id="sites-title">Sites</h1>
      {sites !== null && sites.body.items.length === 0 && <p>No site is defined (PUT /api/sites/{'{siteId}'}).</p>}
      <Table columns={['Site', 'Fuse (A)', 'Chargers']}>
        {(sites?.body.items ?? []).map((site) => (
          <tr key={site.siteId}>
            <td>
              <a href={hrefOf('sites', site.siteId)}>{site.name ?? site.siteId}</a>
            </td>
            <td>{site.maxCurrentA}</td>
            <td>
              {site.chargers.length + site.circuits.reduce((sum, circuit) => sum + (circuit.chargers?.length ?? 0), 0)}
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
