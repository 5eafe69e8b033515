// dist/bootstrap/admission.yaml against what the stack itself writes: the policies cover
// every managed kind, and nothing Crossplane composes (rendered to convergence per tier)
// or Argo CD applies (dist/environments) would be refused. The live refusals are proven on
// the API server by test/e2e/2-admission.e2e.ts.
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { IDENTITIES, POLICY } from '../src/bootstrap/admission';
import { requiredTagKeys } from '../src/composition';
import { IDENTITY } from '../src/dev/cluster';
import { ADMIN_PROVIDER_CONFIG_NAME, managedResourceNames, peeringAccepterRoleArn, pluralOf, SETTINGS } from '../src/platform';
import { convergedTiers } from './observe';

const DIST = join(__dirname, '..', 'dist');
const read = (f: string): any[] => parseAllDocuments(readFileSync(join(DIST, f), 'utf8')).map((d) => d.toJS());
const objs = read('bootstrap/admission.yaml');
const policy = (name: string) => objs.find((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === name);
const matched = (name: string) => new Set(policy(name).spec.matchConstraints.resourceRules
  .flatMap((r: any) => r.resources.map((res: string) => `${res}.${r.apiGroups[0]}`)));
const TIERS = ['dev', 'staging', 'prod'];
const rendered = convergedTiers(TIERS);

test('every policy is bound to deny, in the environments\' namespaces only', () => {
  for (const name of Object.values(POLICY)) {
    expect(objs.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.spec.policyName === name).spec.validationActions).toEqual(['Deny']);
    expect(policy(name).spec.matchConditions).toEqual([{ name: 'environment-namespaces', expression: "request.namespace.startsWith('payments-')" }]);
    expect(policy(name).spec.failurePolicy).toBe('Fail');
  }
});

test('only Crossplane writes managed resources: every managed kind the Composition uses is covered', () => {
  expect([...matched(POLICY.crossplaneOnly)].sort()).toEqual(managedResourceNames());
});

test.each(TIERS)('%s: every composed resource of a tag-checked kind carries the mandatory tags for its environment', (env) => {
  const tagged = matched(POLICY.tags);
  let checked = 0;
  for (const [name, o] of rendered.get(env)!.resources) {
    if (!tagged.has(`${pluralOf(o.kind)}.${o.apiVersion.split('/')[0]}`)) continue;
    const tags = o.spec.forProvider.tags ?? {};
    expect([name, requiredTagKeys().filter((k) => !tags[k])]).toEqual([name, []]);
    expect([name, `payments-${tags.Environment}`]).toEqual([name, `payments-${env}`]);
    checked++;
  }
  expect(checked).toBeGreaterThan(50);
});

test.each(TIERS)('%s: the ProviderConfigs Argo CD applies pass the account rule', (env) => {
  for (const pc of read(`environments/${env}/providerconfig.yaml`)) {
    const roles = pc.spec.assumeRoleChain.map((r: any) => r.roleARN);
    if (pc.metadata.name === ADMIN_PROVIDER_CONFIG_NAME) expect(roles).toEqual([peeringAccepterRoleArn({ name: env })]);
    else expect(roles.every((r: string) => r.startsWith(`arn:aws:iam::${SETTINGS.awsAccountId}:`))).toBe(true);
  }
});

test('the local control plane runs each component as the identity the policies name', () => {
  expect(IDENTITY.argocd.user).toBe(IDENTITIES.argocdController);
  expect(IDENTITY.crossplane.user.startsWith(IDENTITIES.crossplanePrefix)).toBe(true);
  expect(IDENTITY.providers.user.startsWith(IDENTITIES.crossplanePrefix)).toBe(true);
  expect(IDENTITY.kcm.user).toBe(IDENTITIES.controllerManager);
  expect(IDENTITY.admin.groups).toContain(SETTINGS.breakGlassGroup);
});
