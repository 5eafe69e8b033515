// Security: the environment's KMS key (rotation on) and alias, IAM roles
// `<env>-<service>` with least-privilege inline policies scoped to the
// environment's own ARNs, and the SSM parameters under /payments/<env>/.
import * as iam from '../../imports/iam.aws.m.upbound.io';
import * as kms from '../../imports/kms.aws.m.upbound.io';
import * as ssm from '../../imports/ssm.aws.m.upbound.io';
import { tiersWhere } from '../policy';
import { ACCOUNT, combine, ComposedResource, envName, EXTERNAL_NAME, externalName, format, fromXRRequired, PATCHED, sel, tierValue, toXR } from './resource';

/**
 * Bucket names over (%[1]s region, %[2]s env, %[3]s account, %[4]s drRegion). S3 names are
 * global across all AWS accounts: the account id makes them ours (payments-<env>-audit-<suffix>).
 */
export const BUCKET_NAME = 'payments-%[2]s-audit-%[1]s-%[3]s';
export const REPLICA_BUCKET_NAME = 'payments-%[2]s-audit-%[4]s-%[3]s';
/** Where S3 delivers an audit bucket's server access logs (same region and account), and their key prefix. */
export const ACCESS_LOG_BUCKET_NAME = 'payments-%[2]s-access-logs-%[1]s-%[3]s';
export const ACCESS_LOG_PREFIX = 'audit/';

/**
 * ARNs of the environment's own resources, as format strings over
 * (%[1]s region, %[2]s env, %[3]s account, %[4]s drRegion): see ARN_VARIABLES.
 */
export const ARN = {
  sessionsTable: 'arn:aws:dynamodb:%[1]s:%[3]s:table/payment-sessions-%[2]s',
  transactionsTable: 'arn:aws:dynamodb:%[1]s:%[3]s:table/payment-transactions-%[2]s',
  queue: 'arn:aws:sqs:%[1]s:%[3]s:payment-queue-%[2]s',
  bucket: `arn:aws:s3:::${BUCKET_NAME}`,
  replicaBucket: `arn:aws:s3:::${REPLICA_BUCKET_NAME}`,
  accessLogBucket: `arn:aws:s3:::${ACCESS_LOG_BUCKET_NAME}`,
  parameters: 'arn:aws:ssm:%[1]s:%[3]s:parameter/payments/%[2]s/*',
  ecsLogGroup: 'arn:aws:logs:%[1]s:%[3]s:log-group:/payments/%[2]s/ecs:*',
  lambdaLogGroup: 'arn:aws:logs:%[1]s:%[3]s:log-group:/aws/lambda/payment-processor-%[2]s:*',
  // One repository per service, shared by the environments of an account: a digest is built once and promoted.
  ecrRepositories: 'arn:aws:ecr:%[1]s:%[3]s:repository/payments/*',
  /** KMS key ops are scoped by the key's alias (the key ARN is not known before it exists). */
  keys: 'arn:aws:kms:%[1]s:%[3]s:key/*',
  drKeys: 'arn:aws:kms:%[4]s:%[3]s:key/*',
  alarmTopic: 'arn:aws:sns:%[1]s:%[3]s:payment-alarms-%[2]s',
  dbCluster: 'arn:aws:rds:%[1]s:%[3]s:cluster:payment-db-%[2]s',
  /** Snapshots AWS Backup takes of the cluster: AWS names them awsbackup:job-<id> (see AWS_NAMED). */
  dbBackupSnapshots: 'arn:aws:rds:%[1]s:%[3]s:cluster-snapshot:awsbackup:*',
  backupVault: 'arn:aws:backup:%[1]s:%[3]s:backup-vault:payment-backup-%[2]s',
} as const;

/**
 * Resources AWS names itself, so their ARN cannot name the environment: a statement may name
 * one only beside a resource of the environment (creating it from that) or under a condition
 * on the environment's tag (acting on it later).
 */
export const AWS_NAMED = [ARN.dbBackupSnapshots] as const;

/** The XR fields behind %[1]s..%[4]s of ARN. */
export const ARN_VARIABLES = ['spec.region', 'metadata.name', ACCOUNT, 'spec.drRegion'] as const;

/** Aliases of the environment key and of its DR replica key (in drRegion). */
export const KEY_ALIAS = 'alias/payment-key-%[2]s';
export const DR_KEY_ALIAS = 'alias/payment-key-%[2]s-dr';

/** What the API task does with the database's managed secret. */
export const DB_SECRET_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] as const;

/** The permissions boundary of every workload role (its policy comes with the IAM bootstrap). */
export const WORKLOAD_BOUNDARY = 'arn:aws:iam::%[3]s:policy/%[2]s-workload-boundary';

/**
 * Only these may use Resource "*": actions AWS offers without resource-level permissions, and the
 * network-interface actions Lambda takes with the function's role to attach it to the VPC (the
 * actions of AWSLambdaVPCAccessExecutionRole; Lambda developer guide, "Giving Lambda functions
 * access to resources in an Amazon VPC": the interfaces do not exist before Lambda creates them).
 */
export const LAMBDA_VPC_ACTIONS = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'] as const;
export const UNSCOPED_ACTIONS = ['ecr:GetAuthorizationToken', ...LAMBDA_VPC_ACTIONS] as const;

interface Statement { Sid: string; Action: string[]; Resource: string | string[]; Condition?: unknown }

const kmsUse = (actions: string[], sid = 'UseEnvironmentKey', keys: string = ARN.keys, alias = KEY_ALIAS): Statement => ({
  Sid: sid,
  Action: actions,
  Resource: keys,
  Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
});

/** Roles, who assumes them and what they may do. */
export const ROLES: Record<string, { service: string; statements: Statement[]; tiers?: ReturnType<typeof tiersWhere> }> = {
  'ecs-execution': {
    service: 'ecs-tasks.amazonaws.com',
    statements: [
      { Sid: 'PullImages', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], Resource: ARN.ecrRepositories },
      { Sid: 'EcrToken', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
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
      { Sid: 'VpcNetworkInterfaces', Action: [...LAMBDA_VPC_ACTIONS], Resource: '*' },
    ],
  },
  's3-replication': {
    service: 's3.amazonaws.com',
    tiers: tiersWhere((p) => p.replication),
    statements: [
      { Sid: 'ReadSource', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: ARN.bucket },
      // Retention and legal hold travel with locked objects (S3 User Guide, "Replicating objects with Object Lock").
      { Sid: 'ReadVersions', Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'], Resource: `${ARN.bucket}/*` },
      { Sid: 'WriteReplica', Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], Resource: `${ARN.replicaBucket}/*` },
      // Source objects are SSE-KMS with the environment key; replicas are written with the DR key.
      kmsUse(['kms:Decrypt'], 'DecryptSource'),
      kmsUse(['kms:Encrypt', 'kms:GenerateDataKey'], 'EncryptReplica', ARN.drKeys, DR_KEY_ALIAS),
    ],
  },
  /**
   * AWS Backup's role for the environment's plan: the DynamoDB, RDS, KMS and vault statements of
   * AWSBackupServiceRolePolicyForBackup (AWS managed policy reference), scoped to this
   * environment's stores, key and vault. Expired recovery points are deleted with this role too.
   */
  'backup': {
    service: 'backup.amazonaws.com',
    tiers: tiersWhere((p) => p.backupRetentionDays !== undefined),
    statements: [
      { Sid: 'BackUpTables', Action: ['dynamodb:DescribeTable', 'dynamodb:CreateBackup'], Resource: [ARN.sessionsTable, ARN.transactionsTable] },
      { Sid: 'TableBackups', Action: ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup'], Resource: [`${ARN.sessionsTable}/backup/*`, `${ARN.transactionsTable}/backup/*`] },
      { Sid: 'SnapshotCluster', Action: ['rds:DescribeDBClusters', 'rds:CreateDBClusterSnapshot', 'rds:AddTagsToResource', 'rds:ListTagsForResource'], Resource: [ARN.dbCluster, ARN.dbBackupSnapshots] },
      // AWS Backup copies the cluster's tags onto its snapshots ("Copying tags onto backups"): it expires only this environment's.
      { Sid: 'ExpireClusterSnapshots', Action: ['rds:DescribeDBClusterSnapshots', 'rds:DeleteDBClusterSnapshot'], Resource: ARN.dbBackupSnapshots, Condition: { StringEquals: { 'aws:ResourceTag/Environment': '%[2]s' } } },
      { Sid: 'Vault', Action: ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'], Resource: ARN.backupVault },
      kmsUse(['kms:DescribeKey', 'kms:Decrypt', 'kms:GenerateDataKey']),
      // Grants only for AWS services acting on the key's resources (the managed policy's condition).
      { ...kmsUse(['kms:CreateGrant'], 'GrantToAwsServices'), Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': KEY_ALIAS }, 'Bool': { 'kms:GrantIsForAWSResource': 'true' } } },
    ],
  },
};

function policyDocument(statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) });
}

/** A value (a policy document, an ARN) over ARN's variables into toFieldPath; drRegion only where it names it. */
export function arnPatch(toFieldPath: string, doc: string) {
  return combine(toFieldPath, doc, ...ARN_VARIABLES.slice(0, doc.includes('%[4]s') ? 4 : 3));
}

const policyPatch = (statements: Statement[]) => arnPatch('spec.forProvider.policy', policyDocument(statements));

/**
 * The key policy of the environment key. The account statement is AWS's default (IAM
 * policies decide for the account's principals); CloudWatch publishes alarms to the
 * SNS topic this key encrypts, which needs the key policy to let cloudwatch.amazonaws.com
 * use the key (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 * EventBridge sends drift events to the queue it encrypts likewise
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-troubleshooting.html#eb-sqs-encrypted).
 */
export function keyPolicy(services: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AccountUsesIamPolicies', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::%[3]s:root' }, Action: 'kms:*', Resource: '*' },
      ...(services.length ? [{
        Sid: 'ServicesWriteToEncryptedTopicsAndQueues', Effect: 'Allow', Principal: { Service: services },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': '%[3]s' } },
      }] : []),
    ],
  });
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
        // The ceiling dist/bootstrap/iam-environment.yaml creates; the deployer may create no role without it.
        arnPatch('spec.forProvider.permissionsBoundary', WORKLOAD_BOUNDARY),
        ...(name === 'app-task' ? [toXR('status.atProvider.arn', 'status.iam.appTaskRoleArn')] : []),
      ],
    },
    ...(name === 'app-task' ? [dbSecretPolicy()] : []),
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

/**
 * The task reads the DB's master secret, which RDS names itself (rds!cluster-<id>): the
 * policy is written once the secret ARN is in the XR's status, and names only that secret.
 */
function dbSecretPolicy(): ComposedResource {
  return {
    name: 'role-app-task-db-secret-policy',
    area: 'security',
    regional: false,
    tagged: false,
    base: iam.RolePolicy.manifest({ spec: { forProvider: { roleSelector: sel('role-app-task') } } }),
    patches: [
      envName(`metadata.annotations[${EXTERNAL_NAME}]`, '%s-app-task-db-secret'),
      fromXRRequired('status.database.secretArn', 'spec.forProvider.policy', format(policyDocument([
        { Sid: 'ReadDatabaseSecret', Action: [...DB_SECRET_ACTIONS], Resource: '%s' },
      ]))),
    ],
  };
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
        arnPatch('spec.forProvider.policy', keyPolicy(['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'events.rds.amazonaws.com'])),
        toXR('status.atProvider.arn', 'status.kmsKeyArn'),
      ],
    },
    {
      name: 'kms-alias',
      area: 'security',
      tagged: false,
      base: kms.Alias.manifest({ spec: { forProvider: { region: PATCHED, targetKeyIdSelector: sel('kms-key') } } }),
      // Without "alias/": the provider adds it for AWS and writes the name back without it.
      patches: [externalName('key')],
    },
    ...roles(),
    ...parameters(),
  ];
}
