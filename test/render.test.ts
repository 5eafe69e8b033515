// Every environment rendered by the real `crossplane composition render`
// (pinned CLI + core, functions as local processes), then judged on the
// rendered output: the DESIGN.md tier table row by row, invariants of every
// composed resource, parity between tiers, readiness, and rejection by
// `crossplane resource validate`.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { AWS_NAMED, UNSCOPED_ACTIONS } from '../src/composition/security';
import { ADMIN_PROVIDER_CONFIG_NAME } from '../src/platform';
import { claimFile, K8sObject, Rendered, renderEnvironment, validateResources, writeComposed } from '../src/render';
import { FunctionServers, startFunctions } from '../src/tools';
import { forProviderOf } from './crds';
import { DESIGN, DESIGN_TIERS, DesignTier } from './design-table';
import { tempDir } from './helpers';
import { ACCOUNT, converge, observe, observedArn } from './observe';
import { ZONE_IDS } from '../src/zones';

const ROOT = join(__dirname, '..');
const ENVS = DESIGN_TIERS; // dev, staging and prod are the committed environments of those tiers.
const rendered = new Map<string, Rendered>();
const claims = new Map<string, any>();
let servers: FunctionServers;

beforeAll(async () => {
  servers = await startFunctions(readFileSync(join(ROOT, 'dist/platform/functions.yaml'), 'utf8'));
  for (const env of ENVS) {
    claims.set(env, parse(readFileSync(claimFile(env), 'utf8')));
    rendered.set(env, (await converge(env, claimFile(env), servers)).rendered);
  }
}, 300_000);

afterAll(async () => servers?.stop());

function res(env: string, name: string): K8sObject {
  const r = rendered.get(env)!.resources.get(name);
  if (!r) throw new Error(`${env} has no composed resource ${name}`);
  return r;
}
const fp = (env: string, name: string) => res(env, name).spec.forProvider;
/** The ARN the observed provider status reports for a composed resource. */
const arnOf = (env: string, name: string) => observedArn(rendered.get(env)!, env, name);
const has = (env: string, name: string) => rendered.get(env)!.resources.has(name);
const managed = (env: string) => [...rendered.get(env)!.resources.entries()].filter(([, o]) => o.apiVersion.includes('.aws.m.upbound.io/'));

describe.each(ENVS)('tier policy table, rendered for %s', (env) => {
  const d = DESIGN[env as DesignTier];
  test('NAT gateways, one per AZ in prod, and private routes use them', () => {
    const nats = [...rendered.get(env)!.resources.values()].filter((o) => o.kind === 'NATGateway');
    expect(nats).toHaveLength(d.natGateways);
    const targets = ['a', 'b', 'c'].map((az) => fp(env, `route-private-${az}-default`).natGatewayIdSelector.matchLabels['paymentenv.io/component']);
    expect(new Set(targets).size).toBe(d.natGateways);
  });
  test('VPC over 3 AZs with public and private subnets, IGW and endpoints', () => {
    const subnets = [...rendered.get(env)!.resources.values()].filter((o) => o.kind === 'Subnet');
    // Placed by AZ ID, the same physical zone in every account (src/zones.ts): one public and one private each.
    expect(subnets.map((s) => s.spec.forProvider.availabilityZoneId).sort()).toEqual([...ZONE_IDS['us-east-1'], ...ZONE_IDS['us-east-1']].sort());
    expect(subnets.map((s) => s.spec.forProvider.availabilityZone)).toEqual(subnets.map(() => undefined));
    expect(has(env, 'igw')).toBe(true);
    expect(['vpce-s3', 'vpce-dynamodb', 'vpce-ecr-api', 'vpce-ecr-dkr'].map((n) => fp(env, n).serviceName))
      .toEqual(['com.amazonaws.us-east-1.s3', 'com.amazonaws.us-east-1.dynamodb', 'com.amazonaws.us-east-1.ecr.api', 'com.amazonaws.us-east-1.ecr.dkr']);
    const octets = claims.get(env).spec.vpcCidr.split('.').slice(0, 2).join('.');
    for (const s of subnets) expect(s.spec.forProvider.cidrBlock.startsWith(`${octets}.`)).toBe(true);
  });
  test('Aurora PostgreSQL: class, instances, backups, snapshot, encryption, IAM auth, managed secret', () => {
    const instances = [...rendered.get(env)!.resources.values()].filter((o) => o.kind === 'ClusterInstance');
    expect(instances).toHaveLength(d.dbInstances);
    for (const i of instances) expect(i.spec.forProvider.instanceClass).toBe(d.dbInstanceClass);
    expect(new Set(instances.map((i) => i.spec.forProvider.availabilityZone)).size).toBe(Math.min(3, d.dbInstances));
    const c = fp(env, 'db-cluster');
    expect(c).toMatchObject({ engine: 'aurora-postgresql', backupRetentionPeriod: d.backupDays, skipFinalSnapshot: !d.finalSnapshot, storageEncrypted: true, iamDatabaseAuthenticationEnabled: true, manageMasterUserPassword: true });
  });
  test('DynamoDB billing, PITR and autoscaling', () => {
    for (const t of ['table-sessions', 'table-transactions']) {
      expect(fp(env, t).billingMode).toBe(d.billing);
      expect(fp(env, t).pointInTimeRecovery).toEqual({ enabled: true });
      if (d.billing === 'PROVISIONED') {
        // Set at creation only: Application Auto Scaling owns them afterwards (and no LateInitialize copies them back).
        expect(res(env, t).spec.initProvider).toEqual({ readCapacity: 5, writeCapacity: 5 });
        expect([fp(env, t).readCapacity, fp(env, t).writeCapacity]).toEqual([undefined, undefined]);
        expect(res(env, t).spec.managementPolicies).not.toContain('LateInitialize');
        expect(fp(env, `${t}-read-target`).minCapacity).toBe(5);
      } else {
        expect(fp(env, t).readCapacity).toBeUndefined();
        expect(has(env, `${t}-read-target`)).toBe(false);
      }
    }
  });
  test('ECS Fargate autoscaling bounds on CPU', () => {
    expect([fp(env, 'ecs-scaling-target').minCapacity, fp(env, 'ecs-scaling-target').maxCapacity]).toEqual(d.ecs);
    expect(fp(env, 'ecs-scaling-policy').targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType).toBe('ECSServiceAverageCPUUtilization');
    expect(fp(env, 'ecs-service').launchType).toBe('FARGATE');
    expect(JSON.parse(fp(env, 'ecs-task-blue').containerDefinitions)[0].image).toBe(claims.get(env).spec.appImage);
  });
  test('Lambda memory, timeout and reserved concurrency', () => {
    expect(fp(env, 'lambda')).toMatchObject({ memorySize: d.lambdaMemory, timeout: d.lambdaTimeout, reservedConcurrentExecutions: d.concurrency });
  });
  test('API throttling and custom domain', () => {
    expect(fp(env, 'api-throttling').settings.throttlingRateLimit).toBe(d.rateLimit);
    expect(fp(env, 'api-domain').domainName).toBe(`api-${env}.payments.example.com`);
  });
  test('WAF presence on API and ALB', () => {
    for (const n of ['waf', 'waf-api', 'waf-alb']) expect(has(env, n)).toBe(d.waf);
    if (d.waf) {
      expect(fp(env, 'waf-api').resourceArn).toBe(rendered.get(env)!.xr.status.api.stageArn);
      expect(fp(env, 'waf-alb').resourceArn).toBe(rendered.get(env)!.xr.status.alb.arn);
    }
  });
  test('SQS DLQ retention and redrive', () => {
    expect(fp(env, 'dlq').messageRetentionSeconds).toBe(d.dlqDays * 86400);
    expect(JSON.parse(fp(env, 'queue-redrive').redrivePolicy).deadLetterTargetArn).toBe(`arn:aws:sqs:us-east-1:${ACCOUNT}:payment-dlq-${env}`);
  });
  test('S3 lifecycle and replication', () => {
    expect(fp(env, 'audit-bucket-lifecycle').rule[0].transition[0]).toEqual({ days: d.glacierDays, storageClass: 'GLACIER' });
    // The DR replica (prod) keeps the same lifecycle, in drRegion.
    if (has(env, 'audit-bucket-replica')) expect(fp(env, 'audit-bucket-replica-lifecycle').rule[0].transition[0]).toEqual({ days: d.glacierDays, storageClass: 'GLACIER' });
    expect(has(env, 'audit-bucket-replication')).toBe(d.replication);
    if (d.replication) expect(fp(env, 'audit-bucket-replica').region).toBe(claims.get(env).spec.drRegion);
  });
  test('CloudWatch log retention, alarms and dashboard', () => {
    for (const g of ['logs-ecs', 'logs-lambda', 'logs-api']) expect(fp(env, g).retentionInDays).toBe(d.logDays);
    const alarms = [...rendered.get(env)!.resources.values()].filter((o) => o.kind === 'MetricAlarm');
    expect(alarms.length).toBe(d.alarms ? 6 : 0);
    expect(has(env, 'dashboard')).toBe(true);
  });
});

test('prod alarm thresholds are tighter than staging, on the same metrics', () => {
  for (const a of ['alarm-rds-cpu', 'alarm-lambda-errors', 'alarm-api-5xx', 'alarm-alb-5xx', 'alarm-dlq-depth']) {
    expect(fp('prod', a).metricName).toBe(fp('staging', a).metricName);
    expect(fp('prod', a).threshold).toBeLessThan(fp('staging', a).threshold);
  }
});

describe.each(ENVS)('invariants of every composed resource in %s', (env) => {
  const claim = () => claims.get(env);
  test('mandatory tags on everything that takes tags (per the provider CRD)', () => {
    const missing: string[] = [];
    for (const [name, o] of managed(env)) {
      if (!('tags' in forProviderOf(o.apiVersion, o.kind))) continue;
      const t = o.spec.forProvider.tags ?? {};
      const want = { Environment: env, Project: 'payments', ManagedBy: 'crossplane', CostCenter: claim().spec.costCenter, Owner: claim().spec.owner, DataClassification: claim().spec.dataClassification };
      for (const [k, v] of Object.entries(want)) if (t[k] !== v) missing.push(`${name}.${k}`);
      if (!/^[0-9a-f]{16}$/.test(t.ConfigHash)) missing.push(`${name}.ConfigHash`);
    }
    expect(missing).toEqual([]);
  });
  test('region from the claim (drRegion only for the DR replica)', () => {
    for (const [name, o] of managed(env)) {
      if (!('region' in forProviderOf(o.apiVersion, o.kind))) continue;
      const want = /^(audit|access-log)-bucket-replica(-|$)|^kms-(key|alias)-dr$/.test(name) ? claim().spec.drRegion : claim().spec.region;
      expect(`${name}: ${o.spec.forProvider.region}`).toBe(`${name}: ${want}`);
    }
  });
  test('alarms notify the alarm topic, when the tier has alarms', () => {
    const alarms = managed(env).filter(([, o]) => o.kind === 'MetricAlarm');
    const topic = rendered.get(env)!.xr.status.observability?.alarmTopicArn;
    if (env === 'dev') expect(alarms).toEqual([]);
    else expect(topic).toMatch(/^arn:aws:sns:/);
    for (const [, o] of alarms) expect(o.spec.forProvider.alarmActions).toEqual([topic]);
  });
  test('the queue leaves its redrive policy to queue-redrive (no late initialization of it)', () => {
    expect(res(env, 'queue').spec.managementPolicies).toEqual(['Observe', 'Create', 'Update', 'Delete']);
    expect(fp(env, 'queue').redrivePolicy).toBeUndefined();
  });
  test('the target group is not late-initialized (nested zero values made the provider update it every poll)', () => {
    expect(res(env, 'alb-target-group').spec.managementPolicies).toEqual(['Observe', 'Create', 'Update', 'Delete']);
  });
  test('KMS encryption on every data store', () => {
    expect(fp(env, 'db-cluster').kmsKeyIdSelector.matchLabels['paymentenv.io/component']).toBe('kms-key');
    for (const t of ['table-sessions', 'table-transactions']) expect(fp(env, t).serverSideEncryption).toEqual({ enabled: true, kmsKeyArn: rendered.get(env)!.xr.status.kmsKeyArn });
    expect(fp(env, 'audit-bucket-encryption').rule[0].applyServerSideEncryptionByDefault.sseAlgorithm).toBe('aws:kms');
    for (const q of ['queue', 'dlq']) expect(fp(env, q)).toMatchObject({ kmsMasterKeyId: `alias/payment-key-${env}`, sqsManagedSseEnabled: false });
    expect(fp(env, 'kms-key').enableKeyRotation).toBe(true);
  });
  test('AWS names contain the environment name', () => {
    const unnamed = managed(env).filter(([, o]) => {
      const names = [o.metadata.annotations?.['crossplane.io/external-name'], o.spec.forProvider.name, o.spec.forProvider.family].filter(Boolean);
      return names.length > 0 && !names.some((n: string) => n.includes(env));
    });
    expect(unnamed.map(([n]) => n)).toEqual([]);
    expect(res(env, 'role-app-task').metadata.annotations!['crossplane.io/external-name']).toBe(`${env}-app-task`);
    // provider-upjet-aws identifies a RolePolicy as "{{ .parameters.role }}:{{ .external_name }}".
    expect(res(env, 'role-app-task-policy').metadata.annotations!['crossplane.io/external-name']).toBe(`${env}-app-task`);
    expect(res(env, 'audit-bucket').metadata.annotations!['crossplane.io/external-name']).toBe(`payments-${env}-audit-us-east-1-${ACCOUNT}`);
  });
  test('IAM policies: no * actions, every resource scoped to the environment', () => {
    const policies = managed(env).filter(([, o]) => o.kind === 'RolePolicy');
    expect(policies.length).toBeGreaterThan(0);
    for (const [name, o] of policies) {
      const doc = JSON.parse(o.spec.forProvider.policy);
      for (const s of doc.Statement) {
        const actions: string[] = [].concat(s.Action);
        expect(actions.filter((a) => a.includes('*'))).toEqual([]);
        for (const r of [].concat(s.Resource) as string[]) {
          const condition = JSON.stringify(s.Condition ?? {});
          const awsNamed = AWS_NAMED.some((a) => a.replace('%[1]s', 'us-east-1').replace('%[3]s', ACCOUNT) === r)
            && ([].concat(s.Resource) as string[]).some((x) => (x !== r && x.includes(env)) || condition.includes(`"aws:ResourceTag/Environment":"${env}"`));
          // One image repository per service, shared by the account's environments (a digest is built once and promoted).
          const sharedImages = s.Sid === 'PullImages' && r === `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/payments/*`;
          const scoped = r.includes(env) || sharedImages || (r === '*' && actions.every((a) => (UNSCOPED_ACTIONS as readonly string[]).includes(a)))
            || condition.includes(`payment-key-${env}`) || awsNamed;
          expect(`${name} ${s.Sid} ${r}: ${scoped}`).toBe(`${name} ${s.Sid} ${r}: true`);
        }
      }
    }
  });
  test('no public S3 access; TLS-only bucket policy', () => {
    expect(fp(env, 'audit-bucket-public-access-block')).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    const deny = JSON.parse(fp(env, 'audit-bucket-tls-only').policy).Statement[0];
    expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(deny.Resource[0]).toBe(`arn:aws:s3:::payments-${env}-audit-us-east-1-${ACCOUNT}`);
  });
  test('HTTPS only: HTTPS listener with a TLS 1.2+ policy, HTTP only redirects, API TLS 1.2', () => {
    const listeners = managed(env).filter(([, o]) => o.kind === 'LBListener').map(([, o]) => o.spec.forProvider);
    expect(listeners.find((l) => l.port === 443)).toMatchObject({ protocol: 'HTTPS', sslPolicy: expect.stringMatching(/TLS13|TLS-1-2/) });
    expect(listeners.find((l) => l.port === 80).defaultAction).toEqual([{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }]);
    expect(fp(env, 'api-domain').securityPolicy).toBe('TLS_1_2');
    const open = managed(env).filter(([, o]) => o.kind === 'SecurityGroupRule' && o.spec.forProvider.type === 'ingress' && o.spec.forProvider.cidrBlocks?.includes('0.0.0.0/0'));
    expect(open.map(([n]) => n).sort()).toEqual(['sg-alb-in-443-0-0-0-0-0', 'sg-alb-in-80-0-0-0-0-0']);
  });
  test('the ECS service runs the task definition revision and registers in the target group, by ARN', () => {
    // Selectors here never resolved on the real provider (e2e:aws): the ARNs come through the XR.
    const svc = fp(env, 'ecs-service');
    expect(svc.taskDefinitionSelector).toBeUndefined();
    expect(svc.taskDefinition).toBe(arnOf(env, 'ecs-task-blue'));
    expect(svc.loadBalancer).toEqual([{ containerName: 'payment-api', containerPort: expect.any(Number), targetGroupArn: arnOf(env, 'alb-target-group') }]);
    // Likewise the HTTPS listener: the target group's external name is not persisted without LateInitialize.
    expect(fp(env, 'alb-listener-https').defaultAction).toEqual([{ type: 'forward', targetGroupArn: arnOf(env, 'alb-target-group') }]);
  });
  test('every managed resource uses the environment namespace ProviderConfig (the peering accepter the admin account\'s)', () => {
    for (const [name, o] of managed(env)) {
      expect(o.spec.providerConfigRef).toEqual({ kind: 'ProviderConfig', name: name === 'peering-admin-accepter' ? ADMIN_PROVIDER_CONFIG_NAME : 'aws' });
      // The requester names the admin VPC's owner; AWS auto-accepts only within one account and region.
      // The admin VPC in the environment's own account (SETTINGS.adminAccountId unset): the requester accepts.
      if (name === 'peering-admin') expect(o.spec.forProvider).toMatchObject({ peerOwnerId: ACCOUNT, autoAccept: true });
      expect(o.metadata.namespace).toBe(`payments-${env}`);
    }
  });
});

// AWS refuses these creates until what they need exists, and a provider whose async create failed
// can wedge on external-create-pending (crossplane/upjet#561). Found by npm run e2e:aws (2026-12-07):
// staging's deployment ("The REST API doesn't contain any methods") and prod's Vault Lock ("Backup
// vault ... not found") stayed Synced False. https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDeployment.html,
// https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
test('the API deployment waits for the integration, the Vault Lock for the vault (held back on the first pass)', async () => {
  const first = [...(await renderEnvironment('prod', { servers })).resources.keys()];
  expect(first).toEqual(expect.arrayContaining(['api-integration-proxy', 'backup-vault']));
  expect(first.filter((n) => n.startsWith('api-deployment-') || n === 'backup-vault-lock')).toEqual([]);
  // Once they exist they stay, even while what they waited for reports no status (a restarted
  // provider, a rebuilt control plane): dropping them would delete them in AWS.
  const dir = tempDir();
  const observed = observe(rendered.get('prod')!, 'prod').map((o) =>
    ['backup-vault', 'api-integration-proxy'].includes(o.metadata.annotations?.['crossplane.io/composition-resource-name']) ? { ...o, status: undefined } : o);
  writeFileSync(join(dir, 'observed.yaml'), observed.map((o) => stringify(o)).join('---\n'));
  const xrFile = join(tempDir(), 'xr.yaml'); // not in the observed directory: every file there is observed
  writeFileSync(xrFile, stringify({ ...claims.get('prod'), status: rendered.get('prod')!.xr.status }));
  const kept = [...(await renderEnvironment('prod', { servers, xrFile, observed: dir })).resources.keys()];
  expect(kept.filter((n) => n.startsWith('api-deployment-') || n === 'backup-vault-lock')).toHaveLength(2);
});

describe('admin peering across accounts', () => {
  // SETTINGS.adminAccountId set to another account: synth says so on the claim, and the accepter
  // side (its own ProviderConfig and role there) accepts; in one account the requester does alone.
  test('another account: the accepter is composed and accepts; the requester does not auto-accept', async () => {
    const claim = parse(readFileSync(claimFile('prod'), 'utf8'));
    claim.metadata.annotations['paymentenv.io/admin-account-id'] = '444455556666';
    claim.metadata.annotations['paymentenv.io/admin-peering-accepted-by'] = 'accepter';
    const file = join(tempDir('payenv-peering-'), 'prod.yaml');
    writeFileSync(file, stringify(claim));
    const r = await renderEnvironment('prod', { xrFile: file, servers });
    expect(r.resources.get('peering-admin')!.spec.forProvider).toMatchObject({ peerOwnerId: '444455556666', autoAccept: false });
    expect(r.resources.get('peering-admin-accepter')!.spec).toMatchObject({ forProvider: { autoAccept: true }, providerConfigRef: { name: ADMIN_PROVIDER_CONFIG_NAME } });
  }, 120_000);
  test('one account: no accepter (it and the requester would be one AWS object, re-tagged by each)', () => {
    expect(rendered.get('prod')!.resources.has('peering-admin-accepter')).toBe(false);
    expect(parse(readFileSync(claimFile('prod'), 'utf8')).metadata.annotations['paymentenv.io/admin-peering-accepted-by']).toBe('requester');
  });
});

describe('parity: dev, staging and prod differ only where the tier policy says', () => {
  // The resources DESIGN.md's table adds per tier (beyond the ones every tier has).
  const TIER_ONLY: Record<string, (name: string) => boolean> = {
    'NAT per AZ (prod)': (n) => /^(eip-)?nat-[bc]$/.test(n),
    'third Aurora instance (prod)': (n) => n === 'db-instance-3',
    'DynamoDB autoscaling (prod)': (n) => /^table-\w+-(read|write)-(target|policy)$/.test(n),
    'WAF (prod)': (n) => /^waf/.test(n),
    'S3 replication to drRegion (prod)': (n) => /replica|replication|kms-(key|alias)-dr|usage-.*replica/.test(n),
    'alarms and their topic (staging, prod)': (n) => /^(alarm-|db-events-)/.test(n),
    'optional adminPeering (set in prod.yaml)': (n) => /admin/.test(n),
    'Object Lock on the audit bucket (prod: data is never deleted)': (n) => n === 'audit-bucket-object-lock',
    'AWS Backup plan into a locked vault (prod)': (n) => /^(backup-|role-backup)/.test(n),
  };
  const names = (env: string) => new Set(rendered.get(env)!.resources.keys());
  const explain = (n: string) => Object.entries(TIER_ONLY).find(([, f]) => f(n))?.[0] ?? 'UNEXPLAINED';

  test.each([['dev', 'staging'], ['staging', 'prod'], ['dev', 'prod']])('%s vs %s', (a, b) => {
    const [A, B] = [names(a), names(b)];
    const diff = [...[...A].filter((n) => !B.has(n)), ...[...B].filter((n) => !A.has(n))].sort();
    const reasons = [...new Set(diff.map(explain))].sort();
    expect(reasons).not.toContain('UNEXPLAINED');
    const expected: Record<string, string[]> = {
      'dev-staging': ['alarms and their topic (staging, prod)'],
      'staging-prod': ['AWS Backup plan into a locked vault (prod)', 'DynamoDB autoscaling (prod)', 'NAT per AZ (prod)', 'Object Lock on the audit bucket (prod: data is never deleted)', 'S3 replication to drRegion (prod)', 'WAF (prod)', 'optional adminPeering (set in prod.yaml)', 'third Aurora instance (prod)'],
      'dev-prod': ['AWS Backup plan into a locked vault (prod)', 'DynamoDB autoscaling (prod)', 'NAT per AZ (prod)', 'Object Lock on the audit bucket (prod: data is never deleted)', 'S3 replication to drRegion (prod)', 'WAF (prod)', 'alarms and their topic (staging, prod)', 'optional adminPeering (set in prod.yaml)', 'third Aurora instance (prod)'],
    };
    expect(reasons).toEqual(expected[`${a}-${b}`]);
  });
});

describe('readiness', () => {
  test.each(ENVS)('%s: all composed resources Ready -> the XR is Ready and carries its outputs', (env) => {
    const xr = rendered.get(env)!.xr;
    expect(xr.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(xr.status.database).toEqual({ endpoint: `payment-db-${env}.cluster-abc.us-east-1.rds.amazonaws.com`, secretArn: expect.stringContaining('secretsmanager') });
    expect(xr.status.api.url).toBe(`https://api-${env}.payments.example.com`);
    expect(xr.status.network.privateSubnetIds).toHaveLength(3);
    expect(xr.status.queues.url).toBe(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/payment-queue-${env}`);
    expect(xr.status.configHash).toBe(claims.get(env).metadata.annotations['paymentenv.io/config-hash']);
  });

  test('one composed resource not Ready -> the XR is not Ready', async () => {
    const { rendered: r } = await converge('dev', claimFile('dev'), servers, { notReady: ['db-cluster'] });
    const ready = r.xr.status.conditions.find((c: any) => c.type === 'Ready');
    expect(ready.status).toBe('False');
    expect(ready.message ?? ready.reason).toMatch(/db-cluster|Creating/);
  });

  test('one composed resource Ready but not Synced (its provider cannot reconcile it) -> the XR is not Ready', async () => {
    const { rendered: r } = await converge('dev', claimFile('dev'), servers, { notSynced: ['vpc'] });
    const ready = r.xr.status.conditions.find((c: any) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False' });
    expect(ready.message).toMatch(/\bvpc\b/);
  });
});

describe('crossplane resource validate', () => {
  test('every rendered composed resource of every environment is valid against the provider CRDs', async () => {
    const dir = tempDir();
    const files = ENVS.map((env) => {
      const f = join(dir, `${env}.yaml`);
      writeComposed(rendered.get(env)!, f);
      return f;
    });
    const r = await validateResources(files);
    expect(r.output).toMatch(/0 missing schemas, \d+ success cases, 0 failure cases/);
    expect(r.ok).toBe(true);
  });

  test('a composed resource with an unknown field is rejected', async () => {
    const dir = tempDir();
    const vpc = structuredClone(res('dev', 'vpc'));
    vpc.spec.forProvider.cidrBlok = '10.1.0.0/16';
    writeFileSync(join(dir, 'vpc.yaml'), stringify(vpc));
    const r = await validateResources([join(dir, 'vpc.yaml')]);
    expect(r.ok).toBe(false);
    expect(r.output).toContain('spec.forProvider.cidrBlok: Invalid value: "cidrBlok": unknown field: "cidrBlok"');
  });

  test('a claim breaking a CEL rule is rejected', async () => {
    const dir = tempDir();
    const bad = structuredClone(claims.get('prod'));
    delete bad.spec.drRegion;
    writeFileSync(join(dir, 'prod.yaml'), stringify(bad));
    const r = await validateResources([join(dir, 'prod.yaml')]);
    expect(r.ok).toBe(false);
    expect(r.output).toContain('CEL validation error platform.paymentenv.io/v1alpha1, Kind=PaymentEnvironment, prod : spec.drRegion: Invalid value: drRegion: required when tier is prod');
  });
});
