import { enqueueActions, type SnapshotFrom, setup } from 'xstate';
import type { SiteContext, SiteEmitted, SiteEvent } from './model.ts';
import { initialSiteContext, reduceSite } from './reduce.ts';

/** Bumped whenever the shape of the persisted snapshot changes. */
export const siteMachineVersion = 1;

/** One site's load management: every input through `reduceSite`, what it decides emitted. */
export const siteMachine = setup({
  types: {
    context: {} as SiteContext,
    events: {} as SiteEvent,
    input: {} as { readonly siteId: string },
    emitted: {} as SiteEmitted,
  },
  actions: {
    apply: enqueueActions(({ context, event, enqueue }) => {
      const reduced = reduceSite(context, event);
      if (reduced.context !== context) enqueue.assign(() => reduced.context);
      for (const emitted of reduced.emitted) enqueue.emit(emitted);
    }),
  },
}).createMachine({
  id: 'site',
  context: ({ input }) => initialSiteContext(input.siteId),
  on: {
    SITE_DEFINED: { actions: 'apply' },
    SITE_REMOVED: { actions: 'apply' },
    LIMIT_SET: { actions: 'apply' },
    CHARGER_REPORTED: { actions: 'apply' },
    TIMER: { actions: 'apply' },
  },
});

/** The persisted form of a site snapshot: no child actors, the context as it is. */
export function persistedSiteSnapshot(snapshot: SnapshotFrom<typeof siteMachine>): unknown {
  const { status, value, output, error, context } = snapshot;
  return { status, value, historyValue: {}, output, error, context, children: {} };
}
