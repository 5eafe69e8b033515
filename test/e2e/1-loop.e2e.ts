// npm run e2e: the GitOps loop on the live local control plane (real etcd,
// kube-apiserver, Crossplane core and Argo CD; no AWS provider runs, so
// managed resources stay unready and the XRs say so).
// commit -> Argo CD sync -> Crossplane composes -> drift reverted, each timed.
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { execFileSync, spawnSync } from 'child_process';
import { plan } from '../../src/plan';
import { ARGOCD_NAMESPACE, KUBECONFIG, kubectl, readState, up } from '../../src/dev/cluster';
import { ROOT_DIR } from '../../src/versions';
import { renderEnvironment } from '../../src/render';
import { environmentFiles, synth } from '../../src/synth';
import {
  commitAndPush, composed, crossplaneDiff, PeerDiff, webhook, composedCountsByKind, getJson, recordResults, tryGetJson, until, WORK, workClone,
} from './live';

const ENVS = ['dev', 'staging', 'prod'];
const latenciesMs: Record<string, number> = {};
const counts: Record<string, Record<string, number>> = {};
const notes: Record<string, string> = {};
let repoURL = '';

const appStatus = (name: string) => tryGetJson(['get', 'application', '-n', ARGOCD_NAMESPACE, name])?.status;
const claimOf = (env: string) => tryGetJson(['get', 'paymentenvironment', '-n', `payments-${env}`, env]);

beforeAll(async () => {
  const t0 = Date.now();
  await up();
  latenciesMs.clusterUp = Date.now() - t0;
  repoURL = readState()!.repoURL;
  workClone();
}, 1_800_000);

afterAll(() => recordResults({ latenciesMs, composedCounts: counts, notes }));

test('Argo CD syncs the platform and the three environments from git', async () => {
  const t0 = Date.now();
  await until('all applications synced', () => ['paymentenv-platform', ...ENVS.map((e) => `payments-${e}`)]
    .every((a) => appStatus(a)?.sync?.status === 'Synced'), 600_000, 1000);
  latenciesMs.firstSyncAllApps = Date.now() - t0;
  await until('three PaymentEnvironments', () => ENVS.every((e) => claimOf(e)), 120_000);
  const table = kubectl(['get', 'paymentenvironments', '-A']);
  notes.getPaymentEnvironments = table;
  console.log(table);
  expect(table.split('\n')[0]).toMatch(/NAMESPACE\s+NAME\s+TIER\s+REGION\s+API\s+DB\s+SYNCED\s+READY/);
  for (const e of ENVS) expect(table).toMatch(new RegExp(`payments-${e}\\s+${e}\\s+${e}\\s+us-east-1`));
}, 900_000);

test('each environment composes with the release its claim selects, on a control plane that never saw the earlier ones', async () => {
  // up() ran `payenv revisions --restore` before Argo CD applied the current Composition.
  const r = spawnSync(process.execPath, [join(ROOT_DIR, 'bin', 'payenv.js'), 'revisions', '-o', 'json', '--kubeconfig', KUBECONFIG], { encoding: 'utf8' });
  notes.revisions = r.stdout;
  expect(r.status).toBe(0);
  const releases: { digest: string; environments: string[] }[] = JSON.parse(r.stdout).releases;
  expect(releases.flatMap((x) => x.environments).sort()).toEqual([...ENVS].sort());
  for (const { digest, environments } of releases) {
    for (const env of environments) {
      const { value: rev } = await until(`${env} on a revision`, () => claimOf(env)?.spec?.crossplane?.compositionRevisionRef?.name, 300_000, 1000);
      expect(getJson(['get', 'compositionrevision', rev]).metadata.labels['paymentenv.io/composition-digest']).toBe(digest);
    }
  }
}, 600_000);

test('Crossplane composes the same resources as `payenv render`; without a provider they stay unready', async () => {
  for (const env of ENVS) await composedLikeRender(env).catch((e) => {
    console.log(`compose check of ${env} failed: ${(e as Error).stack}`);
    throw e;
  });
}, 900_000);

async function composedLikeRender(env: string) {
  {
    // Render from the live XR (with the status Crossplane wrote), as Crossplane itself does.
    const dir = mkdtempSync(join(tmpdir(), 'payenv-e2e-'));
    const live = getJson(['get', 'paymentenvironment', '-n', `payments-${env}`, env]);
    writeFileSync(join(dir, 'xr.yaml'), stringify({ ...live, metadata: { name: live.metadata.name, namespace: live.metadata.namespace, annotations: live.metadata.annotations, labels: live.metadata.labels }, spec: { ...live.spec, crossplane: undefined } }));
    const rendered = await renderEnvironment(env, { xrFile: join(dir, 'xr.yaml'), release: true });
    const want: Record<string, number> = {};
    for (const r of rendered.resources.values()) want[r.kind] = (want[r.kind] ?? 0) + 1;
    const { ms } = await until(`${env} composed`, () => {
      const c = composedCountsByKind(env);
      return JSON.stringify(c, Object.keys(c).sort()) === JSON.stringify(want, Object.keys(want).sort()) ? c : undefined;
    }, 300_000, 1000);
    counts[env] = composedCountsByKind(env);
    latenciesMs[`composeAll_${env}`] = ms;
    // Crossplane reports the XR honestly: Ready=False, naming what is not ready yet.
    const { value: ready } = await until(`${env} Ready condition`, () => getJson(['get', 'paymentenvironment', '-n', `payments-${env}`, env]).status?.conditions?.find((c: any) => c.type === 'Ready'), 120_000, 500);
    expect(ready.status).toBe('False');
  }
}

/** A person's commit: dev's appImage to a new tag, synthesized and pushed. */
async function commitDevImage(tag: string, beforeCommit?: (dist: string) => Promise<void>) {
  const file = join(WORK, 'environments', 'dev.yaml');
  const claim = parse(readFileSync(file, 'utf8'));
  claim.spec.appImage = `111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:${tag}`;
  writeFileSync(file, stringify(claim));
  if (beforeCommit) {
    synth(environmentFiles(join(WORK, 'environments')), join(WORK, 'dist'));
    await beforeCommit(join(WORK, 'dist'));
  }
  return { claim, committedAt: commitAndPush(`dev: api ${tag}`) };
}

/** dev's composed managed resources: composition resource name -> spec.forProvider (the marker tag aside). */
function devForProvider(): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of getJson(['get', 'managed', '-n', 'payments-dev']).items) {
    const name = o.metadata.annotations?.['crossplane.io/composition-resource-name'];
    if (!name) continue;
    const { tags, ...rest } = o.spec.forProvider ?? {};
    const { ConfigHash: _marker, ...otherTags } = tags ?? {};
    out.set(name, JSON.stringify({ ...rest, tags: otherTags }));
  }
  return out;
}

test('a commit to environments/dev.yaml reaches the composed resources, and payenv plan said which', async () => {
  // payenv plan of the commit (the clone's dist before and after), then what Crossplane changed live.
  const before = join(mkdtempSync(join(tmpdir(), 'payenv-e2e-plan-')), 'dist');
  execFileSync('cp', ['-r', join(WORK, 'dist'), before]);
  const liveBefore = devForProvider();
  // The peer tool on the same change, before it is committed (after, Argo CD's poll may apply it first).
  let peer: PeerDiff | undefined;
  const { claim, committedAt } = await commitDevImage('1.5.0', async (dist) => {
    peer = await crossplaneDiff(join(dist, 'environments', 'dev', 'paymentenvironment.yaml'), dist);
  });
  const planned = await plan({ label: 'before', dist: before }, { label: 'commit', dist: join(WORK, 'dist') }, ['dev']);
  // The git host's push webhook to Argo CD's server; without it Argo CD polls (every 2-3 min by default, 30-35 s here).
  await webhook();
  // The Lambda carries the image directly; the ECS task definition also needs the task
  // role's ARN, which only a provider reports, so it is not composed here.
  const image = () => composed('dev', 'functions.lambda.aws.m.upbound.io', 'lambda')?.spec.forProvider.imageUri === claim.spec.appImage;
  await until('new image in the composed Lambda function', image, 300_000, 200);
  latenciesMs.commitToComposed_webhook = Date.now() - committedAt;
  // The plan's in-place updates (the marker aside) are the composed resources whose spec changed;
  // what exists here only (no provider reports the task role's ARN, so no task definition) is compared.
  await new Promise((r) => setTimeout(r, 10_000));
  const liveAfter = devForProvider();
  const changedLive = [...liveAfter.keys()].filter((n) => liveBefore.has(n) && liveBefore.get(n) !== liveAfter.get(n)).sort();
  const plannedUpdates = planned.environments[0].diff.changes.filter((c) => c.action === 'update' && !c.kubernetesOnly).map((c) => c.name);
  expect(changedLive).toEqual(plannedUpdates.filter((n) => liveBefore.has(n)).sort());
  expect(changedLive).toContain('lambda');
  // Besides updates, only the task definition's slot rotation (the new image in the other slot,
  // the old slot's revision deleted): not composed here, where no provider reports the task role.
  const other = planned.environments[0].diff.changes.filter((c) => c.action !== 'update');
  expect(other.map((c) => [c.action, c.kind]).sort()).toEqual([['create', 'ecs/TaskDefinition'], ['delete', 'ecs/TaskDefinition']]);
  expect(other.map((c) => c.name).sort()).toEqual(['ecs-task-blue', 'ecs-task-green']);
  expect(other.filter((c) => liveBefore.has(c.name) || liveAfter.has(c.name))).toEqual([]);
  // crossplane-diff agrees where both see the same thing: the resources composed live (it renders
  // from the cluster's observed state, where no provider reports the task role, so it composes no
  // task definition either, and cannot know that a changed field makes AWS replace a resource).
  const live = (n: string) => liveBefore.has(n) || liveAfter.has(n);
  const changes = planned.environments[0].diff.changes.filter((c) => !c.kubernetesOnly && live(c.name));
  const ofAction = (a: string) => changes.filter((c) => c.action === a).map((c) => c.name).sort();
  expect(peer).toEqual({ exitCode: 3, added: ofAction('create'), modified: ofAction('update'), removed: ofAction('delete') });
  notes.peerDiff = `crossplane-diff ${JSON.stringify(peer)}; payenv plan for dev: ${planned.environments[0].diff.changes.map((c) => `${c.name} ${c.action}`).join(', ')}`;
  // A claim change redeploys nothing: the API deployment is named after the API it snapshots
  // (edge.ts); a trigger from the claim would ask the provider for a replacement it refuses.
  expect(planned.environments[0].diff.changes.filter((c) => c.name.startsWith('api-deployment-'))).toEqual([]);
  // Live, it is not composed at all here: it waits for the integration to report its id in AWS
  // (waitsFor, src/composition/resource.ts), and no provider runs.
  expect(getJson(['get', 'deployments.apigateway.aws.m.upbound.io', '-n', 'payments-dev']).items).toEqual([]);
  expect(composed('dev', 'integrations.apigateway.aws.m.upbound.io', 'api-integration-proxy')).toBeDefined();
}, 600_000);

test('without a trigger, Argo CD\'s poll brings the next commit (timeout.reconciliation 30 s + 5 s jitter here)', async () => {
  const { claim, committedAt } = await commitDevImage('1.5.1');
  await until('new image by polling', () => composed('dev', 'functions.lambda.aws.m.upbound.io', 'lambda')?.spec.forProvider.imageUri === claim.spec.appImage, 300_000, 500);
  latenciesMs.commitToComposed_polling = Date.now() - committedAt;
}, 600_000);

test('payenv sync asks Argo CD to look at git now (the refresh annotation `argocd app get --refresh` sets)', async () => {
  const reconciledAt = () => Date.parse(getJson(['get', 'application', '-n', 'argocd', 'payments-dev']).status?.reconciledAt ?? 0);
  const before = reconciledAt();
  await new Promise((r) => setTimeout(r, 1_100)); // reconciledAt has whole seconds
  const sync = spawnSync(process.execPath, [join(ROOT_DIR, 'bin', 'payenv.js'), 'sync', 'dev', '--kubeconfig', KUBECONFIG], { encoding: 'utf8' });
  expect(sync.status).toBe(0);
  expect(sync.stdout).toContain('refresh requested: argocd/payments-dev');
  // Argo CD compares again at once (reconciledAt moves) and takes the annotation off.
  await until('payments-dev reconciled after payenv sync', () => reconciledAt() > before
    && !getJson(['get', 'application', '-n', 'argocd', 'payments-dev']).metadata.annotations?.['argocd.argoproj.io/refresh'], 20_000, 200);
}, 60_000);

test('drift in Kubernetes is reverted: composed resource edited, claim edited, composed resource deleted', async () => {
  // 1. A composed resource edited by hand: Crossplane puts it back.
  const dlq = composed('dev', 'queues.sqs.aws.m.upbound.io', 'dlq');
  const want = dlq.spec.forProvider.messageRetentionSeconds;
  kubectl(['patch', 'queues.sqs.aws.m.upbound.io', '-n', 'payments-dev', dlq.metadata.name, '--type=merge', '-p', JSON.stringify({ spec: { forProvider: { messageRetentionSeconds: 60 } } })]);
  latenciesMs.revertComposedEdit = (await until('DLQ retention restored', () => composed('dev', 'queues.sqs.aws.m.upbound.io', 'dlq')?.spec.forProvider.messageRetentionSeconds === want, 300_000, 200)).ms;

  // 2. The claim edited by hand: Argo CD self-heals it from git.
  const claim = claimOf('dev');
  kubectl(['patch', 'paymentenvironment', '-n', 'payments-dev', 'dev', '--type=merge', '-p', JSON.stringify({ spec: { costCenter: 'HAND-EDIT' } })]);
  latenciesMs.revertClaimEdit = (await until('claim restored by Argo CD', () => claimOf('dev')?.spec.costCenter === claim.spec.costCenter, 300_000, 200)).ms;

  // 3. A composed resource deleted: Crossplane creates it again.
  const bucket = composed('dev', 'buckets.s3.aws.m.upbound.io', 'audit-bucket');
  kubectl(['delete', 'buckets.s3.aws.m.upbound.io', '-n', 'payments-dev', bucket.metadata.name, '--wait=false']);
  latenciesMs.recreateDeletedComposed = (await until('bucket recreated', () => {
    const b = composed('dev', 'buckets.s3.aws.m.upbound.io', 'audit-bucket');
    return b && b.metadata.uid !== bucket.metadata.uid && !b.metadata.deletionTimestamp;
  }, 300_000, 200)).ms;
}, 900_000);

test('the API server itself refuses bad claims (XRD schema and CEL)', () => {
  const base = claimOf('staging');
  const attempt = (name: string, spec: Record<string, unknown>) => {
    const obj = { apiVersion: base.apiVersion, kind: base.kind, metadata: { name, namespace: 'payments-staging' }, spec };
    try {
      kubectl(['apply', '--dry-run=server', '-f', '-'], stringify(obj));
      return 'accepted';
    } catch (e) {
      return String((e as { stderr?: string }).stderr ?? e);
    }
  };
  const { crossplane, ...good } = base.spec;
  const unknown = attempt('bad-unknown', { ...good, instanceClass: 'db.r6g.4xlarge' });
  const cidr = attempt('bad-cidr', { ...good, vpcCidr: '8.8.0.0/16' });
  const { drRegion, ...noDr } = { ...good, tier: 'prod', appImage: `111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api@sha256:${'c'.repeat(64)}`, dataClassification: 'restricted' };
  const prod = attempt('bad-prod', noDr);
  notes.rejections = [unknown, cidr, prod].join('\n');
  expect(unknown).toMatch(/unknown field "spec.instanceClass"/);
  expect(cidr).toContain('must be a private RFC 1918 IPv4 /16 with no host bits');
  expect(prod).toContain('drRegion: required when tier is prod');
});

