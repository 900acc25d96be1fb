import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FleetwireMetrics } from '@fleetwire/telemetry';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { debianTool } from '../harness/debian.ts';
import { repoRoot } from '../harness/fleetwire-process.ts';
import { helm } from '../harness/helm.ts';

const run = promisify(execFile);

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; [key: string]: any };

const models: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Service': Service,
  'v1/Secret': Secret,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

const valueSets: Record<string, string[]> = {
  defaults: [],
  production: [
    '--set',
    'easee.enabled=true,easee.queue=Operator_123.Q,easee.exchange=Operator_123.C.X,easee.originApplication=Op.Easee',
    '--set',
    'easee.amqp.existingSecret=easee-amqp,redis.existingSecret=redis,apiTokens.existingSecret=api-tokens',
    '--set',
    'edge.autoscaling.enabled=false,edge.replicaCount=3,worker.replicaCount=5,metrics.serviceMonitor.enabled=true',
    '--set',
    'edge.drainWindowSeconds=60,edge.preStopSleepSeconds=15,edge.terminationGracePeriodSeconds=120',
  ],
  'their own NATS, no network policy': ['--set', 'nats.url=nats://nats.messaging:4222,networkPolicy.enabled=false'],
  'with the Prometheus operator CRDs': ['--api-versions', 'monitoring.coreos.com/v1/ServiceMonitor'],
};

let chart: string;
const rendered: Record<string, Manifest[]> = {};

async function render(args: string[]): Promise<Manifest[]> {
  const { stdout } = await helm(['template', 'fw', chart, '--namespace', 'fleet', ...args]);
  return parseAllDocuments(stdout)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const workloads = (manifests: Manifest[]) =>
  manifests.filter((manifest) => manifest.kind === 'Deployment' || manifest.kind === 'StatefulSet');
const env = (container: any, name: string) => container.env.find((entry: any) => entry.name === name);

beforeAll(async () => {
  chart = join(repoRoot, 'deploy', 'helm', 'fleetwire');
  for (const [name, args] of Object.entries(valueSets)) rendered[name] = await render(args);
}, 120_000);

describe('the Helm chart', () => {
  it('lints --strict as shipped, with no dependency to fetch, for every value set', async () => {
    for (const args of Object.values(valueSets)) {
      // lint takes --set, not --api-versions.
      const sets = args.flatMap((arg, i) => (arg === '--set' ? [arg, args[i + 1] as string] : []));
      const strict = await helm(['lint', '--strict', chart, ...sets]);
      expect(strict.stdout).toContain('0 chart(s) failed');
    }
  }, 60_000);

  for (const name of Object.keys(valueSets)) {
    describe(`rendered with ${name}`, () => {
      it('is made of valid Kubernetes objects', () => {
        const manifests = rendered[name] as Manifest[];
        expect(manifests.length).toBeGreaterThan(5);
        for (const manifest of manifests) {
          const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
          expect(Model, `${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
          expect(
            () => new (Model as NonNullable<typeof Model>)(manifest).validate(),
            manifest.metadata.name,
          ).not.toThrow();
        }
      });

      it('has a PodDisruptionBudget for every role it runs', () => {
        const manifests = rendered[name] as Manifest[];
        const budgets = byKind(manifests, 'PodDisruptionBudget').map(
          (pdb) => pdb.spec.selector.matchLabels['app.kubernetes.io/component'],
        );
        const roles = workloads(manifests).map(
          (workload) => workload.spec.template.metadata.labels['app.kubernetes.io/component'],
        );
        expect(roles).toEqual(expect.arrayContaining(['edge', 'worker']));
        expect(budgets.sort()).toEqual([...roles].sort());
      });

      it('gives every container distinct startup, readiness and liveness probes, resources and no latest tag', () => {
        for (const workload of workloads(rendered[name] as Manifest[])) {
          for (const container of workload.spec.template.spec.containers) {
            const paths = ['startupProbe', 'readinessProbe', 'livenessProbe'].map(
              (probe) => container[probe]?.httpGet?.path,
            );
            expect(paths, container.name).toEqual(['/startupz', '/readyz', '/healthz']);
            expect(container.resources.requests.cpu, container.name).toBeDefined();
            expect(container.resources.requests.memory, container.name).toBeDefined();
            expect(container.resources.limits.memory, container.name).toBeDefined();
            expect(container.image).toMatch(/:[0-9][\w.-]*$|@sha256:/);
            expect(container.image).not.toMatch(/:latest$/);
            expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
            // Secrets only by reference.
            expect(env(container, 'REDIS_URL').valueFrom.secretKeyRef).toBeDefined();
          }
        }
      });

      it('lets an edge finish its preStop sleep and drain window inside its grace period', () => {
        const [edge] = byKind(rendered[name] as Manifest[], 'Deployment').filter((d) =>
          d.metadata.name.endsWith('-edge'),
        );
        const pod = edge?.spec.template.spec;
        const container = pod.containers[0];
        const preStop = Number(container.lifecycle.preStop.exec.command[1]);
        const drain = Number(env(container, 'EDGE_DRAIN_WINDOW_S').value);
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + drain + 15);
        expect(edge?.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
        expect(pod.topologySpreadConstraints.length).toBeGreaterThan(0);
        expect(env(container, 'FLEETWIRE_API_TOKENS').valueFrom.secretKeyRef).toBeDefined();
      });

      it('runs workers as a StatefulSet named by their pod, ready only once they own their shards', () => {
        const [worker] = byKind(rendered[name] as Manifest[], 'StatefulSet');
        const container = worker?.spec.template.spec.containers[0];
        expect(env(container, 'FLEETWIRE_ROLE').value).toBe('worker');
        expect(env(container, 'FLEETWIRE_INSTANCE_ID').valueFrom.fieldRef.fieldPath).toBe('metadata.name');
        expect(worker?.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
      });
    });
  }

  it('scales edges up readily and down slowly', () => {
    const [hpa] = byKind(rendered.defaults as Manifest[], 'HorizontalPodAutoscaler');
    expect(hpa?.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(600);
    expect(byKind(rendered.production as Manifest[], 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('runs the ingest with the Easee stream only, and the ServiceMonitor when asked or when the CRD exists', () => {
    const deployments = (set: string) => byKind(rendered[set] as Manifest[], 'Deployment').map((d) => d.metadata.name);
    expect(deployments('defaults')).toEqual(['fw-fleetwire-edge']);
    expect(deployments('production')).toEqual(['fw-fleetwire-edge', 'fw-fleetwire-ingest']);
    expect(byKind(rendered.defaults as Manifest[], 'ServiceMonitor')).toEqual([]);
    expect(byKind(rendered.production as Manifest[], 'ServiceMonitor')).toHaveLength(1);
    expect(byKind(rendered['with the Prometheus operator CRDs'] as Manifest[], 'ServiceMonitor')).toHaveLength(1);
    expect(byKind(rendered['their own NATS, no network policy'] as Manifest[], 'NetworkPolicy')).toEqual([]);
    const [worker] = byKind(rendered['their own NATS, no network policy'] as Manifest[], 'StatefulSet');
    expect(env(worker?.spec.template.spec.containers[0], 'NATS_URL').value).toBe('nats://nats.messaging:4222');
  });

  it('refuses values that would break it, saying why', async () => {
    const refusals: [string[], RegExp][] = [
      [['--set', 'image.tag=latest'], /image\/tag/],
      [['--set', 'config.shards=0'], /shards/],
      [['--set', 'edge.terminationGracePeriodSeconds=20'], /terminationGracePeriodSeconds \(20\) must be at least/],
      [['--set', 'easee.enabled=true'], /easee.enabled needs/],
      [['--set', 'edge.autoscaling.scaleDownStabilizationSeconds=30'], /scaleDownStabilizationSeconds/],
    ];
    for (const [args, reason] of refusals) {
      await expect(helm(['template', 'fw', chart, ...args])).rejects.toThrow(reason);
    }
  }, 60_000);
});

describe('the Grafana dashboard', () => {
  it('charts only metrics that Fleetwire exports', async () => {
    const dashboard = await readFile(join(repoRoot, 'deploy', 'grafana', 'fleetwire.json'), 'utf8');
    const used = new Set(
      [...dashboard.matchAll(/fleetwire_[a-z_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, '')),
    );
    const exported = new Set(new FleetwireMetrics().registry.getMetricsAsArray().map((metric) => metric.name));
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(12);
  });

  it('works with or without Kubernetes labels, declares no unused input, and every query parses', async () => {
    const dashboard = JSON.parse(await readFile(join(repoRoot, 'deploy', 'grafana', 'fleetwire.json'), 'utf8'));
    expect(dashboard.__inputs ?? []).toEqual([]);
    const variables = Object.fromEntries(dashboard.templating.list.map((variable: any) => [variable.name, variable]));
    for (const name of ['namespace', 'instance']) {
      expect(variables[name]).toMatchObject({ includeAll: true, allValue: '.*' });
    }
    const panels = dashboard.panels.filter((panel: any) => panel.type !== 'row');
    const exprs: string[] = panels.flatMap((panel: any) => panel.targets.map((target: any) => target.expr));
    for (const expr of exprs) {
      // An = matcher on a label that may be absent (outside Kubernetes) would match nothing.
      expect(expr).not.toMatch(/(namespace|pod|instance)="/);
      expect(expr).not.toMatch(/by \(pod\)/);
    }
    // promtool parses each query (as a recording rule), with the variables as Grafana would fill them in.
    const promtool = await debianTool('/usr/bin/promtool', 'prometheus');
    const dir = await mkdtemp(join(tmpdir(), 'fleetwire-dashboard-'));
    const rules = {
      groups: [
        {
          name: 'dashboard',
          rules: exprs.map((expr, i) => ({
            record: `dashboard:query_${i}`,
            expr: expr
              .replaceAll('$namespace', '.*')
              .replaceAll('$instance', '.*')
              .replaceAll('$__rate_interval', '5m'),
          })),
        },
      ],
    };
    await writeFile(join(dir, 'rules.yaml'), stringify(rules));
    const checked = await run(promtool, ['check', 'rules', join(dir, 'rules.yaml')]);
    expect(checked.stdout).toContain(`SUCCESS: ${exprs.length} rules found`);
  });
});
