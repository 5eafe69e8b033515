// npm run e2e, after the admission policies: adoption mode through git and `payenv adopt`
// on the live control plane, as after losing a control plane (docs/operations.md, "When the
// control plane is lost"). The backup is `payenv manifest -o json` of dev; no provider runs
// here, so the names AWS would have picked are written into it (the only thing made up).
// adopt runs as an operator (cluster-admin, not break-glass): the admission policy lets it name
// an Observe-only resource without a name, and nothing else.
import { spawnSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { EXTERNAL_NAME, RECONCILE_ANNOTATION } from '../../src/composition/resource';
import { kubeconfigOf, kubectl, up } from '../../src/dev/cluster';
import { ADOPT_ANNOTATION } from '../../src/names';
import { ROOT_DIR } from '../../src/versions';
import { tempDir } from '../helpers';
import { commitAndPush, getJson, recordResults, until, webhook, WORK, workClone } from './live';

const PAYENV = join(ROOT_DIR, 'bin', 'payenv.js');
const latenciesMs: Record<string, number> = {};
const notes: Record<string, string> = {};
const OPERATOR = kubeconfigOf('operator');

function payenv(...args: string[]) {
  const r = spawnSync(process.execPath, [PAYENV, ...args, '--kubeconfig', OPERATOR], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const devManaged = (): any[] => getJson(['get', 'managed', '-n', 'payments-dev']).items;
const policiesOf = (o: any) => JSON.stringify(o.spec.managementPolicies ?? ['*']);

function setAdoption(on: boolean): number {
  const file = join(WORK, 'environments', 'dev.yaml');
  const doc = parse(readFileSync(file, 'utf8'));
  if (on) doc.metadata.annotations = { ...doc.metadata.annotations, [ADOPT_ANNOTATION]: 'true' };
  else delete doc.metadata.annotations[ADOPT_ANNOTATION];
  if (doc.metadata.annotations && !Object.keys(doc.metadata.annotations).length) delete doc.metadata.annotations;
  writeFileSync(file, stringify(doc));
  return commitAndPush(on ? 'dev: adoption mode' : 'dev: leave adoption mode');
}

beforeAll(async () => {
  await up();
  workClone();
  await until('dev composed', () => getJson(['get', 'paymentenvironment', '-n', 'payments-dev', 'dev']).spec.crossplane?.resourceRefs?.length > 50, 600_000, 2000);
}, 1_800_000);

afterAll(() => recordResults({ latenciesMs, notes }));

test('adoption mode through git, payenv adopt from a manifest backup, and back: nothing but names written', async () => {
  // The backup: what payenv manifest recorded of dev, with the ids AWS picked where no provider ran.
  const manifest = JSON.parse(payenv('manifest', 'dev', '-o', 'json').out);
  const picked = new Map<string, string>();
  for (const r of manifest.environments[0].resources) {
    if (r.apiVersion.includes('.aws.m.upbound.io/') && !r.externalName) picked.set(r.name, r.externalName = `${r.kind.toLowerCase()}-0${picked.size.toString(16).padStart(16, '0')}`);
  }
  expect(picked.size).toBeGreaterThan(20);
  const backup = join(tempDir(), 'dev-manifest.json');
  writeFileSync(backup, JSON.stringify(manifest));

  // Not in adoption mode: adopt refuses, and names the way in.
  const refused = payenv('adopt', 'dev', '--from', backup);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain(`dev is not in adoption mode: set metadata.annotations["${ADOPT_ANNOTATION}"]: "true" in environments/dev.yaml`);

  const committedAt = setAdoption(true);
  await webhook();
  await until('every dev managed resource Observe-only', () => devManaged().every((o) => policiesOf(o) === '["Observe"]'), 300_000, 500);
  latenciesMs.adoptionModeCommitToObserveOnly = Date.now() - committedAt;

  const dry = payenv('adopt', 'dev', '--from', backup, '--dry-run', '-o', 'json');
  expect(JSON.parse(dry.out).counts.bound).toBe(picked.size);
  expect(devManaged().filter((o) => picked.has(o.metadata.annotations['crossplane.io/composition-resource-name']) && o.metadata.annotations[EXTERNAL_NAME])).toEqual([]);

  const bound = payenv('adopt', 'dev', '--from', backup);
  notes.adopt = bound.out.split('\n').slice(-2).join(' ');
  expect(bound.err).toBe('');
  expect(bound.code).toBe(0);
  expect(bound.out).toMatch(new RegExp(`Bound ${picked.size}, already named \\d+, missing 0 \\(created on leaving adoption mode\\), refused 0\\.`));
  for (const o of devManaged()) {
    const name = o.metadata.annotations['crossplane.io/composition-resource-name'];
    if (picked.has(name)) expect([name, o.metadata.annotations[EXTERNAL_NAME]]).toEqual([name, picked.get(name)]);
  }
  // Again: everything is named, nothing more to do.
  expect(JSON.parse(payenv('adopt', 'dev', '--from', backup, '-o', 'json').out).counts).toMatchObject({ bound: 0, missing: 0, refused: 0 });

  // The admission policy: the operator may not rename what has a name, nor name a resource that is not Observe-only.
  expect(picked.has('vpc')).toBe(true);
  const named = devManaged().find((o) => o.metadata.annotations['crossplane.io/composition-resource-name'] === 'vpc');
  const [group, version] = named.apiVersion.split('/');
  const patch = (ns: string, o: any, value: string, key = EXTERNAL_NAME) => {
    try {
      kubectl(['--kubeconfig', OPERATOR, 'annotate', '--overwrite', '-n', ns, `${o.kind}.${version}.${group}`.toLowerCase(), o.metadata.name, `${key}=${value}`]);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };
  expect(patch('payments-dev', named, 'vpc-0ffffffffffffffff')).toContain('payenv adopt may only name an Observe-only resource that has no external name yet');
  const stagingSame = getJson(['get', `${named.kind}.${version}.${group}`, '-n', 'payments-staging', '-l', `paymentenv.io/component=${named.metadata.labels['paymentenv.io/component']}`]).items[0];
  expect(stagingSame.metadata.annotations[EXTERNAL_NAME]).toBeUndefined();
  expect(patch('payments-staging', stagingSame, 'vpc-0ffffffffffffffff')).toContain('are written by Crossplane only');

  // crossplane-runtime#791: a new Observe-only resource can be left Synced with no Ready until the
  // next poll. The state its reconciler writes (no provider runs here): adopt asks for a reconcile,
  // which the policy lets an operator do to Observe-only resources only.
  kubectl(['patch', '--subresource=status', '--type=merge', '-n', 'payments-dev', `${named.kind}.${version}.${group}`.toLowerCase(), named.metadata.name,
    '-p', JSON.stringify({ status: { conditions: [{ type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: new Date().toISOString() }] } })]);
  const woken = payenv('adopt', 'dev', '--from', backup, '-o', 'json');
  expect(woken.err).toBe('');
  expect(JSON.parse(woken.out).reobserved).toEqual(['vpc']);
  const after = devManaged().find((o) => o.metadata.name === named.metadata.name);
  expect(after.metadata.annotations[RECONCILE_ANNOTATION]).toBeDefined();
  expect(after.spec).toEqual(named.spec);
  expect(patch('payments-staging', stagingSame, 'now', RECONCILE_ANNOTATION)).toContain('are written by Crossplane only');

  // Leaving adoption mode is a commit: the tier's policies again, the names kept.
  const leftAt = setAdoption(false);
  await webhook();
  await until('no dev managed resource Observe-only', () => devManaged().every((o) => policiesOf(o) !== '["Observe"]'), 300_000, 500);
  latenciesMs.leaveAdoptionCommitToManaged = Date.now() - leftAt;
  for (const o of devManaged()) {
    const name = o.metadata.annotations['crossplane.io/composition-resource-name'];
    if (picked.has(name)) expect([name, o.metadata.annotations[EXTERNAL_NAME]]).toEqual([name, picked.get(name)]);
  }
}, 900_000);
