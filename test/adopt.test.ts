// Adoption mode and `payenv adopt`'s decisions, on the real render of dev (crossplane
// composition render): in adoption mode every managed resource is Observe-only and nothing
// else changes; adopt binds only Observe-only resources without a name, from a backup in the
// `payenv manifest -o json` format, and refuses what does not match. The live binding under
// the admission policy is test/e2e/2-ops.e2e.ts.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { EXTERNAL_NAME } from '../src/composition/resource';
import { ADOPT_ANNOTATION } from '../src/names';
import { converge } from '../src/plan/observe';
import { bindings, differences, readBackup } from '../src/ops/adopt';
import type { Inventory } from '../src/ops/inventory';
import { claimFile, K8sObject, Rendered, renderEnvironment } from '../src/render';
import { FunctionServers, startFunctions } from '../src/tools';
import { ENV_DIR, validateFile } from '../src/validate';
import { tempDir } from './helpers';

const ROOT = join(__dirname, '..');
let servers: FunctionServers;
let normal: Rendered;
let adopting: Rendered;
let slots: any[];
const managed = (r: Rendered) => [...r.resources.entries()].filter(([, o]) => o.apiVersion.includes('.aws.m.upbound.io/'));

beforeAll(async () => {
  servers = await startFunctions(readFileSync(join(ROOT, 'dist/platform/functions.yaml'), 'utf8'));
  normal = await renderEnvironment('dev', { servers });
  const claim = parse(readFileSync(claimFile('dev'), 'utf8'));
  claim.metadata.annotations[ADOPT_ANNOTATION] = 'true';
  const xrFile = join(tempDir(), 'dev.yaml');
  writeFileSync(xrFile, stringify(claim));
  adopting = await renderEnvironment('dev', { servers, xrFile });
  // The task definition is composed once the roles are observed: converged renders show it.
  slots = [(await converge('dev', xrFile, servers)).rendered, (await converge('dev', claimFile('dev'), servers)).rendered]
    .map((r) => [...r.resources.values()].find((o) => o.kind === 'TaskDefinition')!.spec.forProvider);
}, 240_000);

afterAll(async () => servers?.stop());

test('in adoption mode every managed resource is Observe-only, task definitions track their family, and nothing else differs', () => {
  expect(managed(adopting).length).toBeGreaterThan(50);
  expect(managed(adopting).filter(([, o]) => JSON.stringify(o.spec.managementPolicies) !== '["Observe"]').map(([n]) => n)).toEqual([]);
  // Outside it the tier's policies apply (prod-style data protection is not Observe-only).
  expect(managed(normal).filter(([, o]) => JSON.stringify(o.spec.managementPolicies) === '["Observe"]').map(([n]) => n)).toEqual([]);
  // And the task definition reads its family's latest revision (no state names it on a new control plane).
  expect(slots.map((fp) => fp.trackLatest)).toEqual([true, undefined]);
  const without = (o: K8sObject) => ({ ...o, spec: { ...o.spec, managementPolicies: undefined, forProvider: { ...o.spec.forProvider, trackLatest: undefined } } });
  expect([...adopting.resources.keys()]).toEqual([...normal.resources.keys()]);
  for (const [name, o] of adopting.resources) expect([name, without(o)]).toEqual([name, without(normal.resources.get(name)!)]);
});

test('an environment file may enter adoption mode with "true" only; anything else names the file, field and rule', () => {
  const dir = tempDir();
  const doc = parse(readFileSync(join(ENV_DIR, 'dev.yaml'), 'utf8'));
  const file = join(dir, 'dev.yaml');
  doc.metadata.annotations = { [ADOPT_ANNOTATION]: 'true' };
  writeFileSync(file, stringify(doc));
  expect(validateFile(file).problems).toEqual([]);
  expect(validateFile(file).env?.annotations).toEqual({ [ADOPT_ANNOTATION]: 'true' });
  doc.metadata.annotations = { [ADOPT_ANNOTATION]: 'yes' };
  writeFileSync(file, stringify(doc));
  expect(validateFile(file).problems).toEqual([{ file, path: `metadata.annotations.${ADOPT_ANNOTATION}`, message: 'must be "true" (adoption mode; remove the annotation to leave it), got string "yes"' }]);
});

/** The rendered environment as `payenv` reads it live: composed resources with object names. */
function inventoryOf(r: Rendered, edit: (name: string, o: K8sObject) => K8sObject = (_, o) => o): Inventory {
  return {
    env: 'dev', xr: r.xr as never,
    resources: [...r.resources.entries()].map(([name, o], i) => ({ name, area: 'other', obj: edit(name, { ...o, metadata: { ...o.metadata, name: `dev-${i}` } }) as never })),
  };
}

/** A backup as payenv manifest -o json writes it: one entry per composed resource. */
function backupFile(entries: object[], region = 'us-east-1'): string {
  const file = join(tempDir(), 'manifest.json');
  writeFileSync(file, JSON.stringify({ environments: [{ name: 'dev', region, resources: entries }] }));
  return file;
}

test('adopt binds an Observe-only resource without a name from the backup, and keeps names the Composition gives', () => {
  const inv = inventoryOf(adopting);
  const vpc = adopting.resources.get('vpc')!;
  const table = managed(adopting).find(([, o]) => o.metadata.annotations?.[EXTERNAL_NAME])!;
  const file = backupFile([
    { name: 'vpc', apiVersion: vpc.apiVersion, kind: vpc.kind, externalName: 'vpc-0a1b2c3d4e5f60718' },
    { name: 'igw', apiVersion: vpc.apiVersion, kind: 'VPC', externalName: 'igw-0a1b2c3d4e5f60718' },
    { name: 'api-stage-later', apiVersion: 'apigateway.aws.m.upbound.io/v1beta1', kind: 'Stage', externalName: 'ags-abc-v1' },
  ]);
  const { bindings: b, notComposed } = bindings(inv, readBackup(file, 'dev'));
  const by = new Map(b.map((x) => [x.name, x]));
  expect(by.get('vpc')).toMatchObject({ outcome: 'bound', externalName: 'vpc-0a1b2c3d4e5f60718', kind: 'ec2/VPC', object: expect.stringMatching(/^dev-/) });
  expect(by.get(table[0])).toMatchObject({ outcome: 'named', externalName: table[1].metadata.annotations![EXTERNAL_NAME] });
  // Recorded as another kind: refused, naming both.
  expect(by.get('igw')).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('records igw as ec2.aws.m.upbound.io/VPC, this is ec2.aws.m.upbound.io/InternetGateway') });
  expect(by.get('subnet-private-a')).toMatchObject({ outcome: 'missing', reason: expect.stringContaining('it is created when dev leaves adoption mode') });
  expect(notComposed).toEqual(['api-stage-later']);
});

test('a name the Composition gives that the provider observed absent in AWS is missing (created on leaving), not named', () => {
  const [slot] = managed(adopting).find(([, o]) => o.metadata.annotations?.[EXTERNAL_NAME])!;
  // crossplane-runtime's managed reconciler, Observe-only and no such resource (errExternalResourceNotExist).
  const absent = { conditions: [{ type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'cannot observe external resource: external resource does not exist' }] };
  const b = bindings(inventoryOf(adopting, (n, o) => (n === slot ? { ...o, status: absent } as never : o))).bindings.find((x) => x.name === slot);
  expect(b).toMatchObject({ outcome: 'missing', reason: expect.stringMatching(/^in AWS: no \w+ \S+ \(the provider observed it absent\): it is created when dev leaves adoption mode$/) });
  // Another failure is not evidence of absence; outside adoption mode a create is on its way anyway.
  const other = { conditions: [{ type: 'Synced', status: 'False', message: 'cannot observe external resource: AccessDenied' }] };
  expect(bindings(inventoryOf(adopting, (n, o) => (n === slot ? { ...o, status: other } as never : o))).bindings.find((x) => x.name === slot)).toMatchObject({ outcome: 'named' });
  expect(bindings(inventoryOf(normal, (n, o) => (n === slot ? { ...o, status: absent } as never : o))).bindings.find((x) => x.name === slot)).toMatchObject({ outcome: 'named' });
});

test('adopt never binds a resource that is not Observe-only (outside adoption mode it could create meanwhile)', () => {
  const inv = inventoryOf(normal);
  const vpc = normal.resources.get('vpc')!;
  const file = backupFile([{ name: 'vpc', apiVersion: vpc.apiVersion, kind: vpc.kind, externalName: 'vpc-0a1b2c3d4e5f60718' }]);
  const b = bindings(inv, readBackup(file, 'dev')).bindings.find((x) => x.name === 'vpc');
  expect(b).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('not ["Observe"]') });
});

test('a backup that is not payenv manifest output names the file, the field and the rule', () => {
  const dir = tempDir();
  const write = (name: string, text: string) => { const f = join(dir, name); writeFileSync(f, text); return f; };
  const notJson = write('a.json', 'environments: []');
  expect(() => readBackup(notJson, 'dev')).toThrow(`${notJson}: not JSON`);
  const other = write('b.json', JSON.stringify({ environments: [{ name: 'prod', resources: [] }] }));
  expect(() => readBackup(other, 'dev')).toThrow(`${other}: environments: no environment "dev" (it has prod)`);
  const bad = write('c.json', JSON.stringify({ environments: [{ name: 'dev', resources: [{ name: 'vpc', apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind: 'VPC', externalName: 7 }] }] }));
  expect(() => readBackup(bad, 'dev')).toThrow(`${bad}: environments[0].resources[0].externalName: must be a string or null`);
  const twice = write('d.json', JSON.stringify({ environments: [{ name: 'dev', resources: [1, 2].map(() => ({ name: 'vpc', apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind: 'VPC', externalName: null })) }] }));
  expect(() => readBackup(twice, 'dev')).toThrow(`${twice}: environments[0].resources[1].name: "vpc" appears twice`);
  expect(() => readBackup(join(dir, 'none.json'), 'dev')).toThrow('no such file (write one with payenv manifest -o json');
});

test('differences: what the Composition sets and AWS reports otherwise, by field; AWS\'s defaults, key order and set order are not differences', () => {
  const o = (forProvider: object, atProvider: object) => ({ apiVersion: 'x.aws.m.upbound.io/v1beta1', kind: 'X', metadata: { name: 'x' }, spec: { forProvider }, status: { atProvider } });
  const policy = { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
  // The same: a policy with other key order and no Sid back, a set in another order, a DNS name with its dot, AWS's extra fields.
  expect(differences(o(
    { policy: JSON.stringify(policy), cidrBlocks: ['10.0.0.0/8', '0.0.0.0/0'], name: 'a.example.com.', vpcIdSelector: { matchLabels: {} }, tags: { Owner: 'team' } },
    { policy: JSON.stringify({ Statement: [{ Resource: '*', Action: 's3:*', Effect: 'Allow' }], Version: '2012-10-17' }), cidrBlocks: ['0.0.0.0/0', '10.0.0.0/8'], name: 'a.example.com', arn: 'arn:x', tags: { Owner: 'team', 'crossplane-name': 'old' } },
  ) as never)).toEqual([]);
  // Otherwise: each field once, a map by key; a field AWS does not report is not one.
  expect(differences(o(
    { messageRetentionSeconds: 172800, tags: { Owner: 'team', Tier: 'prod' }, pointInTimeRecovery: { enabled: true }, kmsMasterKeyId: 'alias/k' },
    { messageRetentionSeconds: 60, tags: { Owner: 'other', Tier: 'prod' }, pointInTimeRecovery: { enabled: false } },
  ) as never)).toEqual([
    { field: 'messageRetentionSeconds', observed: 60, desired: 172800 },
    { field: 'tags.Owner', observed: 'other', desired: 'team' },
    { field: 'pointInTimeRecovery.enabled', observed: false, desired: true },
  ]);
});
