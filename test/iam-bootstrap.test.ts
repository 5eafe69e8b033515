// The IAM bootstrap (dist/bootstrap/iam-*.yaml) as AWS would evaluate it: cfn-lint on the
// templates, then an IAM policy engine (@cloud-copilot/iam-simulate) on the deployer policy
// with the stack's parameters filled in: the deployer of one environment creates and
// changes that environment's resources and nothing of another's; workload roles need the
// boundary, and the boundary holds everything the Composition's roles do.
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { parse } from 'yaml';
import { BOUNDARY_NAME, unscopedGroups } from '../src/bootstrap/iam';
import { keyPolicy } from '../src/composition/security';
import { peeringAccepterRoleArn, SETTINGS } from '../src/platform';
import { ROOT_DIR } from '../src/versions';
import { convergedTiers } from './observe';
import { unknownActions } from './iam';

const ACCOUNT = SETTINGS.awsAccountId;
const BOOTSTRAP = join(ROOT_DIR, 'dist', 'bootstrap');
const template = (f: string) => parse(readFileSync(join(BOOTSTRAP, f), 'utf8'));
const CFN_LINT = join(ROOT_DIR, '.tools', 'cfn-lint', 'bin', 'cfn-lint');

/** A CloudFormation value with the stack's parameters filled in, as the stack would hold it. */
function filled(v: any, params: Record<string, string>): any {
  const fill = (s: string) => s.replace(/\$\{([\w:]+)\}/g, (m, k) => params[k] ?? m);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => filled(x, params));
  if (v && typeof v === 'object') {
    if ('Fn::Sub' in v) return fill(v['Fn::Sub']);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, filled(x, params)]));
  }
  return v;
}
const params = (env: string) => ({ 'Environment': env, 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws', 'ManagementAccountId': ACCOUNT });
/** The deployer's managed policies (DeployerPolicy1..n), as one document for the simulator. */
const deployerDocs = () => Object.entries(template('iam-environment.yaml').Resources as Record<string, any>)
  .filter(([k]) => /^DeployerPolicy\d+$/.test(k)).map(([, r]) => r.Properties.PolicyDocument);
const deployer = (env: string) => ({ Version: '2012-10-17', Statement: deployerDocs().flatMap((d) => filled(d, params(env)).Statement) });
const ADMIN_VPC = 'vpc-0a1b2c3d4e5f60718';
const accepter = (env: string) => filled(template('iam-peering-accepter.yaml').Resources.AccepterRole.Properties.Policies[0].PolicyDocument, { ...params(env), AdminVpcId: ADMIN_VPC });
const boundary = (env: string) => filled(template('iam-environment.yaml').Resources.WorkloadBoundary.Properties.PolicyDocument, params(env));

/** KMS needs its key policy to let IAM decide: the environment keys' policy does (keyPolicy's account statement). */
const keyPolicyOf = () => JSON.parse(keyPolicy([]).replaceAll('%[3]s', ACCOUNT));

async function decide(env: string, action: string, resource: string, context: Record<string, string | string[]> = {}) {
  const sim = await runSimulation({
    request: { principal: `arn:aws:iam::${ACCOUNT}:role/${SETTINGS.environmentRoleName(env)}`, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    identityPolicies: [{ name: 'deployer', policy: deployer(env) }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: action.startsWith('kms:') ? keyPolicyOf() : undefined,
  }, {});
  if (sim.resultType === 'error') throw new Error(`${action} on ${resource}: ${JSON.stringify(sim.errors)}`);
  return sim.overallResult;
}

/**
 * What a deployer does to its environment (allowed) and, with the other environment's
 * name or tag, must not do to another's. %s is the environment.
 */
const OPERATIONS: { action: string; resource: string; context?: (env: string) => Record<string, string | string[]> }[] = [
  { action: 'ec2:CreateVpc', resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/*`, context: (e) => ({ 'aws:RequestTag/Environment': e, 'aws:TagKeys': ['Environment'] }) },
  { action: 'ec2:DeleteSubnet', resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-0abc`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'ec2:RevokeSecurityGroupIngress', resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-0abc`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'kms:ScheduleKeyDeletion', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'kms:PutKeyPolicy', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'rds:DeleteDBCluster', resource: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:payment-db-%s` },
  { action: 'rds:ModifyDBCluster', resource: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:payment-db-%s` },
  { action: 'dynamodb:DeleteTable', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payment-transactions-%s` },
  { action: 'dynamodb:UpdateContinuousBackups', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payment-transactions-%s` },
  { action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::payments-%s-audit-us-east-1-${ACCOUNT}` },
  { action: 's3:PutReplicationConfiguration', resource: `arn:aws:s3:::payments-%s-audit-us-east-1-${ACCOUNT}` },
  { action: 'sqs:SetQueueAttributes', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:payment-queue-%s` },
  { action: 'sns:SetTopicAttributes', resource: `arn:aws:sns:us-east-1:${ACCOUNT}:payment-alarms-%s` },
  { action: 'lambda:UpdateFunctionCode', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:payment-processor-%s`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'ecs:UpdateService', resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/payment-cluster-%s/payment-api-%s`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'elasticloadbalancing:ModifyListener', resource: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener/app/payment-alb-%s/50dc6c495c0c9188/f2f7dc8efc522ab2`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'logs:PutRetentionPolicy', resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/payments/%s/api` },
  { action: 'cloudwatch:PutMetricAlarm', resource: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:payment-api-5xx-%s` },
  { action: 'ssm:PutParameter', resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/payments/%s/api-url` },
  { action: 'backup:CreateBackupVault', resource: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:payment-backup-%s`, context: (e) => ({ 'aws:RequestTag/Environment': e, 'aws:TagKeys': ['Environment'] }) },
  { action: 'backup:PutBackupVaultLockConfiguration', resource: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:payment-backup-%s`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'backup:CreateBackupSelection', resource: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-plan:8f3a0c2e-1b2d-4e5f-9a6b-7c8d9e0f1a2b`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'events:PutRule', resource: `arn:aws:events:us-east-1:${ACCOUNT}:rule/payment-drift-%s` },
  { action: 'events:PutTargets', resource: `arn:aws:events:us-east-1:${ACCOUNT}:rule/payment-drift-%s` },
  { action: 'kms:CreateGrant', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd`, context: (e) => ({ 'aws:ResourceTag/Environment': e }) },
  { action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/%s-app-task`, context: (e) => ({ 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/${BOUNDARY_NAME(e)}` }) },
  { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/%s-lambda`, context: (e) => ({ 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/${BOUNDARY_NAME(e)}` }) },
  // Found by the real-account audit (src/audit/operations.ts): each was denied on AWS before.
  // KMS authorizes an alias operation on the alias as well, which has no tag keys (alias-access.html).
  { action: 'kms:CreateAlias', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/payment-key-%s` },
  { action: 'kms:DeleteAlias', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/payment-key-%s` },
  // iam:PermissionsBoundary is no key of TagRole: the ConfigHash tag of a workload role is changed by name.
  { action: 'iam:TagRole', resource: `arn:aws:iam::${ACCOUNT}:role/%s-app-task` },
];

const ENVS = ['dev', 'prod'];
const other = (env: string) => (env === 'dev' ? 'prod' : 'dev');

test('every AWS service the Composition composes has a deployer scope', () => {
  expect(unscopedGroups()).toEqual([]);
});

test('the templates pass cfn-lint', () => {
  expect(existsSync(CFN_LINT)).toBe(true); // scripts/install-tools.sh cfn-lint (npm test installs it)
  const files = ['iam-management.yaml', 'iam-environment.yaml', 'iam-peering-accepter.yaml', 'aws-account.yaml'].map((f) => join(BOOTSTRAP, f));
  const r = spawnSync(CFN_LINT, files, { encoding: 'utf8' });
  expect(`${r.stdout}${r.stderr}`).toBe('');
  expect(r.status).toBe(0);
});

test('every action the policies name exists in AWS', async () => {
  expect(await unknownActions(deployer('dev'))).toEqual([]);
  expect(await unknownActions(boundary('dev'))).toEqual([]);
  expect(await unknownActions(accepter('prod'))).toEqual([]);
});

describe('the peering accepter (admin VPC account)', () => {
  const peering = `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-peering-connection/pcx-0abc`;
  const adminVpc = `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${ADMIN_VPC}`;
  const accept = async (resource: string, accepterVpc: string, action = 'ec2:AcceptVpcPeeringConnection', context: Record<string, string> = {}) => (await runSimulation({
    request: { principal: peeringAccepterRoleArn({ name: 'prod' }), action, resource: { resource, accountId: ACCOUNT }, contextVariables: { 'ec2:AccepterVpc': accepterVpc, ...context } },
    identityPolicies: [{ name: 'accepter', policy: accepter('prod') }], serviceControlPolicies: [], resourceControlPolicies: [],
  }, {}) as any).overallResult;
  test('accepts and tags a peering into the admin VPC', async () => {
    expect(await accept(peering, adminVpc)).toBe('Allowed');
    expect(await accept(adminVpc, adminVpc)).toBe('Allowed');
    expect(await accept(peering, adminVpc, 'ec2:CreateTags', { 'aws:RequestTag/Environment': 'prod' })).toBe('Allowed');
  });
  test('accepts nothing into another VPC, tags nothing as another environment, deletes nothing', async () => {
    const other = `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-0ffffffffffffffff`;
    expect(await accept(peering, other)).not.toBe('Allowed');
    expect(await accept(other, other)).not.toBe('Allowed');
    expect(await accept(peering, adminVpc, 'ec2:CreateTags', { 'aws:RequestTag/Environment': 'dev' })).not.toBe('Allowed');
    expect(await accept(peering, adminVpc, 'ec2:DeleteVpcPeeringConnection')).not.toBe('Allowed');
  });
  test('the provider role may assume it; nobody else', () => {
    const policy = template('iam-management.yaml').Resources.ProviderRole.Properties.Policies[0].PolicyDocument;
    expect(policy.Statement[0].Resource).toContain(peeringAccepterRoleArn({ name: 'prod' }));
    const trust = filled(template('iam-peering-accepter.yaml').Resources.AccepterRole.Properties.AssumeRolePolicyDocument, params('prod'));
    expect(trust.Statement).toEqual([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${SETTINGS.providerRoleName}` }, Action: 'sts:AssumeRole' }]);
  });
});

describe.each(ENVS)('the %s deployer', (env) => {
  test.each(OPERATIONS.map((o) => [o.action, o]))('%s: on its own environment, yes; on another\'s, no', async (_a, o) => {
    expect(await decide(env, o.action, o.resource.replaceAll('%s', env), o.context?.(env))).toBe('Allowed');
    expect(await decide(env, o.action, o.resource.replaceAll('%s', other(env)), o.context?.(other(env)))).not.toBe('Allowed');
  });

  test('creates a workload role only with the boundary, and never changes itself', async () => {
    expect(await decide(env, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/${env}-extra`)).not.toBe('Allowed');
    const own = `arn:aws:iam::${ACCOUNT}:role/${SETTINGS.environmentRoleName(env)}`;
    for (const action of ['iam:PutRolePolicy', 'iam:DeleteRole', 'iam:AttachRolePolicy', 'iam:PutRolePermissionsBoundary']) {
      expect(await decide(env, action, own, { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/${BOUNDARY_NAME(env)}` })).not.toBe('Allowed');
    }
    expect(await decide(env, 'iam:DeleteRolePermissionsBoundary', `arn:aws:iam::${ACCOUNT}:role/${env}-lambda`)).not.toBe('Allowed');
  });

  test('never lifts the lock of a backup vault (break-glass only)', async () => {
    const vault = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:payment-backup-${env}`;
    expect(await decide(env, 'backup:DeleteBackupVaultLockConfiguration', vault, { 'aws:ResourceTag/Environment': env })).not.toBe('Allowed');
  });

  test('passes workload roles only to the services that run as them', async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/${env}-app-task`;
    expect(await decide(env, 'iam:PassRole', role, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' })).toBe('Allowed');
    expect(await decide(env, 'iam:PassRole', role, { 'iam:PassedToService': 'ec2.amazonaws.com' })).not.toBe('Allowed');
  });

  test('never takes over another environment\'s resource by its tag, nor drops the tag', async () => {
    const vpc = `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-0abc`;
    expect(await decide(env, 'ec2:CreateTags', vpc, { 'aws:ResourceTag/Environment': other(env), 'aws:RequestTag/Environment': env, 'aws:TagKeys': ['Environment'] })).not.toBe('Allowed');
    expect(await decide(env, 'ec2:DeleteTags', vpc, { 'aws:ResourceTag/Environment': env, 'aws:TagKeys': ['Environment'] })).not.toBe('Allowed');
    expect(await decide(env, 'ec2:CreateTags', vpc, { 'aws:ResourceTag/Environment': env, 'aws:RequestTag/CostCenter': 'CC-1', 'aws:TagKeys': ['CostCenter'] })).toBe('Allowed');
  });

  test('reads no data: audit objects, table items and parameters of its own environment stay closed', async () => {
    expect(await decide(env, 's3:GetObject', `arn:aws:s3:::payments-${env}-audit-us-east-1-${ACCOUNT}/audit/x.json`)).not.toBe('Allowed');
    expect(await decide(env, 'dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payment-transactions-${env}`)).not.toBe('Allowed');
    expect(await decide(env, 'sqs:ReceiveMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:payment-queue-${env}`)).not.toBe('Allowed');
  });
});

describe('trust', () => {
  const deployerTrust = filled(template('iam-environment.yaml').Resources.DeployerRole.Properties.AssumeRolePolicyDocument, params('dev'));
  const assume = async (principal: string) => (await runSimulation({
    request: { principal, action: 'sts:AssumeRole', resource: { resource: `arn:aws:iam::${ACCOUNT}:role/${SETTINGS.environmentRoleName('dev')}`, accountId: ACCOUNT }, contextVariables: {} },
    identityPolicies: [{ name: 'any', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }],
    serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: deployerTrust,
  }, {}) as any).overallResult;
  test('only the provider role assumes a deployer role', async () => {
    expect(await assume(`arn:aws:iam::${ACCOUNT}:role/${SETTINGS.providerRoleName}`)).toBe('Allowed');
    expect(await assume(`arn:aws:iam::${ACCOUNT}:role/someone-else`)).not.toBe('Allowed');
  });
  test('the provider role may assume exactly the environments\' deployer roles', () => {
    const policy = template('iam-management.yaml').Resources.ProviderRole.Properties.Policies[0].PolicyDocument;
    expect(policy.Statement[0].Resource).toEqual([
      ...['dev', 'prod', 'staging'].map((e) => `arn:aws:iam::${ACCOUNT}:role/${SETTINGS.environmentRoleName(e)}`),
      peeringAccepterRoleArn({ name: 'prod' }), // the only environment that peers
    ]);
  });
});

describe('the drift listener', () => {
  const listenerPolicy = (env: string) => filled(template('iam-environment.yaml').Resources.ListenerRole.Properties.Policies[0].PolicyDocument, params(env));
  const queue = (env: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:payment-drift-${env}`;
  const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd`;
  const run = async (action: string, resource: string, context: Record<string, string | string[]> = {}) => (await runSimulation({
    request: { principal: `arn:aws:iam::${ACCOUNT}:role/${SETTINGS.environmentListenerRoleName('dev')}`, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    identityPolicies: [{ name: 'listener', policy: listenerPolicy('dev') }], serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy: action.startsWith('kms:') ? keyPolicyOf() : undefined,
  }, {}) as any).overallResult;
  test('reads and deletes its environment\'s drift events, decrypting through SQS only', async () => {
    for (const a of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes']) expect(await run(a, queue('dev'))).toBe('Allowed');
    expect(await run('kms:Decrypt', key, { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com', 'kms:ResourceAliases': ['alias/payment-key-dev'] })).toBe('Allowed');
  });
  test('sends nothing, purges nothing, reads no other queue, decrypts nothing directly or with another key', async () => {
    for (const a of ['sqs:SendMessage', 'sqs:PurgeQueue', 'sqs:DeleteQueue', 'sqs:SetQueueAttributes']) expect(await run(a, queue('dev'))).not.toBe('Allowed');
    expect(await run('sqs:ReceiveMessage', queue('prod'))).not.toBe('Allowed');
    expect(await run('sqs:ReceiveMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:payment-queue-dev`)).not.toBe('Allowed');
    expect(await run('kms:Decrypt', key, { 'kms:ResourceAliases': ['alias/payment-key-dev'] })).not.toBe('Allowed');
    expect(await run('kms:Decrypt', key, { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com', 'kms:ResourceAliases': ['alias/payment-key-prod'] })).not.toBe('Allowed');
  });
  test('only the listener\'s pod role assumes it, and it may assume exactly the environments\' listener roles', () => {
    const trust = filled(template('iam-environment.yaml').Resources.ListenerRole.Properties.AssumeRolePolicyDocument, params('dev'));
    expect(trust.Statement).toEqual([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${SETTINGS.listenerRoleName}` }, Action: 'sts:AssumeRole' }]);
    const policy = template('iam-management.yaml').Resources.ListenerRole.Properties.Policies[0].PolicyDocument;
    expect(policy.Statement[0].Resource).toEqual(['dev', 'prod', 'staging'].map((e) => `arn:aws:iam::${ACCOUNT}:role/${SETTINGS.environmentListenerRoleName(e)}`));
  });
  test('the account trail logs management events everywhere, to a bucket only CloudTrail writes', () => {
    const t = template('aws-account.yaml').Resources;
    expect(t.Trail.Properties).toMatchObject({ IsLogging: true, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true });
    const policy = filled(t.TrailBucketPolicy.Properties.PolicyDocument, { ...params('dev'), 'AWS::Region': 'us-east-1' });
    expect(policy.Statement.map((x: any) => x.Principal)).toEqual([{ Service: 'cloudtrail.amazonaws.com' }, { Service: 'cloudtrail.amazonaws.com' }]);
    expect(t.TrailBucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  });
});

// Service Authorization Reference: these take no resource and no condition key, so a tag-scoped grant
// never matches them (retiring a task definition revision, attaching prod's web ACL).
test.each(['ecs:DeregisterTaskDefinition', 'elasticloadbalancing:SetWebAcl'])('the deployer may %s (no resource-level permissions exist for it)', async (action) => {
  expect(await decide('dev', action, '*')).toBe('Allowed');
});

// The certificate's validation record: only in the zones SETTINGS.dnsZones names.
test('the deployer changes records only in the configured hosted zones', async () => {
  for (const id of Object.values(SETTINGS.dnsZones)) expect(await decide('dev', 'route53:ChangeResourceRecordSets', `arn:aws:route53:::hostedzone/${id}`)).toBe('Allowed');
  expect(await decide('dev', 'route53:ChangeResourceRecordSets', 'arn:aws:route53:::hostedzone/ZSOMEONEELSE')).not.toBe('Allowed');
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html: a managed policy is at
// most 6,144 characters without whitespace, a role takes at most 10 of them.
test('the deployer\'s managed policies each fit IAM\'s size quota (with the longest environment name), at most 10', () => {
  const docs = deployerDocs();
  expect(docs.length).toBeGreaterThan(1);
  expect(docs.length).toBeLessThanOrEqual(10);
  // As IAM stores it: substituted, the longest environment name (16 characters).
  for (const d of docs) expect(JSON.stringify(filled(d, params('x'.repeat(16)))).length).toBeLessThanOrEqual(6144);
  expect(template('iam-environment.yaml').Resources.DeployerRole.Properties.ManagedPolicyArns).toEqual(docs.map((_, i) => ({ Ref: `DeployerPolicy${i + 1}` })));
});

// Environments sharing an account must not create account-wide things twice: the trail (one
// name, one bucket per account) and API Gateway's account setting live in aws-account.yaml.
test('the environment template creates nothing account-wide; the account template holds the trail and API Gateway\'s CloudWatch role', () => {
  const env = template('iam-environment.yaml');
  expect([...new Set(Object.values(env.Resources).map((r: any) => r.Type))].sort()).toEqual(['AWS::IAM::ManagedPolicy', 'AWS::IAM::Role']);
  const account = template('aws-account.yaml').Resources;
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html: a stage logs only once the
  // account's API Gateway setting names a role apigateway.amazonaws.com assumes, with the push-to-CloudWatch policy.
  expect(account.ApiGatewayAccount).toEqual({ Type: 'AWS::ApiGateway::Account', Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': ['ApiGatewayCloudWatchRole', 'Arn'] } } });
  expect(account.ApiGatewayCloudWatchRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  expect(account.ApiGatewayCloudWatchRole.Properties.ManagedPolicyArns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs' }]);
  // IAM names are account-wide and the setting is per region: one role name per region.
  expect(account.ApiGatewayCloudWatchRole.Properties.RoleName).toEqual({ 'Fn::Sub': 'paymentenv-apigateway-logs-${AWS::Region}' });
  expect(account.Trail.Condition).toBe('CreateTrail');
});

describe('the boundary holds what the workload roles do', () => {
  const rendered = convergedTiers(['dev', 'staging', 'prod']);
  test.each(['dev', 'staging', 'prod'])('%s: every action of every role policy is within the boundary, and every role carries it', async (env) => {
    const r = rendered.get(env)!;
    for (const [, o] of r.resources) {
      if (o.kind === 'Role') expect(o.spec.forProvider.permissionsBoundary).toBe(`arn:aws:iam::${ACCOUNT}:policy/${BOUNDARY_NAME(env)}`);
      if (o.kind !== 'RolePolicy') continue;
      for (const s of JSON.parse(o.spec.forProvider.policy).Statement) {
        for (const action of [].concat(s.Action)) {
          const sim: any = await runSimulation({
            request: { principal: `arn:aws:iam::${ACCOUNT}:role/${env}-x`, action, resource: { resource: [].concat(s.Resource)[0], accountId: ACCOUNT }, contextVariables: {} },
            identityPolicies: [{ name: 'all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
            permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary(env) }],
            serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: action.startsWith('kms:') ? keyPolicyOf() : undefined,
          }, {});
          expect([action, sim.overallResult]).toEqual([action, 'Allowed']);
        }
      }
    }
  }, 120_000);
});
