// GitOps delivery in dist/: Argo CD projects, applications and health (the
// health Lua run by the real, pinned Argo CD CLI), Crossplane packages and
// runtime config, and no secrets in git.
import { SETTINGS } from '../src/platform';
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { run, tool } from '../src/tools';
import { localArgoObjects, moduleDir } from '../src/dev/cluster';
import { ARGOCD_DEFAULT_EXCLUSIONS } from '../src/argocd';
import { PINS } from '../src/versions';
import { tempDir } from './helpers';

const DIST = join(__dirname, '..', 'dist');
const read = (f: string): any[] => parseAllDocuments(readFileSync(join(DIST, f), 'utf8')).map((d) => d.toJS());
const ENVS = readdirSync(join(DIST, 'environments')).sort();
const wave = (o: any) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

/** Health of an object as the pinned Argo CD computes it with dist/argocd/argocd-cm.yaml. */
async function health(obj: unknown): Promise<string> {
  const dir = tempDir();
  writeFileSync(join(dir, 'obj.yaml'), typeof obj === 'string' ? obj : stringify(obj));
  const r = await run(tool('argocd'), ['admin', 'settings', 'resource-overrides', 'health', join(dir, 'obj.yaml'), '--argocd-cm-path', join(DIST, 'argocd/argocd-cm.yaml')]);
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

describe('PaymentEnvironment health, evaluated by the pinned argocd CLI', () => {
  const condition = (type: string, status: string, reason: string, message?: string) => ({ type, status, reason, ...(message ? { message } : {}), lastTransitionTime: '2026-01-01T00:00:00Z' });
  const sample = (status?: unknown) => ({
    apiVersion: 'platform.paymentenv.io/v1alpha1', kind: 'PaymentEnvironment',
    metadata: { name: 'dev', namespace: 'payments-dev' }, spec: { tier: 'dev' }, ...(status ? { status } : {}),
  });
  test.each([
    ['ready', sample({ conditions: [condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'True', 'Available')] }), 'Healthy', 'Ready'],
    ['progressing', sample({ conditions: [condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'False', 'Creating', 'Unready resources: db-cluster, nat-a')] }), 'Progressing', 'Unready resources: db-cluster, nat-a'],
    ['degraded', sample({ conditions: [condition('Synced', 'False', 'ReconcileError', 'cannot compose resources: function-cel-filter unavailable'), condition('Ready', 'False', 'Creating')] }), 'Degraded', 'cannot compose resources: function-cel-filter unavailable'],
    ['no status', sample(), 'Progressing', 'Waiting for Crossplane to compose the environment'],
  ])('%s', async (_name, obj, status, message) => {
    expect(await health(obj)).toBe(`STATUS: ${status}\nMESSAGE: ${message}`);
  });

  test('managed resources use Crossplane health (Degraded when Synced is False)', async () => {
    expect(await health({
      apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind: 'VPC', metadata: { name: 'v', namespace: 'payments-dev' },
      status: { conditions: [{ type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'cannot assume role' }] },
    })).toBe('STATUS: Degraded\nMESSAGE: cannot assume role');
  });
});

test('a Composition (which has no status) is Healthy, so the claims wave can start', async () => {
  expect(await health(readFileSync(join(DIST, 'platform/composition.yaml'), 'utf8'))).toBe('STATUS: Healthy\nMESSAGE: Resource is up-to-date.');
});

test('an XRD is Healthy once Established (else the Composition wave never starts)', async () => {
  expect(await health({
    apiVersion: 'apiextensions.crossplane.io/v2', kind: 'CompositeResourceDefinition', metadata: { name: 'x' },
    status: { conditions: [{ type: 'Established', status: 'True', reason: 'WatchingCompositeResource' }] },
  })).toBe('STATUS: Healthy\nMESSAGE: Resource is up-to-date.');
});

test('Crossplane packages are Healthy when their Healthy condition is True', async () => {
  expect(await health({
    apiVersion: 'pkg.crossplane.io/v1', kind: 'Function', metadata: { name: 'function-cel-filter' },
    status: { conditions: [{ type: 'Installed', status: 'True', reason: 'ActivePackageRevision' }, { type: 'Healthy', status: 'True', reason: 'HealthyPackageRevision' }] },
  })).toBe('STATUS: Healthy\nMESSAGE: Resource is up-to-date.');
});

describe('argocd-cm settings', () => {
  const [cm] = read('argocd/argocd-cm.yaml');
  test('annotation tracking, exclusions and ignored Crossplane fields', () => {
    expect(cm.data['application.resourceTrackingMethod']).toBe('annotation');
    expect(cm.data['resource.exclusions']).toContain('ProviderConfigUsage');
    expect(cm.data['resource.customizations.ignoreDifferences.platform.paymentenv.io_PaymentEnvironment']).toContain('/spec/crossplane/resourceRefs');
    expect(Object.keys(parse(cm.data['resource.customizations']))).toEqual(['*.crossplane.io/*', '*.upbound.io/*']);
    // Every key must be a valid ConfigMap key, or the API server refuses the whole ConfigMap.
    for (const k of Object.keys(cm.data)) expect(k).toMatch(/^[-._a-zA-Z0-9]+$/);
  });
});

// README step 2 merges dist/argocd/argocd-cm.yaml into the installation's argocd-cm: a merge patch
// replaces a key whole, so what the pinned release's install.yaml puts there must survive it.
test('merged into the pinned Argo CD\'s own argocd-cm, its defaults stay: status updates ignored, its exclusions kept', () => {
  const [cm] = read('argocd/argocd-cm.yaml');
  const installed = parse(readFileSync(join(moduleDir('github.com/argoproj/argo-cd/v3', PINS.ARGOCD_VERSION), 'manifests/base/config/argocd-cm.yaml'), 'utf8'));
  expect(ARGOCD_DEFAULT_EXCLUSIONS).toEqual(parse(installed.data['resource.exclusions']));
  const merged = { ...installed.data, ...cm.data };
  expect(parse(merged['resource.customizations.ignoreResourceUpdates.all'])).toEqual({ jsonPointers: ['/status'] });
  const exclusions = parse(merged['resource.exclusions']);
  for (const e of parse(installed.data['resource.exclusions'])) expect(exclusions).toContainEqual(e);
  expect(exclusions).toContainEqual({ apiGroups: ['*'], kinds: ['ProviderConfigUsage'], clusters: ['*'] });
});

describe('AppProjects', () => {
  const projects = read('argocd/projects.yaml');
  const claims = ENVS.map((e) => read(`environments/${e}/paymentenvironment.yaml`)[0]);
  test.each(['dev', 'staging', 'prod'])('payments-%s allows only its own environments\' namespaces and kinds', (tier) => {
    const p = projects.find((x) => x.metadata.name === `payments-${tier}`);
    const own = claims.filter((c) => c.spec.tier === tier).map((c) => c.metadata.namespace);
    expect(p.spec.destinations.map((d: any) => d.namespace)).toEqual(own);
    expect(p.spec.destinations.every((d: any) => !d.namespace.includes('*'))).toBe(true);
    // A claim in another environment's namespace is outside every destination of this project.
    for (const other of claims.filter((c) => c.spec.tier !== tier)) expect(own).not.toContain(other.metadata.namespace);
    expect(p.spec.sourceRepos).toHaveLength(1);
    expect(p.spec.namespaceResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`).sort())
      .toEqual(['aws.m.upbound.io/ProviderConfig', 'platform.paymentenv.io/PaymentEnvironment', 'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/RoleBinding']);
    expect(p.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });
});

test('no AppProject allows every namespace', () => {
  const projects = read('argocd/projects.yaml');
  expect(projects.flatMap((p: any) => p.spec.destinations.filter((d: any) => d.namespace.includes('*')).map(() => p.metadata.name))).toEqual([]);
});

test('every Application\'s destination is one its project permits (as Argo CD checks it: an empty namespace matches no glob but "*")', () => {
  const projects = new Map(read('argocd/projects.yaml').map((p: any) => [p.metadata.name, p]));
  const glob = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);
  for (const app of read('argocd/applications.yaml')) {
    const p: any = projects.get(app.spec.project);
    const ok = p.spec.destinations.some((d: any) => glob(d.server, app.spec.destination.server) && glob(d.namespace, app.spec.destination.namespace ?? ''));
    expect(`${app.metadata.name}: ${ok}`).toBe(`${app.metadata.name}: true`);
  }
});

describe('Applications', () => {
  const apps = read('argocd/applications.yaml');
  test.each(ENVS)('%s: synced from its own path into its own namespace, by its tier\'s project', (env) => {
    const claim = read(`environments/${env}/paymentenvironment.yaml`)[0];
    const app = apps.find((a) => a.metadata.name === `payments-${env}`);
    expect(app.spec.source.path).toBe(`dist/environments/${env}`);
    expect(app.spec.destination.namespace).toBe(`payments-${env}`);
    expect(app.spec.project).toBe(`payments-${claim.spec.tier}`);
    expect(app.spec.syncPolicy.automated.selfHeal).toBe(true);
    expect(app.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['SkipDryRunOnMissingResource=true', 'ServerSideApply=true']));
    if (claim.spec.tier === 'prod') {
      // Deleting prod's claim file from git cannot delete prod.
      expect(app.spec.syncPolicy.automated.prune).toBe(false);
      expect(app.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['Prune=false', 'Delete=false']));
      expect(app.metadata.finalizers).toBeUndefined();
    } else {
      expect(app.spec.syncPolicy.automated.prune).toBe(true);
    }
  });

  test('every Application that applies server-side compares server-side too, without the controller\'s OpenAPI schema', () => {
    // Structured-merge diff (what ServerSideApply=true brings) and the removal of webhook mutations
    // both type objects with the controller's schema copy; a failed reload left claims uncomparable.
    const ssa = apps.filter((a) => a.spec.syncPolicy?.syncOptions?.includes('ServerSideApply=true'));
    expect(ssa.map((a) => a.metadata.name).sort()).toEqual(['paymentenv-platform', ...ENVS.map((e) => `payments-${e}`)].sort());
    for (const a of ssa) {
      expect(a.metadata.annotations['argocd.argoproj.io/compare-options'].split(',').sort()).toEqual(['IncludeMutationWebhook=true', 'ServerSideDiff=true']);
    }
  });

  test('sync waves: packages, then XRD, then Composition, then namespaces, ProviderConfigs, claims', () => {
    const waves = {
      functions: Math.max(...read('platform/functions.yaml').map(wave)),
      providers: Math.max(...read('platform/providers.yaml').map(wave)),
      xrd: wave(read('platform/xrd.yaml')[0]),
      composition: wave(read('platform/composition.yaml')[0]),
      namespace: wave(read('environments/dev/namespace.yaml')[0]),
      providerConfig: wave(read('environments/dev/providerconfig.yaml')[0]),
      claim: wave(read('environments/dev/paymentenvironment.yaml')[0]),
    };
    expect(waves.functions).toBeLessThan(waves.xrd);
    expect(waves.providers).toBeLessThan(waves.xrd);
    expect(waves.xrd).toBeLessThan(waves.composition);
    expect(waves.composition).toBeLessThan(waves.namespace);
    expect(waves.namespace).toBeLessThan(waves.providerConfig);
    expect(waves.providerConfig).toBeLessThan(waves.claim);
  });

  test('the local cluster profiles: all of dist/argocd, or one env whose ProviderConfig the AWS e2e supplies', () => {
    const names = (objs: any[]) => objs.filter((o) => o.kind === 'Application').map((o) => o.metadata.name).sort();
    const all = localArgoObjects('file:///repo.git');
    expect(names(all)).toEqual(['paymentenv-platform', ...ENVS.map((e) => `payments-${e}`)].sort());
    expect(all.every((o) => !JSON.stringify(o).includes('github.com'))).toBe(true);
    const aws = localArgoObjects('file:///repo.git', undefined, { envs: ['dev'], providerConfigFromGit: false });
    expect(names(aws)).toEqual(['paymentenv-platform', 'payments-dev']);
    const app = (name: string) => aws.find((o) => o.kind === 'Application' && o.metadata.name === name);
    expect(app('payments-dev').spec.source.directory).toEqual({ exclude: 'providerconfig.yaml' });
    expect(app('paymentenv-platform').spec.source.directory).toEqual({ exclude: '{functions.yaml,providers.yaml}' });
    expect(aws.filter((o) => o.kind === 'AppProject').length).toBe(all.filter((o) => o.kind === 'AppProject').length);
  });
});

describe('Crossplane packages and runtime config', () => {
  test('one pinned family Provider per API group the Composition uses, all on the upstream 10-minute poll (drift events do the rest)', () => {
    const composition = read('platform/composition.yaml')[0];
    const groups = new Set<string>(composition.spec.pipeline[0].input.resources.map((r: any) => r.base.apiVersion.split('/')[0]).filter((g: string) => g.endsWith('.aws.m.upbound.io')));
    const providers = read('platform/providers.yaml');
    expect(providers.map((p) => p.metadata.name).sort()).toEqual([...groups].map((g) => `provider-aws-${g.split('.')[0]}`).sort());
    for (const p of providers) {
      expect(p.spec.package).toMatch(/^xpkg\.upbound\.io\/upbound\/provider-aws-[a-z0-9]+:v\d+\.\d+\.\d+$/);
      expect(p.spec.runtimeConfigRef.name).toBe('paymentenv-aws');
    }
    const [drc] = read('platform/runtime-config.yaml');
    expect(drc.spec.deploymentTemplate.spec.template.spec.containers[0].args).toContain('--poll=10m');
  });

  test('the activation policy activates exactly the managed kinds used, each a real CRD', () => {
    const [mrap] = read('platform/activation-policy.yaml');
    const crds = new Set(readdirSync(join(__dirname, '..', '.cache/crds/provider-aws')).map((f) => f.replace(/\.yaml$/, '').split('_').reverse().join('.')));
    expect(mrap.spec.activate.filter((a: string) => !crds.has(a))).toEqual([]);
    expect(mrap.spec.activate.length).toBeGreaterThan(50);
  });

  test('functions are pinned packages', () => {
    for (const f of read('platform/functions.yaml')) expect(f.spec.package).toMatch(/^xpkg\.crossplane\.io\/crossplane-contrib\/function-[a-z-]+:v\d+\.\d+\.\d+$/);
  });

  // provider-aws AUTHENTICATION.md: Pod Identity needs the ProviderConfig source PodIdentity and a
  // named service account (the association's); IRSA the role annotation on it.
  test.each(ENVS)('%s: ProviderConfig uses the pod\'s identity (SETTINGS.providerIdentity) and an environment role, no keys', (env) => {
    const [pc] = read(`environments/${env}/providerconfig.yaml`);
    expect(pc.metadata.namespace).toBe(`payments-${env}`);
    expect(pc.spec.credentials).toEqual({ source: SETTINGS.providerIdentity });
    const [runtime] = read('platform/runtime-config.yaml');
    expect(runtime.spec.serviceAccountTemplate.metadata.name).toBe(SETTINGS.providerServiceAccount);
    expect(runtime.spec.serviceAccountTemplate.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(SETTINGS.providerIdentity === 'IRSA' ? `arn:aws:iam::${SETTINGS.awsAccountId}:role/${SETTINGS.providerRoleName}` : undefined);
    expect(pc.spec.assumeRoleChain[0].roleARN).toMatch(new RegExp(`:role/${env}-crossplane-deployer$`));
  });
});

describe('namespaces and RBAC (cdk8s-plus-28)', () => {
  test.each(ENVS)('%s: the team reads its own claim; nobody writes one but Argo CD (admission policies)', (env) => {
    const rbac = read(`environments/${env}/rbac.yaml`);
    for (const o of rbac) expect(o.metadata.namespace).toBe(`payments-${env}`);
    const roles = rbac.filter((o) => o.kind === 'Role');
    const writers = roles.filter((r) => r.rules.some((x: any) => x.verbs.includes('update')));
    expect(writers).toHaveLength(0);
    for (const r of roles) expect(r.rules.flatMap((x: any) => x.resources)).toEqual(['paymentenvironments']);
  });
});

test('no Secret objects or secret values anywhere in dist/', () => {
  const files: string[] = [];
  const walk = (d: string) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : files.push(join(d, e.name))));
  walk(DIST);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const d of parseAllDocuments(text)) expect(d.toJS().kind).not.toBe('Secret');
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|aws_secret_access_key|BEGIN [A-Z ]*PRIVATE KEY|(^|\s)password:\s*\S/im);
  }
});
