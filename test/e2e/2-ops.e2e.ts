// npm run e2e, second: the payenv operations commands (status, drift, parity,
// manifest) against the live kube-apiserver, through @kubernetes/client-node.
// No AWS provider runs here, so where a test needs what only a provider writes
// (status.atProvider outputs, Synced/Ready conditions, its events), the test
// writes it through the status subresource / events API exactly as the
// provider would. That is the only thing faked.
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { stringify } from 'yaml';
import { KUBECONFIG, kubeconfigOf, kubectl, up } from '../../src/dev/cluster';
import { ROOT_DIR } from '../../src/versions';
import { ACCOUNT, atProvider } from '../observe';
import { getJson, recordResults, until } from './live';

const PAYENV = join(ROOT_DIR, 'bin', 'payenv.js');
const ENVS = ['dev', 'staging', 'prod'];
const notes: Record<string, string> = {};
const latenciesMs: Record<string, number> = {};

function payenv(...args: string[]) {
  const r = spawnSync(process.execPath, [PAYENV, ...args, '--kubeconfig', KUBECONFIG], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Acts as the provider for one environment: reports every composed resource Ready with outputs. */
function observeAll(env: string, notReady: string[] = []): number {
  let n = 0;
  for (const obj of getJson(['get', 'managed', '-n', `payments-${env}`]).items) {
    if (obj.status?.conditions?.some((c: any) => c.type === 'Ready')) continue;
    const name = obj.metadata.annotations['crossplane.io/composition-resource-name'];
    const ready = notReady.includes(name) ? 'False' : 'True';
    const now = new Date().toISOString();
    const status = {
      atProvider: atProvider(obj, env),
      conditions: [
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: now },
        { type: 'Ready', status: ready, reason: ready === 'True' ? 'Available' : 'Creating', lastTransitionTime: now },
      ],
    };
    const [group, version] = obj.apiVersion.split('/');
    kubectl(['patch', `${obj.kind}.${version}.${group}`, '-n', `payments-${env}`, obj.metadata.name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
    n++;
  }
  return n;
}

/** Observes until Crossplane composes nothing new (outputs unlock Required patches). */
async function settle(env: string, notReady: string[] = []) {
  const t0 = Date.now();
  await until(`${env} fully observed`, () => observeAll(env, notReady) === 0, 300_000, 3000);
  return Date.now() - t0;
}

beforeAll(async () => {
  await up();
  await until('environments composed', () => ENVS.every((e) => getJson(['get', 'paymentenvironment', '-n', `payments-${e}`, e]).spec.crossplane?.resourceRefs?.length > 50), 600_000, 2000);
}, 1_800_000);

afterAll(() => {
  recordResults({ latenciesMs, notes });
  // Take back what this file wrote as the provider, so the e2e can run again on this cluster.
  for (const env of ENVS) {
    for (const obj of getJson(['get', 'managed', '-n', `payments-${env}`]).items) {
      if (!obj.status?.atProvider) continue;
      const [group, version] = obj.apiVersion.split('/');
      kubectl(['patch', `${obj.kind}.${version}.${group}`, '-n', `payments-${env}`, obj.metadata.name, '--subresource=status', '--type=merge', '-p', '{"status":{"atProvider":null,"conditions":null}}']);
    }
  }
}, 600_000);

test('clear errors: unreachable cluster, unknown environment, bad flags', () => {
  const dead = join(ROOT_DIR, '.state', 'cluster', 'dead-kubeconfig');
  require('fs').writeFileSync(dead, readFileSync(KUBECONFIG, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'));
  const r1 = spawnSync(process.execPath, [PAYENV, 'status', '--kubeconfig', dead], { encoding: 'utf8' });
  expect(r1.status).toBe(1);
  expect(r1.stderr).toMatch(/payenv status: cannot reach the API server at https:\/\/127\.0\.0\.1:1/);
  expect(r1.stderr).not.toMatch(/\n\s+at /);
  const r2 = payenv('status', 'nope');
  expect(r2.code).toBe(1);
  expect(r2.err).toContain('no PaymentEnvironment "nope" in namespace payments-nope');
  const r3 = payenv('drift', '--since', 'soon');
  expect(r3.code).toBe(64); // a usage error: a code no finding uses (drift's 2 means drift)
  expect(r3.err).toContain('--since must be a positive number of hours');
  expect(payenv('status', '--help').out).toContain('Usage: payenv status');
});

test('an unready environment: status shows why, drift calls it converging (exit 0)', () => {
  const s = payenv('status', 'dev');
  expect(s.code).toBe(0);
  expect(s.out).toMatch(/^dev \(payments-dev\)\s+tier=dev region=us-east-1\s+Synced=True Ready=False/);
  for (const area of ['network', 'security', 'database', 'storage', 'compute', 'edge', 'observability']) expect(s.out).toMatch(new RegExp(`^  ${area}\\s+\\d+/\\d+ ready`, 'm'));
  expect(s.out).toContain('no status yet (no provider has observed it)');
  // Without an environment: one line each, whatever the number of resources.
  const all = payenv('status');
  notes.statusSummary = all.out;
  expect(all.out.trim().split('\n')).toHaveLength(ENVS.length);
  expect(all.out).toMatch(/^dev\s+dev\s+Ready=False\s+network \d+\/\d+ .* first not ready: \w+\/\S+ \(no status yet/m);
  // No provider here: nothing has been created yet, which is not drift.
  const d = payenv('drift', 'dev', '-o', 'json');
  expect(d.code).toBe(0);
  const [report] = JSON.parse(d.out);
  expect(report.drift).toBe(false);
  expect(report.counts.converging).toBeGreaterThan(50);
  expect(report.counts.failing + report.counts.drifted).toBe(0);
  const text = payenv('drift', 'dev');
  expect(text.out.trim().split('\n')).toHaveLength(1);
  expect(text.out).toMatch(/^dev: converging  converging \d+, failing 0, drifted 0/);
  expect(payenv('drift', 'dev', '--details').out.split('\n').length).toBeGreaterThan(50);
});

test('a clean environment: every composed resource Synced and Ready, drift exits 0', async () => {
  latenciesMs.observeStagingUntilReady = await settle('staging');
  await until('staging XR Ready', () => getJson(['get', 'paymentenvironment', '-n', 'payments-staging', 'staging']).status.conditions.find((c: any) => c.type === 'Ready')?.status === 'True', 120_000, 1000);
  await until('Argo CD sees staging Synced', () => getJson(['get', 'application', '-n', 'argocd', 'payments-staging']).status.sync.status === 'Synced', 120_000, 1000);
  const d = payenv('drift', 'staging');
  notes.driftClean = d.out;
  expect(d.out).toMatch(/^staging: clean/);
  expect(d.code).toBe(0);
  const s = JSON.parse(payenv('status', 'staging', '-o', 'json').out)[0];
  expect(s.ready).toBe('True');
  expect(s.outputs.database.endpoint).toBe('payment-db-staging.cluster-abc.us-east-1.rds.amazonaws.com');
  notes.getPaymentEnvironments = kubectl(['get', 'paymentenvironments', '-A']);
}, 600_000);

test('drift events present: a provider\'s correction shows in the report', () => {
  const dlq = getJson(['get', 'queues.sqs.aws.m.upbound.io', '-n', 'payments-staging', '-l', 'paymentenv.io/component=dlq']).items[0];
  // The event a provider records when it puts an external resource back to its spec.
  kubectl(['create', '-f', '-'], stringify({
    apiVersion: 'v1', kind: 'Event',
    metadata: { generateName: 'dlq-', namespace: 'payments-staging' },
    involvedObject: { apiVersion: dlq.apiVersion, kind: dlq.kind, name: dlq.metadata.name, namespace: 'payments-staging', uid: dlq.metadata.uid },
    reason: 'UpdatedExternalResource', message: 'Successfully requested update of external resource', type: 'Normal',
    source: { component: 'provider-aws-sqs/managed/sqs.aws.m.upbound.io/v1beta1, kind=queue' },
    firstTimestamp: new Date().toISOString(), lastTimestamp: new Date().toISOString(), count: 1,
  }));
  const d = payenv('drift', 'staging', '-o', 'json');
  const [report] = JSON.parse(d.out);
  expect(report.recentCorrections.map((e: any) => `${e.object} ${e.reason}`)).toContain('Queue/dlq UpdatedExternalResource');
  expect(d.code).toBe(0); // corrected: reported, but the environment is in its desired state now
});

test('an unmanaged change the drift listener recorded: drift exits 2 and names it', () => {
  const xr = getJson(['get', 'paymentenvironment', '-n', 'payments-staging', 'staging']);
  // The event src/listener/daemon.ts records for a change no managed resource describes.
  kubectl(['create', '-f', '-'], stringify({
    apiVersion: 'v1', kind: 'Event',
    metadata: { generateName: 'staging-', namespace: 'payments-staging', annotations: { 'paymentenv.io/aws-event-id': 'e2e-unmanaged-1' } },
    involvedObject: { apiVersion: xr.apiVersion, kind: xr.kind, name: 'staging', namespace: 'payments-staging', uid: xr.metadata.uid },
    reason: 'UnmanagedChange', type: 'Warning',
    message: 'AuthorizeSecurityGroupIngress by arn:aws:iam::111122223333:user/alice at 2026-11-24T10:00:00Z changed what no managed resource describes: sgr-0123456789abcdef0',
    source: { component: 'paymentenv-drift-listener' },
    firstTimestamp: new Date().toISOString(), lastTimestamp: new Date().toISOString(), count: 1,
  }));
  const d = payenv('drift', 'staging');
  expect(d.code).toBe(2);
  expect(d.out).toMatch(/^staging: DRIFT .*unmanaged changes 1/);
  expect(d.out).toContain('sgr-0123456789abcdef0');
  kubectl(['delete', 'events', '-n', 'payments-staging', '--field-selector', 'reason=UnmanagedChange']);
  expect(payenv('drift', 'staging').code).toBe(0);
});

// The listener keeps its view from informers (src/listener/cache.ts), under its own RBAC
// (dist/bootstrap/listener.yaml): the same inventory a list gives, and a change seen by watch.
test('the drift listener\'s informers hold what a list does, and follow a change by watch', () => {
  const script = `
    const { ClusterCache } = require(${JSON.stringify(join(ROOT_DIR, 'lib/src/listener/cache.js'))});
    const { inventory } = require(${JSON.stringify(join(ROOT_DIR, 'lib/src/ops/inventory.js'))});
    const { connect } = require(${JSON.stringify(join(ROOT_DIR, 'lib/src/ops/kube.js'))});
    const shape = (invs) => invs.map((i) => [i.env, i.xr.metadata.resourceVersion, i.resources.map((r) => [r.obj.kind, r.name, r.obj.metadata.uid ?? 'missing'])]);
    (async () => {
      const c = connect({ kubeconfig: process.argv[1] });
      const cache = new ClusterCache(c, (l) => console.error(l));
      const fromCache = await cache.inventory();
      const same = JSON.stringify(shape(fromCache)) === JSON.stringify(shape(await inventory(c)));
      const dlq = fromCache.find((i) => i.env === 'dev').resources.find((r) => r.name === 'dlq').obj;
      const mark = String(Date.now());
      await c.objects.patch({ apiVersion: dlq.apiVersion, kind: dlq.kind, metadata: { name: dlq.metadata.name, namespace: dlq.metadata.namespace, annotations: { 'crossplane.io/reconcile-requested-at': mark } } },
        undefined, undefined, 'paymentenv-drift-listener', undefined, 'application/merge-patch+json');
      const t0 = Date.now();
      let seenMs;
      while (Date.now() - t0 < 10000 && seenMs === undefined) {
        const o = (await cache.inventory()).find((i) => i.env === 'dev').resources.find((r) => r.name === 'dlq').obj;
        if (o.metadata.annotations?.['crossplane.io/reconcile-requested-at'] === mark) seenMs = Date.now() - t0;
        else await new Promise((r) => setTimeout(r, 50));
      }
      console.log(JSON.stringify({ envs: fromCache.map((i) => i.env), resources: fromCache.reduce((n, i) => n + i.resources.length, 0), same, seenMs }));
      cache.stop();
      process.exit(0);
    })().catch((e) => { console.error(e.stack); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script, kubeconfigOf('listener')], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const got = JSON.parse(r.stdout);
  notes.listenerInformers = r.stdout.trim();
  expect(got.envs).toEqual(['dev', 'prod', 'staging']);
  expect(got.resources).toBeGreaterThan(300);
  expect(got.same).toBe(true);
  expect(got.seenMs).toBeLessThan(5_000);
});

test('parity: tier differences are explained; a hand edit is not', async () => {
  await settle('prod');
  await settle('dev');
  const all = payenv('parity', '--all', '-o', 'json');
  const diffs = JSON.parse(all.out).differences;
  notes.parityExplained = payenv('parity', '--all').out.split('\n').slice(-8).join('\n');
  if (all.code !== 0) console.log(payenv('parity').out);
  expect(all.code).toBe(0);
  expect(diffs.filter((d: any) => !d.explained)).toEqual([]);
  expect(diffs).toEqual(expect.arrayContaining([
    expect.objectContaining({ a: 'prod', b: 'staging', resource: 'db-cluster', path: 'spec.forProvider.backupRetentionPeriod', valueA: 30, valueB: 7, explained: true }),
    expect.objectContaining({ a: 'prod', b: 'staging', resource: 'waf', path: '(resource)', explained: true }),
  ]));
  // Pause prod's composition and change a field no tier explains.
  kubectl(['annotate', 'paymentenvironment', '-n', 'payments-prod', 'prod', 'crossplane.io/paused=true', '--overwrite']);
  try {
    // Edit only once Crossplane says it is paused: a reconcile already running would put the edit back.
    await until('prod paused', () => getJson(['get', 'paymentenvironment', '-n', 'payments-prod', 'prod']).status?.conditions
      ?.some((c: any) => c.type === 'Synced' && c.reason === 'ReconcilePaused'), 120_000, 200);
    const lambda = () => getJson(['get', 'functions.lambda.aws.m.upbound.io', '-n', 'payments-prod', '-l', 'paymentenv.io/component=lambda']).items[0];
    kubectl(['patch', 'functions.lambda.aws.m.upbound.io', '-n', 'payments-prod', lambda().metadata.name, '--type=merge', '-p', JSON.stringify({ spec: { forProvider: { memorySize: 1024 } } })]);
    expect(lambda().spec.forProvider.memorySize).toBe(1024);
    const p = payenv('parity');
    notes.parityUnexplained = p.out;
    expect(p.code).toBe(2);
    expect(p.out).toContain('DIFFERS prod vs staging  lambda  spec.forProvider.memorySize: 1024 vs 512');
  } finally {
    kubectl(['annotate', 'paymentenvironment', '-n', 'payments-prod', 'prod', 'crossplane.io/paused-']);
  }
  // Unpaused, Crossplane puts the field back and parity is clean again.
  const { ms } = await until('prod lambda restored', () => getJson(['get', 'functions.lambda.aws.m.upbound.io', '-n', 'payments-prod', '-l', 'paymentenv.io/component=lambda']).items[0].spec.forProvider.memorySize === 512, 120_000, 200);
  latenciesMs.revertAfterUnpause = ms;
  expect(payenv('parity').code).toBe(0);
}, 900_000);

test('manifest: ARNs, endpoints and SSM parameters, identical across two runs', () => {
  const a = payenv('manifest', 'staging', '-o', 'json');
  const b = payenv('manifest', 'staging', '-o', 'json');
  expect(a.code).toBe(0);
  expect(a.out).toBe(b.out);
  const m = JSON.parse(a.out).environments[0];
  expect(m.parameters['/payments/staging/db/endpoint']).toBe('payment-db-staging.cluster-abc.us-east-1.rds.amazonaws.com');
  expect(m.parameters['/payments/staging/queue/url']).toBe(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/payment-queue-staging`);
  const queue = m.resources.find((r: any) => r.name === 'queue');
  expect(queue).toMatchObject({ kind: 'Queue', area: 'storage', arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:payment-queue-staging`, endpoints: { url: expect.stringContaining('payment-queue-staging') } });
  expect(payenv('manifest', '-o', 'yaml').out).toContain('name: prod');
  notes.manifestSample = JSON.stringify(queue);
});
