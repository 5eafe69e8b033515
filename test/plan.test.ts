// payenv plan on a corpus of real changes: each case applies a small change to a copy
// of the environments (or to the tier policy, the pins, or the synthesized Composition,
// as a change to src/ would), synthesizes it, and plans it against the committed dist/
// (CI keeps that equal to a fresh synth) or against another synthesized tree. The
// expected plan of each case is asserted exactly: every resource and its action.
import { copyFileSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { plan, Plan, Side } from '../src/plan';
import { exitCode, markdown, summaryLine, text } from '../src/plan/format';
import { REPLACEMENTS_FILE } from '../src/plan/replacements';
import { composedKinds } from '../src/platform';
import { POLICY } from '../src/policy';
import { currentDigest, pins } from '../src/releases';
import { synth } from '../src/synth';
import { ENV_DIR, environmentFiles } from '../src/validate';
import { DIST_DIR, PINS } from '../src/versions';
import { tempDir } from './helpers';

interface Change {
  /** Edits to environment files: name -> edit of the parsed file, or null to remove it. */
  env?: Record<string, ((doc: any) => void) | null>;
  /** Runs before synth, undone after (a change to src/policy.ts). */
  policy?: () => () => void;
  /** The tier pins synth writes with (a payenv promote). */
  pins?: Record<string, string>;
  /** An edit of the synthesized dist/ (a change to the Composition's source). */
  dist?: (dist: string) => void;
}

/** Synthesizes the environments with a change applied; returns the side. */
function side(label: string, c: Change = {}): Side {
  const envDir = tempDir('payenv-plan-env-');
  for (const f of environmentFiles()) {
    const name = f.replace(/^.*\//, '').replace(/\.yaml$/, '');
    const edit = c.env?.[name];
    if (edit === null) continue;
    if (!edit) { copyFileSync(f, join(envDir, `${name}.yaml`)); continue; }
    const doc = parse(readFileSync(f, 'utf8'));
    edit(doc);
    writeFileSync(join(envDir, `${name}.yaml`), stringify(doc));
  }
  const undo = c.policy?.();
  const dist = join(tempDir('payenv-plan-dist-'), 'dist');
  try {
    synth(readdirSync(envDir).map((f) => join(envDir, f)).sort(), dist, c.pins ?? pins());
  } finally {
    undo?.();
  }
  c.dist?.(dist);
  return { label, dist };
}

const committed: Side = { label: 'committed dist/', dist: DIST_DIR };
/** Each environment's resources as "name action", sorted; the marker as one entry. */
const actions = (p: Plan) => Object.fromEntries(p.environments.map((e) => [e.env, [
  ...e.diff.changes.map((c) => `${c.name} ${c.action}${c.kubernetesOnly ? ' (kubernetes only)' : ''}`),
  ...(e.diff.marker ? [`marker x${e.diff.marker.resources}`] : []),
]]));
const refusals = (p: Plan) => p.refused.map((r) => `${r.env} ${r.subject}`);
/** The text plan with Composition digests and config hashes as placeholders: they follow every Composition edit. */
const stable = (t: string) => t.replace(/(release|->) [0-9a-f]{12}\b/g, '$1 <digest>').replace(/ConfigHash [0-9a-f]{16} -> [0-9a-f]{16}/g, 'ConfigHash <hash> -> <hash>')
  .replace(/taskdefinition\/dev-[0-9a-f]+/g, 'taskdefinition/dev-<hash>');
const change = (p: Plan, env: string, name: string) => p.environments.find((e) => e.env === env)!.diff.changes.find((c) => c.name === name)!;

/** Edits one Composition patch or base in a synthesized dist/ (all tiers render with it). */
function editComposition(dist: string, edit: (resources: any[]) => void) {
  const file = join(dist, 'platform', 'composition.yaml');
  const doc = parseAllDocuments(readFileSync(file, 'utf8'))[0].toJS();
  for (const step of doc.spec.pipeline) if (step.input?.resources) edit(step.input.resources);
  writeFileSync(file, stringify(doc));
}
const resource = (rs: any[], name: string) => rs.find((r) => r.name === name || r.name?.startsWith(name));

jest.setTimeout(600_000);

test('the replacement table was read from the pinned provider and covers every composed kind', () => {
  const table = JSON.parse(readFileSync(REPLACEMENTS_FILE, 'utf8'));
  expect(table.provider).toBe(`github.com/upbound/provider-aws/v2@${PINS.PROVIDER_AWS_VERSION}`);
  expect(Object.keys(table.kinds).sort()).toEqual(composedKinds());
  // Facts of the Terraform schema the plan relies on (each would be a wrong plan if lost).
  expect(table.kinds['ec2.aws.m.upbound.io/VPC'].replace).toContain('cidrBlock');
  expect(table.kinds['lambda.aws.m.upbound.io/Permission'].replace).toContain('sourceArn');
  expect(table.kinds['apigateway.aws.m.upbound.io/Deployment'].replace).toContain('triggers');
  expect(table.kinds['rds.aws.m.upbound.io/ClusterInstance'].replace).not.toContain('instanceClass');
});

test('no change: every environment unchanged, exit 0', async () => {
  const p = await plan(committed, side('unchanged'));
  expect(p.environments.map((e) => e.state)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  expect(p.gitops).toEqual([]);
  expect(p.platform).toEqual([]);
  expect(exitCode(p)).toBe(0);
});

test('appImage in dev: the function updates in place, the task definition moves to the other slot (a new revision) and the service follows, the marker moves', async () => {
  const p = await plan(committed, side('image', { env: { dev: (d) => { d.spec.appImage = '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.4.3'; } } }));
  expect(actions(p)).toMatchSnapshot();
  expect(p.environments.filter((e) => e.state !== 'unchanged').map((e) => e.env)).toEqual(['dev']);
  // The slots take turns (compute.ts): the empty one registers the new revision, the stale one goes.
  expect(p.environments[0].diff.changes.map((c) => `${c.name} ${c.action}`)).toEqual(['ecs-service update', 'ecs-task-blue delete', 'ecs-task-green create', 'lambda update']);
  expect(change(p, 'dev', 'lambda').fields.map((f) => f.path)).toEqual(['spec.forProvider.imageUri']);
  expect(change(p, 'dev', 'ecs-service').fields.map((f) => f.path)).toEqual(['spec.forProvider.taskDefinition']);
  expect(exitCode(p)).toBe(2);
  expect(stable(text(p))).toMatchSnapshot();
});

test('dev\'s tier to staging: the staging policy applies to dev', async () => {
  const p = await plan(committed, side('tier', { env: { dev: (d) => { d.spec.tier = 'staging'; d.spec.alarmEmail = 'payments-oncall@example.com'; } } }));
  expect(actions(p)).toMatchSnapshot();
  expect(exitCode(p)).toBe(2);
});

const policyChange = () => {
  const before = POLICY.dev.logRetentionDays;
  (POLICY.dev as { logRetentionDays: number }).logRetentionDays = 14;
  return () => { (POLICY.dev as { logRetentionDays: number }).logRetentionDays = before; };
};

test('a tier-policy change reaches dev only until staging and prod are promoted', async () => {
  const p = await plan(committed, side('policy', { policy: policyChange }));
  expect(actions(p)).toMatchSnapshot();
  expect(p.environments.map((e) => [e.env, e.state])).toEqual([['dev', 'changed'], ['prod', 'unchanged'], ['staging', 'unchanged']]);
  for (const g of ['logs-ecs', 'logs-lambda', 'logs-api', 'logs-db']) {
    expect(change(p, 'dev', g).fields.find((f) => f.path === 'spec.forProvider.retentionInDays')).toEqual({ path: 'spec.forProvider.retentionInDays', before: 7, after: 14 });
  }
});

const stagingPolicyChange = () => {
  const before = POLICY.staging.logRetentionDays;
  (POLICY.staging as { logRetentionDays: number }).logRetentionDays = 60;
  return () => { (POLICY.staging as { logRetentionDays: number }).logRetentionDays = before; };
};

test('payenv promote staging: the release staging selects moves, prod stays', async () => {
  // The committed pins are kept releases (src/releases/): what the tiers compose with before the promote.
  const { staging: old, prod } = pins() as { staging: string; prod: string };
  const next = digestWith(stagingPolicyChange);
  const base = side('policy', { policy: stagingPolicyChange, pins: { staging: old, prod } });
  const p = await plan(base, side('promoted', { policy: stagingPolicyChange, pins: { staging: next, prod } }));
  expect(p.environments.find((e) => e.env === 'staging')!.release).toEqual({ base: old, head: next });
  expect(p.environments.filter((e) => e.state !== 'unchanged').map((e) => e.env)).toEqual(['staging']);
  expect(actions(p)).toMatchSnapshot();
  expect(stable(text(p))).toMatchSnapshot();
});

/** The digest of the current Composition with a policy change applied. */
function digestWith(change: () => () => void): string {
  const undo = change();
  try { return currentDigest(); } finally { undo(); }
}

test('vpcCidr of dev: the VPC and what sits in it are replaced (flagged), and the API server refuses the update', async () => {
  const p = await plan(committed, side('cidr', { env: { dev: (d) => { d.spec.vpcCidr = '10.9.0.0/16'; } } }));
  const vpc = change(p, 'dev', 'vpc');
  expect(vpc.action).toBe('replace');
  expect(vpc.reason).toContain('cidrBlock');
  expect(actions(p)).toMatchSnapshot();
  expect(refusals(p)).toEqual(['dev spec.vpcCidr']);
  expect(exitCode(p)).toBe(3);
});

test('vpcCidr of prod: refused (the API server would refuse the update; the migration is named)', async () => {
  const p = await plan(committed, side('cidr', { env: { prod: (d) => { d.spec.vpcCidr = '10.9.0.0/16'; } } }));
  expect(refusals(p)).toMatchSnapshot();
  expect(refusals(p)).toContain('prod spec.vpcCidr');
  expect(exitCode(p)).toBe(3);
  expect(text(p)).toMatch(/REFUSED: spec\.vpcCidr: "10\.3\.0\.0\/16" -> "10\.9\.0\.0\/16"/);
});

test('the API deployment trigger taken from the claim again: a replacement the provider refuses, flagged', async () => {
  const edit = (dist: string) => editComposition(dist, (rs) => {
    resource(rs, 'api-deployment').patches.push({ type: 'FromCompositeFieldPath', fromFieldPath: 'metadata.annotations[paymentenv.io/config-hash]', toFieldPath: 'spec.forProvider.triggers.configHash' });
  });
  const p = await plan(committed, side('trigger', { dist: edit }));
  const d = p.environments.find((e) => e.env === 'dev')!.diff.changes.find((c) => c.name.startsWith('api-deployment'))!;
  expect(d.action).toBe('replace');
  expect(d.reason).toBe('forces replacement: triggers.configHash');
  expect(text(p)).toContain('provider-upjet-aws refuses to replace');
});

test('the Lambda permission\'s source ARN: replaced', async () => {
  const edit = (dist: string) => editComposition(dist, (rs) => {
    const perm = resource(rs, 'lambda-api-permission');
    perm.patches.find((x: any) => x.toFieldPath === 'spec.forProvider.sourceArn').transforms[0].string.fmt = '%s/v1/*';
  });
  const p = await plan(committed, side('source-arn', { dist: edit }));
  for (const env of ['dev', 'staging', 'prod']) expect(change(p, env, 'lambda-api-permission')).toMatchObject({ action: 'replace', reason: 'forces replacement: sourceArn' });
  expect(refusals(p)).toEqual([]);
});

test('an environment file removed: dev is destroyed, listed; prod is refused; prod accepted when its file said so first', async () => {
  const dev = await plan(committed, side('retire-dev', { env: { dev: null } }));
  const d = dev.environments.find((e) => e.env === 'dev')!;
  expect(d.state).toBe('removed');
  expect(d.diff.changes.every((c) => c.action === 'delete')).toBe(true);
  expect(d.diff.changes.length).toBeGreaterThan(100);
  expect(refusals(dev)).toEqual([]);
  const prod = await plan(committed, side('retire-prod', { env: { prod: null } }));
  expect(refusals(prod)).toEqual(['prod environment']);
  expect(exitCode(prod)).toBe(3);
  const accepting = side('accepting', { env: { prod: (doc) => { doc.metadata.annotations = { 'paymentenv.io/accept-data-change': 'environment: retiring prod after the migration to prod2 (CHG-42)\n' }; } } });
  const retired = await plan(accepting, side('retire-prod', { env: { prod: null } }));
  expect(refusals(retired)).toEqual([]);
  expect(retired.environments.find((e) => e.env === 'prod')!.accepted.map((a) => a.subject)).toEqual(['environment']);
  expect(exitCode(retired)).toBe(2);
});

test('the DB instance class: each instance updates in place (instance_class is not ForceNew)', async () => {
  const p = await plan(committed, side('class', { policy: () => {
    const before = POLICY.dev.dbInstanceClass;
    (POLICY.dev as { dbInstanceClass: string }).dbInstanceClass = 'db.t4g.large';
    return () => { (POLICY.dev as { dbInstanceClass: string }).dbInstanceClass = before; };
  } }));
  expect(change(p, 'dev', 'db-instance-1')).toMatchObject({ action: 'update' });
  expect(actions(p).dev).toMatchSnapshot();
});

test('the audit bucket\'s name: replaced in dev, refused in prod and staging', async () => {
  const edit = (dist: string) => {
    const file = join(dist, 'platform', 'composition.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/payments-%\[2\]s-audit-/g, 'payments-%[2]s-auditlog-'));
  };
  // Staging and prod take a Composition change once promoted: the change and its promotion together.
  const p = await plan(committed, side('bucket-name', { dist: edit, pins: { staging: currentDigest(), prod: currentDigest() } }));
  expect(change(p, 'dev', 'audit-bucket')).toMatchObject({ action: 'replace' });
  expect(change(p, 'dev', 'audit-bucket').reason).toMatch(/^external name/);
  expect(refusals(p).filter((r) => r.endsWith(' audit-bucket'))).toEqual(['prod audit-bucket', 'staging audit-bucket']);
  expect(markdown(p)).toMatch(/<details open><summary><b>prod<\/b> \(prod\): .* — \*\*refused\*\*<\/summary>/);
});

test('an acceptance that is not "<name>: <reason>" is a validation error naming the file and field', () => {
  const dir = tempDir();
  const doc = parse(readFileSync(join(ENV_DIR, 'dev.yaml'), 'utf8'));
  doc.metadata.annotations = { 'paymentenv.io/accept-data-change': 'db-cluster\n' };
  writeFileSync(join(dir, 'dev.yaml'), stringify(doc));
  expect(() => synth([join(dir, 'dev.yaml')], join(dir, 'dist'))).toThrow(
    `${join(dir, 'dev.yaml')}: metadata.annotations.paymentenv.io/accept-data-change: line "db-cluster" must be "<composition resource name or environment>: <reason>"`);
  unlinkSync(join(dir, 'dev.yaml'));
});

test('summary line reads like terraform', async () => {
  const p = await plan(committed, side('image', { env: { dev: (d) => { d.spec.appImage = '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.4.3'; } } }));
  expect(summaryLine(p.environments[0])).toBe('1 to add, 2 to change, 0 to replace, 1 to destroy');
});

// Adoption mode (src/names.ts ADOPT_ANNOTATION): the plan says nothing reaches AWS, in one line, and
// says so again on the way out; the render behind it is test/adopt.test.ts.
test('entering and leaving adoption mode: one summary line, nothing sent to AWS', async () => {
  const adopting = side('adopting', { env: { dev: (d) => { d.metadata.annotations = { 'paymentenv.io/adopt': 'true' }; } } });
  const p = await plan(committed, adopting);
  const dev = p.environments.find((e) => e.env === 'dev')!;
  expect(actions(p).dev).toEqual([]);
  expect(dev.diff.adoption).toMatchObject({ entering: true });
  expect(dev.diff.adoption!.resources).toBeGreaterThan(100);
  expect(text(p)).toMatch(/~ adoption mode: \d+ managed resources Observe-only .*payenv adopt dev/);
  expect(summaryLine(dev)).toBe('0 to add, 0 to change, 0 to replace, 0 to destroy');
  const back = await plan(adopting, committed);
  expect(back.environments.find((e) => e.env === 'dev')!.diff.adoption).toEqual({ entering: false, resources: dev.diff.adoption!.resources });
  expect(text(back)).toMatch(/~ leaving adoption mode: \d+ managed resources managed again/);
});
