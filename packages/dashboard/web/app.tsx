import { useEffect, useState } from 'preact/hooks';
import { allows, get, type Scope, session } from './api.ts';
import { AuditPage, TokensPage } from './pages/admin.tsx';
import { ChargerPage } from './pages/charger.tsx';
import { ChargersPage } from './pages/chargers.tsx';
import { FleetPage } from './pages/fleet.tsx';
import { IdTagsPage } from './pages/id-tags.tsx';
import { SitesPage } from './pages/sites.tsx';
import { TransactionsPage } from './pages/transactions.tsx';
import { hrefOf, usePlace } from './router.ts';

interface Principal {
  readonly name: string;
  readonly scopes: readonly Scope[];
}

const pages: { page: string; title: string; scope: Scope }[] = [
  { page: 'fleet', title: 'Fleet', scope: 'read' },
  { page: 'chargers', title: 'Chargers', scope: 'read' },
  { page: 'transactions', title: 'Transactions', scope: 'read' },
  { page: 'id-tags', title: 'Id tags', scope: 'read' },
  { page: 'sites', title: 'Sites', scope: 'read' },
  { page: 'tokens', title: 'Tokens', scope: 'admin' },
  { page: 'audit', title: 'Audit', scope: 'admin' },
];

function SignIn({ onSignedIn, problem }: { onSignedIn: (token: string) => void; problem: string | null }) {
  const [token, setToken] = useState('');
  return (
    <main class="sign-in">
      <h1>Fleetwire</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSignedIn(token.trim());
        }}
      >
        <label for="token">API token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          required
        />
        <button type="submit">Sign in</button>
        {problem !== null && <p role="alert">{problem}</p>}
      </form>
      <p class="hint">The token is kept for this tab only.</p>
    </main>
  );
}

export function App() {
  const place = usePlace();
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const signIn = async (token: string) => {
    session.token = token;
    const answer = await get<Principal>('/api/session');
    if (answer.ok) {
      setPrincipal(answer.body);
      setProblem(null);
    } else {
      session.token = null;
      setProblem(answer.status === 401 ? 'That token is not valid.' : `The API answered ${answer.status}.`);
    }
  };

  useEffect(() => {
    if (session.token !== null) void signIn(session.token);
  }, []);

  if (principal === null) return <SignIn onSignedIn={(token) => void signIn(token)} problem={problem} />;
  const scopes = principal.scopes;
  const canOperate = allows(scopes, 'operate');
  const visible = pages.filter((entry) => allows(scopes, entry.scope));
  const current = place.page === 'charger' ? 'chargers' : place.page;

  return (
    <>
      <header>
        <strong>Fleetwire</strong>
        <nav aria-label="Pages">
          {visible.map((entry) => (
            <a href={hrefOf(entry.page)} aria-current={entry.page === current ? 'page' : undefined} key={entry.page}>
              {entry.title}
            </a>
          ))}
        </nav>
        <span class="who">
          {principal.name} ({scopes.join(', ')})
          <button
            type="button"
            onClick={() => {
              session.token = null;
              setPrincipal(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main>
        {place.page === 'fleet' && <FleetPage />}
        {place.page === 'chargers' && place.id === undefined && <ChargersPage params={place.params} />}
        {(place.page === 'charger' || (place.page === 'chargers' && place.id !== undefined)) && (
          <ChargerPage serial={place.id ?? ''} canOperate={canOperate} />
        )}
        {place.page === 'transactions' && <TransactionsPage params={place.params} />}
        {place.page === 'id-tags' && <IdTagsPage canAdmin={allows(scopes, 'admin')} />}
        {place.page === 'sites' && <SitesPage id={place.id} canOperate={canOperate} />}
        {place.page === 'tokens' && allows(scopes, 'admin') && <TokensPage />}
        {place.page === 'audit' && allows(scopes, 'admin') && <AuditPage />}
      </main>
    </>
  );
}
