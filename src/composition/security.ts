// Security: the environment's KMS key (rotation on) and alias, IAM roles
// `<env>-<service>` with least-privilege inline policies scoped to the
// environment's own ARNs, and the SSM parameters under /payments/<env>/.
import * as iam from '../../imports/iam.aws.m.upbound.io';
import * as kms from '../../imports/kms.aws.m.upbound.io';
import * as ssm from '../../imports/ssm.aws.m.upbound.io';
import { tiersWhere } from '../policy';
import { combine, ComposedResource, envName, EXTERNAL_NAME, fromXRRequired, PATCHED, sel, tierValue, toXR } from './resource';

/** ARNs of the environment's own resources, as format strings over (%[1]s region, %[2]s env). */
export const ARN = {
  account: '${aws:PrincipalAccount}',
  sessionsTable: 'arn:aws:dynamodb:%[1]s:${aws:PrincipalAccount}:table/payment-sessions-%[2]s',
  transactionsTable: 'arn:aws:dynamodb:%[1]s:${aws:PrincipalAccount}:table/payment-transactions-%[2]s',
  queue: 'arn:aws:sqs:%[1]s:${aws:PrincipalAccount}:payment-queue-%[2]s',
  bucket: 'arn:aws:s3:::payments-%[2]s-audit-%[1]s',
  parameters: 'arn:aws:ssm:%[1]s:${aws:PrincipalAccount}:parameter/payments/%[2]s/*',
  ecsLogGroup: 'arn:aws:logs:%[1]s:${aws:PrincipalAccount}:log-group:/payments/%[2]s/ecs:*',
  lambdaLogGroup: 'arn:aws:logs:%[1]s:${aws:PrincipalAccount}:log-group:/aws/lambda/payment-processor-%[2]s:*',
  /** KMS key ops are scoped by the key's alias (the key ARN is not known before it exists). */
  keys: 'arn:aws:kms:%[1]s:${aws:PrincipalAccount}:key/*',
} as const;

/** Only actions AWS offers without resource-level permissions may use Resource "*". */
export const UNSCOPED_ACTIONS = ['ecr:GetAuthorizationToken'] as const;

interface Statement { Sid: string; Action: string[]; Resource: string | string[]; Condition?: unknown }

const kmsUse = (actions: string[]): Statement => ({
  Sid: 'UseEnvironmentKey',
  Action: actions,
  Resource: ARN.keys,
  Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/payment-key-%[2]s' } },
});

/** Roles, who assumes them and what they may do. */
export const ROLES: Record<string, { service: string; statements: Statement[]; tiers?: ReturnType<typeof tiersWhere> }> = {
  'ecs-execution': {
    service: 'ecs-tasks.amazonaws.com',
    statements: [
      { Sid: 'PullImages', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], Resource: 'arn:aws:ecr:%[1]s:${aws:PrincipalAccount}:repository/payments/%[2]s/*' },
      { Sid: 'EcrToken', Action: [...UNSCOPED_ACTIONS], Resource: '*' },
      { Sid: 'WriteLogs', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: ARN.ecsLogGroup },
    ],
  },
  'app-task': {
    service: 'ecs-tasks.amazonaws.com',
    statements: [
      { Sid: 'Tables', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], Resource: [ARN.sessionsTable, ARN.transactionsTable] },
      { Sid: 'Enqueue', Action: ['sqs:SendMessage'], Resource: ARN.queue },
      { Sid: 'Audit', Action: ['s3:PutObject'], Resource: `${ARN.bucket}/*` },
      { Sid: 'Config', Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'], Resource: ARN.parameters },
      kmsUse(['kms:Decrypt', 'kms:GenerateDataKey']),
    ],
  },
  lambda: {
    service: 'lambda.amazonaws.com',
    statements: [
      { Sid: 'Consume', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], Resource: ARN.queue },
      { Sid: 'Transactions', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem'], Resource: ARN.transactionsTable },
      { Sid: 'WriteLogs', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: ARN.lambdaLogGroup },
      kmsUse(['kms:Decrypt', 'kms:GenerateDataKey']),
    ],
  },
  's3-replication': {
    service: 's3.amazonaws.com',
    tiers: tiersWhere((p) => p.replication),
    statements: [
      { Sid: 'ReadSource', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: ARN.bucket },
      { Sid: 'ReadVersions', Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'], Resource: `${ARN.bucket}/*` },
      { Sid: 'WriteReplica', Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], Resource: 'arn:aws:s3:::payments-%[2]s-audit-%[3]s/*' },
      kmsUse(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']),
    ],
  },
};

function policyDocument(statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) });
}

/** The policy, its ARNs filled from the XR; drRegion only where a statement names it. */
function policyPatch(statements: Statement[]) {
  const doc = policyDocument(statements);
  const vars = ['spec.region', 'metadata.name', ...(doc.includes('%[3]s') ? ['spec.drRegion'] : [])];
  return combine('spec.forProvider.policy', doc, ...vars);
}

function roles(): ComposedResource[] {
  return Object.entries(ROLES).flatMap(([name, role]) => [
    {
      name: `role-${name}`,
      area: 'security' as const,
      tiers: role.tiers,
      regional: false,
      base: iam.Role.manifest({
        spec: {
          forProvider: {
            assumeRolePolicy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { Service: role.service }, Action: 'sts:AssumeRole' }],
            }),
          },
        },
      }),
      patches: [
        envName(`metadata.annotations[${EXTERNAL_NAME}]`, `%s-${name}`),
        ...(name === 'app-task' ? [toXR('status.atProvider.arn', 'status.iam.appTaskRoleArn')] : []),
      ],
    },
    {
      name: `role-${name}-policy`,
      area: 'security' as const,
      tiers: role.tiers,
      regional: false,
      tagged: false,
      base: iam.RolePolicy.manifest({ spec: { forProvider: { roleSelector: sel(`role-${name}`) } } }),
      patches: [
        // The policy name alone: the provider's ID is "<role>:<external name>" (found by the real
        // provider against the emulator: "<role>:<policy>" here made it refuse every update).
        envName(`metadata.annotations[${EXTERNAL_NAME}]`, `%s-${name}`),
        policyPatch(role.statements),
      ],
    },
  ]);
}

/** SSM parameters: where the application finds its environment's endpoints. */
export const PARAMETERS: Record<string, string> = {
  'db/endpoint': 'status.database.endpoint',
  'db/secret-arn': 'status.database.secretArn',
  'queue/url': 'status.queues.url',
  'audit/bucket': 'status.auditBucket',
  'api/url': 'status.api.url',
  'kms/key-arn': 'status.kmsKeyArn',
};

function parameters(): ComposedResource[] {
  return Object.entries(PARAMETERS).map(([path, from]) => ({
    name: `param-${path.replace('/', '-')}`,
    area: 'security' as const,
    base: ssm.Parameter.manifest({ spec: { forProvider: { region: PATCHED, type: 'String' } } }),
    patches: [
      envName(`metadata.annotations[${EXTERNAL_NAME}]`, `/payments/%s/${path}`),
      // Written once the output exists; until then the parameter waits (Required).
      fromXRRequired(from, 'spec.forProvider.insecureValue'),
    ],
  }));
}

export function security(): ComposedResource[] {
  return [
    {
      name: 'kms-key',
      area: 'security',
      base: kms.Key.manifest({ spec: { forProvider: { region: PATCHED, enableKeyRotation: true, description: 'payments environment key' } } }),
      patches: [
        tierValue('spec.forProvider.deletionWindowInDays', (p) => (p.dataDeletable ? 7 : 30)),
        toXR('status.atProvider.arn', 'status.kmsKeyArn'),
      ],
    },
    {
      name: 'kms-alias',
      area: 'security',
      tagged: false,
      base: kms.Alias.manifest({ spec: { forProvider: { region: PATCHED, targetKeyIdSelector: sel('kms-key') } } }),
      patches: [envName(`metadata.annotations[${EXTERNAL_NAME}]`, 'alias/payment-key-%s')],
    },
    ...roles(),
    ...parameters(),
  ];
}
