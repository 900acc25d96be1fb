import { useState } from 'preact/hooks';
import { type Schemas, session } from '../api.ts';
import { useAnswer } from '../hooks.ts';
import { hrefOf } from '../router.ts';
import { TransactionRows } from './charger.tsx';

const fields = ['serial', 'idTag', 'from', 'to'] as const;

export function TransactionsPage({ params }: { params: URLSearchParams }) {
  const query = new URLSearchParams();
  for (const field of fields) {
    const value = params.get(field);
    if (value) query.set(field, field === 'from' || field === 'to' ? new Date(value).toISOString() : value);
  }
  const [page] = useAnswer<Schemas['TransactionPage']>(`/api/transactions?${query}&limit=100`);
  const [draft, setDraft] = useState<Record<string, string>>(
    Object.fromEntries(fields.map((field) => [field, params.get(field) ?? ''])),
  );
  const download = async () => {
    const response = await fetch(`/api/transactions?${query}&format=csv`, {
      headers: { authorization: `Bearer ${session.token ?? ''}` },
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = 'transactions.csv';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <section aria-labelledby="transactions-title">
      <h1 id="transactions-title">Transactions</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          location.hash = hrefOf('transactions', undefined, draft);
        }}
      >
        <label>
          Charger
          <input value={draft.serial} onInput={(e) => setDraft({ ...draft, serial: e.currentTarget.value })} />
        </label>
        <label>
          Id tag
          <input value={draft.idTag} onInput={(e) => setDraft({ ...draft, idTag: e.currentTarget.value })} />
        </label>
        <label>
          From
          <input
            type="datetime-local"
            value={draft.from}
            onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            value={draft.to}
            onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
        </label>
        <button type="submit">Filter</button>
        <button type="button" onClick={() => void download()}>
          Download CSV
        </button>
      </form>
      {page === null ? <p>Loading…</p> : <TransactionRows items={page.body.items ?? []} />}
    </section>
  );
}
