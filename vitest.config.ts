import { defineConfig } from 'vitest/config';

const cluster = [
  'test/integration/cluster-*.test.ts',
  'test/integration/easee-*.test.ts',
  'test/integration/api.test.ts',
];

// Kills, at the end of each project, every process group its suites started and left behind.
const childReaper = 'test/harness/child-reaper.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts'],
          exclude: ['**/*.development.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // docs/design.md "Time": XState's development build throws on actors it could not persist; the actor tests run
        // on it too, so a non-persistable child fails here rather than on a restore in production.
        resolve: { conditions: ['development'] },
        test: {
          name: 'unit (xstate development build)',
          // persistence.development.test.ts only holds on this build.
          include: ['packages/charger/test/**/*.test.ts', 'packages/actor-host/test/**/*.test.ts'],
          execArgv: ['--conditions=development'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: cluster,
          globalSetup: [childReaper],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
          globalSetup: [childReaper],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Runs beside the integration suites, so it takes the same worker budget (vitest requires it).
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Clusters and brokers on two cores: one suite at a time, so that timing bounds measure Fleetwire,
        // not the other suites.
        test: {
          name: 'cluster',
          include: cluster,
          globalSetup: [childReaper, 'test/harness/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
