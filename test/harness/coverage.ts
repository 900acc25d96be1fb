import type { ApiClient } from './api-client.ts';

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly pattern: RegExp;
}

/**
 * Records which documented operations a suite called, by matching each request to the OpenAPI document's path
 * templates, so the suite can prove every endpoint was exercised.
 */
export class OperationCoverage {
  private readonly operations: Operation[] = [];
  private readonly called = new Map<string, Set<number>>();

  static async of(api: ApiClient): Promise<OperationCoverage> {
    const coverage = new OperationCoverage();
    const { body } = await api.get('/api/openapi.json');
    for (const [path, methods] of Object.entries(body.paths as Record<string, Record<string, unknown>>)) {
      const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(methods))
        coverage.operations.push({ method: method.toUpperCase(), path, pattern });
    }
    return coverage;
  }

  record(method: string, url: string, status: number): void {
    const path = url.split('?', 1)[0] as string;
    // The most specific template wins: /api/chargers/import before /api/chargers/{serial}.
    const matches = this.operations
      .filter((operation) => operation.method === method && operation.pattern.test(path))
      .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
    const operation = matches[0];
    if (operation === undefined) return;
    const key = `${operation.method} ${operation.path}`;
    const statuses = this.called.get(key) ?? new Set<number>();
    statuses.add(status);
    this.called.set(key, statuses);
  }

  get uncovered(): string[] {
    return this.operations.map((op) => `${op.method} ${op.path}`).filter((key) => !this.called.has(key));
  }

  /** Every status any operation answered, to check the suite met the 4xx/5xx it should. */
  get statuses(): Set<number> {
    return new Set([...this.called.values()].flatMap((statuses) => [...statuses]));
  }
}
