import { describe, expect, it } from 'vitest';
import { InProcessBus, NoRespondersError, RemoteError, RequestTimeoutError } from '../src/index.ts';
import { SubjectTree } from '../src/subject-tree.ts';

describe('SubjectTree', () => {
  it('matches exact tokens, * for one token and > for the rest', () => {
    const tree = new SubjectTree<string>();
    tree.add('fw.cp.7.*.call', 'shard7-calls');
    tree.add('fw.cp.>', 'all-cp');
    tree.add('fw.edge.EH1.call', 'edge-EH1');
    expect(tree.match('fw.cp.7.EH1.call').sort()).toEqual(['all-cp', 'shard7-calls']);
    expect(tree.match('fw.cp.8.EH1.call')).toEqual(['all-cp']);
    expect(tree.match('fw.edge.EH1.call')).toEqual(['edge-EH1']);
    expect(tree.match('fw.edge.EH2.call')).toEqual([]);
    expect(tree.match('fw.cp')).toEqual([]);
  });

  it('forgets removed entries', () => {
    const tree = new SubjectTree<string>();
    tree.add('a.b.c', 'x');
    tree.remove('a.b.c', 'x');
    tree.add('a.>', 'y');
    tree.remove('a.>', 'y');
    expect(tree.match('a.b.c')).toEqual([]);
  });
});

describe('InProcessBus', () => {
  it('answers requests and fails at once when nobody serves the subject', async () => {
    const bus = new InProcessBus();
    bus.serve('fw.api.*.*', (data, subject) => ({ echo: data, subject }));
    await expect(bus.request('fw.api.1.EH1', 42, { timeoutMs: 100 })).resolves.toEqual({
      echo: 42,
      subject: 'fw.api.1.EH1',
    });
    await expect(bus.request('fw.edge.EH1.call', {}, { timeoutMs: 100 })).rejects.toBeInstanceOf(NoRespondersError);
  });

  it('times out a slow responder and reports a failing one', async () => {
    const bus = new InProcessBus();
    bus.serve('slow', () => new Promise(() => {}));
    bus.serve('broken', () => {
      throw new Error('boom');
    });
    await expect(bus.request('slow', {}, { timeoutMs: 20 })).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(bus.request('broken', {}, { timeoutMs: 100 })).rejects.toEqual(new RemoteError('boom'));
  });

  it('delivers publications to every matching subscriber until it unsubscribes', async () => {
    const bus = new InProcessBus();
    const seen: unknown[] = [];
    const subscription = bus.subscribe('fw.events.>', (data) => seen.push(data));
    bus.publish('fw.events.status.EH1', 1);
    await Promise.resolve();
    subscription.unsubscribe();
    bus.publish('fw.events.status.EH1', 2);
    await Promise.resolve();
    expect(seen).toEqual([1]);
  });
});
