/**
 * Subscriptions by subject pattern, matched token by token so that a lookup costs the subject's depth, not the
 * number of subscriptions (the in-process bus holds one per connected charger).
 */
interface Node<T> {
  readonly children: Map<string, Node<T>>;
  readonly here: Set<T>;
  /** Entries subscribed with `>` at this depth. */
  readonly rest: Set<T>;
}

function node<T>(): Node<T> {
  return { children: new Map(), here: new Set(), rest: new Set() };
}

export class SubjectTree<T> {
  private readonly root: Node<T> = node();

  add(pattern: string, entry: T): void {
    let current = this.root;
    const tokens = pattern.split('.');
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as string;
      if (token === '>' && i === tokens.length - 1) {
        current.rest.add(entry);
        return;
      }
      let next = current.children.get(token);
      if (next === undefined) {
        next = node();
        current.children.set(token, next);
      }
      current = next;
    }
    current.here.add(entry);
  }

  remove(pattern: string, entry: T): void {
    const tokens = pattern.split('.');
    const path: Node<T>[] = [this.root];
    let current = this.root;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as string;
      if (token === '>' && i === tokens.length - 1) {
        current.rest.delete(entry);
        this.prune(path, tokens);
        return;
      }
      const next = current.children.get(token);
      if (next === undefined) return;
      path.push(next);
      current = next;
    }
    current.here.delete(entry);
    this.prune(path, tokens);
  }

  private prune(path: Node<T>[], tokens: string[]): void {
    for (let depth = path.length - 1; depth > 0; depth--) {
      const current = path[depth] as Node<T>;
      if (current.here.size > 0 || current.rest.size > 0 || current.children.size > 0) return;
      (path[depth - 1] as Node<T>).children.delete(tokens[depth - 1] as string);
    }
  }

  match(subject: string): T[] {
    const found: T[] = [];
    this.collect(this.root, subject.split('.'), 0, found);
    return found;
  }

  private collect(current: Node<T>, tokens: string[], index: number, found: T[]): void {
    if (index < tokens.length) for (const entry of current.rest) found.push(entry);
    if (index === tokens.length) {
      for (const entry of current.here) found.push(entry);
      return;
    }
    const token = tokens[index] as string;
    const exact = current.children.get(token);
    if (exact !== undefined) this.collect(exact, tokens, index + 1, found);
    const wildcard = current.children.get('*');
    if (wildcard !== undefined) this.collect(wildcard, tokens, index + 1, found);
  }
}
