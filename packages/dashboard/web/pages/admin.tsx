import { useState } from 'preact/hooks';
import { call, describeRefusal, type Schemas } from '../api.ts';
import { useAnswer } from '../hooks.ts';
import { Table } from '../table.tsx';

export function TokensPage() {
  const [tokens, reload] = useAnswer<Schemas['TokenList']>('/api/tokens');
  const [name, setName] = useState('');
  const [scope, setScope] = useState('read');
  const [shown, setShown] = useState<string | null>(null);
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">Tokens</h1>
      <form
        class="inline"
        onSubmit={async (event) => {
          event.preventDefault();
          const answer = await call<{ token: string }>('POST', '/api/tokens', { name, scopes: [scope] });
          setShown(answer.ok ? `New token (shown once): ${answer.body.token}` : `Refused ${describeRefusal(answer)}`);
          reload();
        }}
      >
        <label>
          Name
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        <label>
          Scope
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
            <option>read</option>
            <option>operate</option>
            <option>admin</option>
          </select>
        </label>
        <button type="submit">Create token</button>
      </form>
      {shown !== null && <p role="status">{shown}</p>}
      <Table columns={['Name', 'Scopes', 'Created', 'Action']}>
        {(tokens?.body ?? []).map((token) => (
          <tr key={token.id}>
            <td>{token.name}</td>
            <td>{token.scopes.join(', ')}</td>
            <td>{token.createdAt}</td>
            <td>
              <button
                type="button"
                onClick={async () => {
                  await call('DELETE', `/api/tokens/${encodeURIComponent(token.id)}`);
                  reload();
                }}
              >
                Revoke
              </button>
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

export function AuditPage() {
  const [audit] = useAnswer<Schemas['AuditPage']>('/api/audit?limit=200');
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <Table columns={['When', 'Who', 'Action', 'Charger', 'Status']}>
        {(audit?.body.items ?? []).map((entry) => {
          const record = entry as Record<string, unknown>;
          return (
            <tr key={String(record.id)}>
              <td>{String(record.at ?? '')}</td>
              <td>{String(record.actor ?? '')}</td>
              <td>{String(record.action ?? '')}</td>
              <td>{String(record.serial ?? '')}</td>
              <td>{String(record.status ?? '')}</td>
            </tr>
          );
        })}
      </Table>
    </section>
  );
}
