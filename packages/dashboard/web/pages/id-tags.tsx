import { useState } from 'preact/hooks';
import { call, describeRefusal, type Schemas } from '../api.ts';
import { useAnswer } from '../hooks.ts';
import { Table } from '../table.tsx';

const idTagColumns = ['Id tag', 'Status', 'Expires', 'Parent'];

export function IdTagsPage({ canAdmin }: { canAdmin: boolean }) {
  const [page, reload] = useAnswer<Schemas['IdTagPage']>('/api/id-tags?limit=500');
  const [idTag, setIdTag] = useState('');
  const [csv, setCsv] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const put = async (tag: string, status: string) => {
    const answer = await call('PUT', `/api/id-tags/${encodeURIComponent(tag)}`, { status });
    setOutcome(answer.ok ? `${tag}: ${status}` : `Refused ${describeRefusal(answer)}`);
    reload();
  };
  return (
    <section aria-labelledby="id-tags-title">
      <h1 id="id-tags-title">Id tags</h1>
      {canAdmin && (
        <>
          <form
            class="inline"
            onSubmit={(event) => {
              event.preventDefault();
              void put(idTag.trim(), 'Accepted');
            }}
          >
            <label>
              New id tag
              <input value={idTag} onInput={(e) => setIdTag(e.currentTarget.value)} required maxLength={20} />
            </label>
            <button type="submit">Add</button>
          </form>
          <form
            class="inline"
            onSubmit={async (event) => {
              event.preventDefault();
              const answer = await call<Schemas['ImportResult']>('POST', '/api/id-tags/import', csv);
              setOutcome(
                answer.ok
                  ? `Imported: ${answer.body.created} created, ${answer.body.updated} updated, ${answer.body.failed.length} refused`
                  : `Refused ${describeRefusal(answer)}`,
              );
              reload();
            }}
          >
            <label>
              Import CSV (idTag,status,…)
              <textarea value={csv} onInput={(e) => setCsv(e.currentTarget.value)} rows={3} />
            </label>
            <button type="submit">Import</button>
          </form>
        </>
      )}
      {outcome !== null && <p role="status">{outcome}</p>}
      <Table columns={canAdmin ? [...idTagColumns, 'Action'] : idTagColumns}>
        {(page?.body.items ?? []).map((tag) => (
          <tr key={tag.idTag}>
            <td>{tag.idTag}</td>
            <td>{tag.status}</td>
            <td>{(tag as Record<string, unknown>).expiryDate as string | undefined}</td>
            <td>{(tag as Record<string, unknown>).parentIdTag as string | undefined}</td>
            {canAdmin && (
              <td>
                {tag.status === 'Blocked' ? (
                  <button type="button" onClick={() => void put(tag.idTag, 'Accepted')}>
                    Unblock
                  </button>
                ) : (
                  <button type="button" onClick={() => void put(tag.idTag, 'Blocked')}>
                    Block
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </Table>
    </section>
  );
}
