// npm run e2e, after the loop: the admission policies of dist/bootstrap/admission.yaml on
// the live kube-apiserver. Every component runs as its own identity (src/dev/cluster.ts
// IDENTITY); people are played with impersonation (kubectl --as), all of them cluster
// administrators, so what refuses them is the policy, not RBAC. That Argo CD still syncs,
// Crossplane still composes and deletes, and garbage collection still works is what the
// other e2e files prove under the same policies.
import { readFileSync } from 'fs';
import { stringify } from 'yaml';
import { POLICY } from '../../src/bootstrap/admission';
import { RECONCILE_ANNOTATION } from '../../src/composition/resource';
import { AUDIT_LOG, IDENTITY, kubeconfigOf, kubectl, up } from '../../src/dev/cluster';
import { ADMIN_PROVIDER_CONFIG_NAME, peeringAccepterRoleArn, SETTINGS } from '../../src/platform';
import { getJson, recordResults, until } from './live';

const notes: Record<string, string> = {};
const ADMIN = ['--as-group=system:masters'];
const PERSON = ['--as=alice@example.com', ...ADMIN];
const BREAK_GLASS = ['--as=bob@example.com', ...ADMIN, `--as-group=${SETTINGS.breakGlassGroup}`];

/** kubectl as someone: the refusal message, or '' when the API server accepted. */
function as(who: string[], args: string[], input?: string): string {
  try {
    kubectl([...who, ...args], input);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

const claimPatch = (spec: object) => ['patch', 'paymentenvironment', '-n', 'payments-prod', 'prod', '--type=merge', '-p', JSON.stringify(spec)];

beforeAll(async () => {
  await up();
  await until('prod composed', () => getJson(['get', 'paymentenvironment', '-n', 'payments-prod', 'prod']).spec.crossplane?.resourceRefs?.length > 50, 600_000, 2000);
}, 1_800_000);

afterAll(() => recordResults({ notes }));

test('the policies are the shipped ones, type-checked against the served schemas, and each component runs as itself', async () => {
  const names = getJson(['get', 'validatingadmissionpolicybindings']).items.map((b: any) => b.metadata.name);
  expect(names).toEqual(expect.arrayContaining(Object.values(POLICY)));
  // kube-controller-manager's status controller type-checks each policy against the CRDs' schemas:
  // a warning would mean an expression names a field that does not exist.
  const { value: checked } = await until('policies type-checked', () => {
    const ps = getJson(['get', 'validatingadmissionpolicies']).items.filter((x: any) => names.includes(x.metadata.name));
    return ps.length === names.length && ps.every((p: any) => p.status?.typeChecking) && ps;
  }, 60_000, 1000);
  for (const p of checked) {
    expect({ policy: p.metadata.name, warnings: p.status.typeChecking.expressionWarnings ?? [] }).toEqual({ policy: p.metadata.name, warnings: [] });
  }
  // Who wrote prod's claim and its composed resources: Argo CD's and Crossplane's identities.
  const audit = readFileSync(AUDIT_LOG, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const writers = (resource: string) => new Set(audit.filter((e) => e.objectRef?.namespace === 'payments-prod' && e.objectRef?.resource === resource
    && !e.objectRef.subresource && ['create', 'update', 'patch'].includes(e.verb) && e.responseStatus?.code < 300).map((e) => e.user.username));
  expect([...writers('paymentenvironments')]).toEqual(expect.arrayContaining([IDENTITY.argocd.user, IDENTITY.crossplane.user]));
  expect([...writers('vpcs')]).toEqual([IDENTITY.crossplane.user]);
});

test('a person\'s edit to prod\'s claim is refused with the reason; a break-glass edit is allowed and audited', async () => {
  const refused = as(PERSON, claimPatch({ spec: { costCenter: 'BY-HAND' } }));
  notes.admissionPersonEdit = refused.trim();
  expect(refused).toContain(`ValidatingAdmissionPolicy '${POLICY.gitOnly}'`);
  expect(refused).toContain('paymentenvironments in payments-prod change only through git (Argo CD applies them); alice@example.com is neither Argo CD nor in the break-glass group');

  const allowed = as(BREAK_GLASS, ['annotate', 'paymentenvironment', '-n', 'payments-prod', 'prod', 'paymentenv.io/break-glass-test=1', '--overwrite']);
  expect(allowed).toBe('');
  as(BREAK_GLASS, ['annotate', 'paymentenvironment', '-n', 'payments-prod', 'prod', 'paymentenv.io/break-glass-test-']);
  const { value: event } = await until('the break-glass write in the audit log', () => readFileSync(AUDIT_LOG, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .find((e) => e.impersonatedUser?.username === 'bob@example.com' && e.annotations?.[`${POLICY.gitOnly}/break-glass`]), 30_000, 500);
  notes.admissionBreakGlassAudit = `${POLICY.gitOnly}/break-glass: ${event.annotations[`${POLICY.gitOnly}/break-glass`]}`;
  expect(event.annotations[`${POLICY.gitOnly}/break-glass`]).toBe('bob@example.com UPDATE paymentenvironments payments-prod/prod');
}, 60_000);

test('nobody but Crossplane picks the Composition: a hand-set compositionRef is refused, even break-glass', () => {
  const refused = as(BREAK_GLASS, claimPatch({ spec: { crossplane: { compositionRef: { name: 'another-composition' } } } }));
  expect(refused).toContain('spec.crossplane.compositionRef and compositionRevisionRef are chosen by Crossplane');
  const rev = getJson(['get', 'paymentenvironment', '-n', 'payments-prod', 'prod']).spec.crossplane.compositionRevisionRef;
  expect(rev?.name).toBeTruthy(); // Crossplane set it, under the same policy
  expect(as(BREAK_GLASS, claimPatch({ spec: { crossplane: { compositionRevisionRef: null } } }))).toContain('are chosen by Crossplane');
});

test('managed resources are Crossplane\'s: a person\'s edit is refused, break-glass may', () => {
  const fn = getJson(['get', 'functions.lambda.aws.m.upbound.io', '-n', 'payments-prod', '-l', 'paymentenv.io/component=lambda']).items[0];
  const patch = ['patch', 'functions.lambda.aws.m.upbound.io', '-n', 'payments-prod', fn.metadata.name, '--type=merge', '--dry-run=server', '-p', '{"spec":{"forProvider":{"memorySize":1024}}}'];
  const refused = as(PERSON, patch);
  notes.admissionPersonManagedEdit = refused.trim();
  expect(refused).toContain(`ValidatingAdmissionPolicy '${POLICY.crossplaneOnly}'`);
  expect(refused).toContain('managed resources in payments-prod are written by Crossplane only');
  expect(as(BREAK_GLASS, patch)).toBe('');
});

test('a managed resource without the mandatory tags, or tagged for another environment, is refused', () => {
  const queue = getJson(['get', 'queues.sqs.aws.m.upbound.io', '-n', 'payments-prod', '-l', 'paymentenv.io/component=queue']).items[0];
  const copy = (tags: Record<string, string>) => stringify({
    apiVersion: queue.apiVersion, kind: queue.kind, metadata: { name: 'hand-made-queue', namespace: 'payments-prod' },
    spec: { forProvider: { ...queue.spec.forProvider, tags } },
  });
  const withoutOwner = { ...queue.spec.forProvider.tags };
  delete withoutOwner.Owner;
  const missing = as(BREAK_GLASS, ['create', '--dry-run=server', '-f', '-'], copy(withoutOwner));
  notes.admissionMissingTag = missing.trim();
  expect(missing).toContain(`ValidatingAdmissionPolicy '${POLICY.tags}'`);
  expect(missing).toMatch(/missing: Owner\b/);
  const other = as(BREAK_GLASS, ['create', '--dry-run=server', '-f', '-'], copy({ ...queue.spec.forProvider.tags, Environment: 'dev' }));
  expect(other).toContain('spec.forProvider.tags.Environment must name this namespace\'s environment (payments-prod)');
  expect(as(BREAK_GLASS, ['create', '--dry-run=server', '-f', '-'], copy(queue.spec.forProvider.tags))).toBe('');
});

test('a ProviderConfig may assume roles of its own environment\'s account only', () => {
  const pc = getJson(['get', 'providerconfigs.aws.m.upbound.io', '-n', 'payments-prod', 'aws']);
  const chain = (arn: string) => ['patch', 'providerconfigs.aws.m.upbound.io', '-n', 'payments-prod', 'aws', '--type=merge', '--dry-run=server',
    '-p', JSON.stringify({ spec: { assumeRoleChain: [{ roleARN: arn }] } })];
  const refused = as(BREAK_GLASS, chain('arn:aws:iam::999988887777:role/prod-crossplane-deployer'));
  notes.admissionOtherAccount = refused.trim();
  expect(refused).toContain(`may assume roles of its environment's account only (arn:aws:iam::${SETTINGS.awsAccountId}:*)`);
  expect(as(BREAK_GLASS, chain(pc.spec.assumeRoleChain[0].roleARN))).toBe('');
  expect(as(PERSON, chain(pc.spec.assumeRoleChain[0].roleARN))).toContain('change only through git');
  // The admin peering's accepter side assumes exactly its accepter role, in the admin VPC's account.
  const accepter = getJson(['get', 'providerconfigs.aws.m.upbound.io', '-n', 'payments-prod', ADMIN_PROVIDER_CONFIG_NAME]).spec.assumeRoleChain[0].roleARN;
  expect(accepter).toBe(peeringAccepterRoleArn({ name: 'prod' }));
  const asDeployer = as(BREAK_GLASS, ['patch', 'providerconfigs.aws.m.upbound.io', '-n', 'payments-prod', ADMIN_PROVIDER_CONFIG_NAME, '--type=merge', '--dry-run=server',
    '-p', JSON.stringify({ spec: { assumeRoleChain: [{ roleARN: pc.spec.assumeRoleChain[0].roleARN }] } })]);
  expect(asDeployer).toContain(`the ProviderConfig ${ADMIN_PROVIDER_CONFIG_NAME} in payments-prod may assume ${accepter} only`);
});

test('the drift listener, with its shipped RBAC, may only request a reconcile of a managed resource in an environment\'s namespace', () => {
  const LISTENER = ['--kubeconfig', kubeconfigOf('listener')];
  const queue = getJson(['get', 'queues.sqs.aws.m.upbound.io', '-n', 'payments-prod', '-l', 'paymentenv.io/component=queue']).items[0];
  const patch = (body: object) => ['patch', 'queues.sqs.aws.m.upbound.io', '-n', 'payments-prod', queue.metadata.name, '--type=merge', '--dry-run=server', '-p', JSON.stringify(body)];
  expect(as(LISTENER, patch({ metadata: { annotations: { [RECONCILE_ANNOTATION]: new Date().toISOString() } } }))).toBe('');
  const spec = as(LISTENER, patch({ metadata: { annotations: { [RECONCILE_ANNOTATION]: 'x' } }, spec: { forProvider: { messageRetentionSeconds: 60 } } }));
  notes.admissionListenerSpec = spec.trim();
  expect(spec).toContain('are written by Crossplane only');
  expect(as(LISTENER, patch({ metadata: { annotations: { 'crossplane.io/paused': 'true' } } }))).toContain('are written by Crossplane only');
  expect(as(LISTENER, patch({ metadata: { labels: { 'paymentenv.io/component': 'dlq' } } }))).toContain('are written by Crossplane only');
  // RBAC: nothing outside the managed kinds, no claim writes.
  expect(as(LISTENER, ['patch', 'paymentenvironment', '-n', 'payments-prod', 'prod', '--type=merge', '--dry-run=server', '-p', '{"metadata":{"annotations":{"x":"y"}}}'])).toMatch(/forbidden/i);
  expect(as(LISTENER, ['get', 'secrets', '-n', 'payments-prod'])).toMatch(/forbidden/i);
});
