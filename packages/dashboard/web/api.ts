import type { components } from './api-types.ts';

export type Schemas = components['schemas'];
export type Scope = 'read' | 'operate' | 'admin';

export interface Answer<T> {
  readonly ok: boolean;
  readonly status: number;
  readonly body: T;
}

/** What a refused request says: the error, and for an Easee rule its name. */
export interface Refusal {
  readonly error?: string;
  readonly rule?: string;
}

const tokenKey = 'fleetwire.token';

/** The token lives in this tab's session storage only: never in a URL, gone when the tab closes. */
export const session = {
  get token(): string | null {
    return sessionStorage.getItem(tokenKey);
  },
  set token(token: string | null) {
    if (token === null) sessionStorage.removeItem(tokenKey);
    else sessionStorage.setItem(tokenKey, token);
  },
};

/** The public API, with the session's bearer token. */
export async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.token ?? ''}` };
  if (body !== undefined && typeof body !== 'string') headers['content-type'] = 'application/json';
  if (typeof body === 'string') headers['content-type'] = 'text/csv';
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? await response.json() : await response.text();
  return { ok: response.ok, status: response.status, body: parsed as T };
}

export const get = <T>(path: string) => call<T>('GET', path);

/** A refusal as one line: the rule that refused it, when one did. */
export function describeRefusal(answer: Answer<unknown>): string {
  const body = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as Refusal;
  const rule = body.rule === undefined ? '' : ` (rule ${body.rule})`;
  return `${answer.status}: ${body.error ?? String(answer.body)}${rule}`;
}

export function allows(scopes: readonly Scope[], wanted: Scope): boolean {
  if (wanted === 'read') return scopes.length > 0;
  if (wanted === 'operate') return scopes.includes('operate') || scopes.includes('admin');
  return scopes.includes('admin');
}
