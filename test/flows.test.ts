// The flow table (src/flows.ts), evaluated, not grepped: each tier is rendered to
// convergence by the real Crossplane CLI and functions, every identity, trust, key,
// bucket, topic and Lambda policy is collected from the output, and an IAM policy
// evaluation engine decides each flow. Allowed flows must be Allowed; forbidden
// flows must be denied.
import { readFileSync } from 'fs';
import { parse } from 'yaml';
import { ALLOWED, FORBIDDEN, Flow } from '../src/flows';
import { claimFile, Rendered } from '../src/render';
import { DESIGN_TIERS } from './design-table';
import { EnvUnderTest, evaluate, unknownActions } from './iam';
import { convergedTiers } from './observe';

const ENVS = DESIGN_TIERS;
/** Whose roles play "another environment" for each one. */
const OTHER: Record<string, string> = { dev: 'staging', staging: 'prod', prod: 'dev' };
const rendered = convergedTiers(ENVS);

const who = (f: Flow) => ('service' in f.principal ? f.principal.service : f.principal.role);
const cases = (flows: readonly Flow[]) => ENVS.flatMap((env) => flows.filter((f) => !f.tiers || f.tiers.includes(env as never))
  .map((f) => [env, `${who(f)} -> ${f.actions.join(',')} -> ${f.resource}${f.context ? ` ${JSON.stringify(f.context)}` : ''}`, f] as const));

function under(env: string, other = rendered.get(OTHER[env])!): EnvUnderTest {
  return { name: env, claim: parse(readFileSync(claimFile(env), 'utf8')), other, otherName: OTHER[env] };
}

async function decide(env: string, f: Flow) {
  return evaluate(f, rendered.get(env)!, under(env));
}

describe('allowed flows', () => {
  test.each(cases(ALLOWED))('%s: %s', async (env, _name, f) => {
    const results = await decide(env, f);
    expect(results.filter((r) => r.decision !== 'Allowed')).toEqual([]);
  });
});

describe('forbidden flows', () => {
  test.each(cases(FORBIDDEN))('%s: %s', async (env, _name, f) => {
    const results = await decide(env, f);
    expect(results.filter((r) => !/Denied$/.test(r.decision))).toEqual([]);
  });
});

describe.each(ENVS)('policies of %s', (env) => {
  test('every action named in any policy exists (a typo grants nothing)', async () => {
    const docs = [...rendered.get(env)!.resources.entries()].flatMap(([name, o]) => {
      const fp = o.spec?.forProvider ?? {};
      return [fp.policy, fp.assumeRolePolicy].filter((p) => typeof p === 'string' && p.startsWith('{')).map((p) => [name, JSON.parse(p)] as const);
    });
    expect(docs.length).toBeGreaterThan(5);
    const unknown: string[] = [];
    for (const [name, doc] of docs) unknown.push(...(await unknownActions(doc)).map((a) => `${name}: ${a}`));
    expect(unknown).toEqual([]);
  });
});

describe('the evaluation fails when a policy is broken', () => {
  test('without the CloudWatch statement in the key policy, alarms cannot use the topic key', async () => {
    const env = 'staging';
    const r = rendered.get(env)!;
    const key = r.resources.get('kms-key')!;
    const policy = JSON.parse(key.spec.forProvider.policy);
    const broken: Rendered = {
      ...r,
      resources: new Map([...r.resources, ['kms-key', { ...key, spec: { ...key.spec, forProvider: { ...key.spec.forProvider, policy: JSON.stringify({ ...policy, Statement: policy.Statement.slice(0, 1) }) } } }]]),
    };
    const flow = ALLOWED.find((f) => who(f) === 'cloudwatch.amazonaws.com' && f.actions.includes('kms:GenerateDataKey'))!;
    const results = await evaluate(flow, broken, under(env));
    expect(results.map((x) => x.decision)).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });
  test('a role policy naming another environment\'s table lets that role in', async () => {
    const env = 'dev';
    const other = rendered.get(OTHER[env])!;
    const p = other.resources.get('role-app-task-policy')!;
    const leaky = JSON.parse(p.spec.forProvider.policy.replaceAll(`payment-transactions-${OTHER[env]}`, `payment-transactions-${env}`));
    const broken: Rendered = { ...other, resources: new Map([...other.resources, ['role-app-task-policy', { ...p, spec: { ...p.spec, forProvider: { ...p.spec.forProvider, policy: JSON.stringify(leaky) } } }]]) };
    const flow = FORBIDDEN.find((f) => who(f) === '%[5]s/app-task' && f.resource.includes('transactions'))!;
    const results = await evaluate(flow, rendered.get(env)!, under(env, broken));
    expect(results.map((x) => x.decision)).toEqual(['Allowed', 'Allowed']);
  });
});
