// Every data flow the architecture needs on AWS (principal -> actions -> resource),
// and the flows that must never be possible. `npm test` evaluates both against the
// rendered policies of each tier with an IAM policy evaluation engine
// (test/flows.test.ts): an allowed flow that AWS would deny, or a forbidden one it
// would allow, fails the suite. ARNs are format strings over
// (%[1]s region, %[2]s env, %[3]s account, %[4]s drRegion), as in composition/security.ts.
import { DRIFT_DLQ_ARN, DRIFT_QUEUE_ARN, DRIFT_RULE_ARN } from './composition/events';
import { ARN, KEY_ALIAS, DR_KEY_ALIAS } from './composition/security';
import { tiersWhere } from './policy';
import { Tier } from './schema';

/** Who makes the request: one of the environment's roles (ROLES), or an AWS service. */
export type Principal = { role: string } | { service: string };

/** A policy on the resource side, by the composed resource that carries it. */
export type ResourcePolicy =
  | { kind: 'key'; from: string } // kms Key forProvider.policy; aliases come from the Aliases targeting it
  | { kind: 'bucket'; from: string } // s3 BucketPolicy forProvider.policy
  | { kind: 'topic'; from: string } // sns Topic forProvider.policy
  | { kind: 'queue'; from: string } // sqs QueuePolicy forProvider.policy
  | { kind: 'trust'; from: string } // iam Role assumeRolePolicy
  | { kind: 'lambda-permission'; from: string }; // lambda Permission -> the function's policy statement

export interface Flow {
  readonly principal: Principal;
  readonly actions: readonly string[];
  readonly resource: string;
  readonly resourcePolicy?: ResourcePolicy;
  /** Request context beyond the defaults (TLS on, source account = the environment's). */
  readonly context?: Record<string, string>;
  /** Only in these tiers (the resources exist only there). @default every tier */
  readonly tiers?: readonly Tier[];
  /** Why the flow exists (allowed) or must not (forbidden). */
  readonly why: string;
}

const alarmed = tiersWhere((p) => p.alarms !== undefined);
const replicated = tiersWhere((p) => p.replication);
const backedUp = tiersWhere((p) => p.backupRetentionDays !== undefined);
const BACKUP_SNAPSHOT = 'arn:aws:rds:%[1]s:%[3]s:cluster-snapshot:awsbackup:job-0a1b2c3d';
const ENV_KEY = 'arn:aws:kms:%[1]s:%[3]s:key/00000000-0000-4000-8000-00000000e0e0';
const DR_KEY = 'arn:aws:kms:%[4]s:%[3]s:key/00000000-0000-4000-8000-00000000d0d0';
const keyPolicy: ResourcePolicy = { kind: 'key', from: 'kms-key' };
const bucketPolicy: ResourcePolicy = { kind: 'bucket', from: 'audit-bucket-tls-only' };
const accessLogPolicy: ResourcePolicy = { kind: 'bucket', from: 'access-log-bucket-tls-only' };
const FUNCTION = 'arn:aws:lambda:%[1]s:%[3]s:function:payment-processor-%[2]s';
const role = (name: string) => `arn:aws:iam::%[3]s:role/%[2]s-${name}`;
/** The secret RDS creates for the cluster: its ARN comes from the rendered status (status.database.secretArn). */
export const DB_SECRET = '<status.database.secretArn>';

export const KEYS = { env: { arn: ENV_KEY, alias: KEY_ALIAS }, dr: { arn: DR_KEY, alias: DR_KEY_ALIAS } } as const;

export const ALLOWED: readonly Flow[] = [
  // The payment API (ECS task role).
  { principal: { role: 'app-task' }, actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], resource: ARN.sessionsTable, why: 'sessions' },
  { principal: { role: 'app-task' }, actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], resource: ARN.transactionsTable, why: 'transactions' },
  { principal: { role: 'app-task' }, actions: ['sqs:SendMessage'], resource: ARN.queue, why: 'enqueue payments for the processor' },
  { principal: { role: 'app-task' }, actions: ['s3:PutObject'], resource: `${ARN.bucket}/audit/2026/11/24/event.json`, resourcePolicy: bucketPolicy, why: 'write audit logs' },
  { principal: { role: 'app-task' }, actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'], resource: 'arn:aws:ssm:%[1]s:%[3]s:parameter/payments/%[2]s/db/endpoint', why: 'read endpoints' },
  { principal: { role: 'app-task' }, actions: ['secretsmanager:GetSecretValue'], resource: DB_SECRET, why: 'connect to the database' },
  { principal: { role: 'app-task' }, actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resource: ENV_KEY, resourcePolicy: keyPolicy, why: 'SSE-KMS queue, secret and bucket' },
  { principal: { service: 'ecs-tasks.amazonaws.com' }, actions: ['sts:AssumeRole'], resource: role('app-task'), resourcePolicy: { kind: 'trust', from: 'role-app-task' }, why: 'ECS runs the task as the task role' },
  // ECS pulling the image and shipping logs (execution role).
  { principal: { service: 'ecs-tasks.amazonaws.com' }, actions: ['sts:AssumeRole'], resource: role('ecs-execution'), resourcePolicy: { kind: 'trust', from: 'role-ecs-execution' }, why: 'ECS pulls and logs as the execution role' },
  { principal: { role: 'ecs-execution' }, actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resource: 'arn:aws:ecr:%[1]s:%[3]s:repository/payments/%[2]s/api', why: 'pull the image' },
  { principal: { role: 'ecs-execution' }, actions: ['ecr:GetAuthorizationToken'], resource: '*', why: 'log in to ECR' },
  { principal: { role: 'ecs-execution' }, actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: 'arn:aws:logs:%[1]s:%[3]s:log-group:/payments/%[2]s/ecs:log-stream:api/payment-api/1', why: 'container logs' },
  // The queue processor (Lambda).
  { principal: { service: 'lambda.amazonaws.com' }, actions: ['sts:AssumeRole'], resource: role('lambda'), resourcePolicy: { kind: 'trust', from: 'role-lambda' }, why: 'Lambda runs as its role' },
  { principal: { role: 'lambda' }, actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], resource: ARN.queue, why: 'event source mapping polls the queue' },
  { principal: { role: 'lambda' }, actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem'], resource: ARN.transactionsTable, why: 'record processed payments' },
  { principal: { role: 'lambda' }, actions: ['kms:Decrypt'], resource: ENV_KEY, resourcePolicy: keyPolicy, why: 'read SSE-KMS messages' },
  { principal: { role: 'lambda' }, actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: 'arn:aws:logs:%[1]s:%[3]s:log-group:/aws/lambda/payment-processor-%[2]s:log-stream:2026/11/24/x', why: 'function logs' },
  { principal: { role: 'lambda' }, actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'], resource: 'arn:aws:ec2:%[1]s:%[3]s:network-interface/*', why: 'Lambda attaches the function to the private subnets' },
  // API Gateway invoking the function.
  { principal: { service: 'apigateway.amazonaws.com' }, actions: ['lambda:InvokeFunction'], resource: FUNCTION, resourcePolicy: { kind: 'lambda-permission', from: 'lambda-api-permission' }, context: { 'aws:SourceArn': '<status.api.executionArn>/v1/POST/payments' }, why: 'the API integration' },
  // Alarms: CloudWatch publishes to the topic, which the environment key encrypts.
  { principal: { service: 'cloudwatch.amazonaws.com' }, actions: ['sns:Publish'], resource: ARN.alarmTopic, resourcePolicy: { kind: 'topic', from: 'alarm-topic' }, tiers: alarmed, why: 'alarm actions' },
  { principal: { service: 'cloudwatch.amazonaws.com' }, actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resource: ENV_KEY, resourcePolicy: keyPolicy, tiers: alarmed, why: 'publish to the KMS-encrypted topic' },
  // RDS events (event subscriptions) go to the same topic.
  { principal: { service: 'events.rds.amazonaws.com' }, actions: ['sns:Publish'], resource: ARN.alarmTopic, resourcePolicy: { kind: 'topic', from: 'alarm-topic' }, context: { 'aws:SourceArn': 'arn:aws:rds:%[1]s:%[3]s:cluster:payment-db-%[2]s' }, tiers: alarmed, why: 'database failure and maintenance events' },
  { principal: { service: 'events.rds.amazonaws.com' }, actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resource: ENV_KEY, resourcePolicy: keyPolicy, tiers: alarmed, why: 'publish RDS events to the KMS-encrypted topic' },
  // EventBridge sends the environment's AWS change events to its drift queue (and what it cannot deliver to the DLQ).
  { principal: { service: 'events.amazonaws.com' }, actions: ['sqs:SendMessage'], resource: DRIFT_QUEUE_ARN, resourcePolicy: { kind: 'queue', from: 'drift-queue-policy' }, context: { 'aws:SourceArn': DRIFT_RULE_ARN }, why: 'drift events to the listener\'s queue' },
  { principal: { service: 'events.amazonaws.com' }, actions: ['sqs:SendMessage'], resource: DRIFT_DLQ_ARN, resourcePolicy: { kind: 'queue', from: 'drift-dlq-policy' }, context: { 'aws:SourceArn': DRIFT_RULE_ARN }, why: 'undeliverable drift events to the DLQ' },
  { principal: { service: 'events.amazonaws.com' }, actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resource: ENV_KEY, resourcePolicy: keyPolicy, why: 'send to the KMS-encrypted drift queues' },
  // S3 delivers the audit bucket's server access logs to the log bucket.
  { principal: { service: 'logging.s3.amazonaws.com' }, actions: ['s3:PutObject'], resource: `${ARN.accessLogBucket}/audit/2026-11-24-00-00-00-ABC`, resourcePolicy: accessLogPolicy, context: { 'aws:SourceArn': ARN.bucket }, why: 'server access logs of the audit bucket' },
  // Prod: S3 replicates the audit bucket into drRegion.
  { principal: { service: 's3.amazonaws.com' }, actions: ['sts:AssumeRole'], resource: role('s3-replication'), resourcePolicy: { kind: 'trust', from: 'role-s3-replication' }, tiers: replicated, why: 'S3 replicates as the replication role' },
  { principal: { role: 's3-replication' }, actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resource: ARN.bucket, resourcePolicy: bucketPolicy, tiers: replicated, why: 'read the replication rule' },
  { principal: { role: 's3-replication' }, actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'], resource: `${ARN.bucket}/audit/x.json`, resourcePolicy: bucketPolicy, tiers: replicated, why: 'read source versions' },
  { principal: { role: 's3-replication' }, actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], resource: `${ARN.replicaBucket}/audit/x.json`, resourcePolicy: { kind: 'bucket', from: 'audit-bucket-replica-tls-only' }, tiers: replicated, why: 'write replicas' },
  { principal: { role: 's3-replication' }, actions: ['kms:Decrypt'], resource: ENV_KEY, resourcePolicy: keyPolicy, tiers: replicated, why: 'decrypt SSE-KMS source objects' },
  { principal: { role: 's3-replication' }, actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resource: DR_KEY, resourcePolicy: { kind: 'key', from: 'kms-key-dr' }, tiers: replicated, why: 'encrypt replicas with the DR key' },
  // Prod: AWS Backup takes daily recovery points of the stores into the locked vault, and expires them.
  { principal: { service: 'backup.amazonaws.com' }, actions: ['sts:AssumeRole'], resource: role('backup'), resourcePolicy: { kind: 'trust', from: 'role-backup' }, tiers: backedUp, why: 'AWS Backup runs the plan as the backup role' },
  { principal: { role: 'backup' }, actions: ['dynamodb:DescribeTable', 'dynamodb:CreateBackup'], resource: ARN.transactionsTable, tiers: backedUp, why: 'back up the transactions table' },
  { principal: { role: 'backup' }, actions: ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup'], resource: `${ARN.sessionsTable}/backup/01732400000000-abcdef01`, tiers: backedUp, why: 'expire a table backup' },
  { principal: { role: 'backup' }, actions: ['rds:DescribeDBClusters', 'rds:CreateDBClusterSnapshot'], resource: ARN.dbCluster, tiers: backedUp, why: 'snapshot the Aurora cluster' },
  { principal: { role: 'backup' }, actions: ['rds:AddTagsToResource', 'rds:CreateDBClusterSnapshot'], resource: BACKUP_SNAPSHOT, tiers: backedUp, why: 'the snapshot it takes' },
  { principal: { role: 'backup' }, actions: ['rds:DeleteDBClusterSnapshot'], resource: BACKUP_SNAPSHOT, context: { 'aws:ResourceTag/Environment': '%[2]s' }, tiers: backedUp, why: 'expire its own snapshots (tags copied from the cluster)' },
  { principal: { role: 'backup' }, actions: ['backup:CopyIntoBackupVault'], resource: ARN.backupVault, tiers: backedUp, why: 'recovery points go into the vault' },
  { principal: { role: 'backup' }, actions: ['kms:CreateGrant'], resource: ENV_KEY, resourcePolicy: keyPolicy, context: { 'kms:GrantIsForAWSResource': 'true' }, tiers: backedUp, why: 'the vault encrypts with the environment key' },
];

/** A principal of another environment (%[5]s: its name) or of another account. */
export const OTHER_ENV = '%[5]s';
export const OUTSIDE_ACCOUNT = '999988887777';

export const FORBIDDEN: readonly Flow[] = [
  // Another environment's roles never reach this environment's data or key.
  { principal: { role: `${OTHER_ENV}/app-task` }, actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resource: ARN.transactionsTable, why: 'environments are isolated' },
  { principal: { role: `${OTHER_ENV}/app-task` }, actions: ['kms:Decrypt'], resource: ENV_KEY, resourcePolicy: keyPolicy, why: 'environments are isolated' },
  { principal: { role: `${OTHER_ENV}/app-task` }, actions: ['s3:PutObject'], resource: `${ARN.bucket}/audit/x.json`, resourcePolicy: bucketPolicy, why: 'environments are isolated' },
  { principal: { role: `${OTHER_ENV}/lambda` }, actions: ['sqs:ReceiveMessage'], resource: ARN.queue, why: 'environments are isolated' },
  // No role destroys the key or the tables.
  ...['app-task', 'lambda', 'ecs-execution'].flatMap((r): Flow[] => [
    { principal: { role: r }, actions: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy'], resource: ENV_KEY, resourcePolicy: keyPolicy, why: 'data stays readable' },
    { principal: { role: r }, actions: ['dynamodb:DeleteTable'], resource: ARN.transactionsTable, why: 'payments are never deleted by a workload' },
  ]),
  // The processor never writes the audit trail; the API never reads it back or deletes it.
  { principal: { role: 'lambda' }, actions: ['s3:PutObject'], resource: `${ARN.bucket}/audit/x.json`, resourcePolicy: bucketPolicy, why: 'audit writes come from the API only' },
  { principal: { role: 'app-task' }, actions: ['s3:DeleteObject', 's3:GetObject'], resource: `${ARN.bucket}/audit/x.json`, resourcePolicy: bucketPolicy, why: 'audit logs are append-only for the API' },
  // Nothing in transit without TLS.
  { principal: { role: 'app-task' }, actions: ['s3:PutObject'], resource: `${ARN.bucket}/audit/x.json`, resourcePolicy: bucketPolicy, context: { 'aws:SecureTransport': 'false' }, why: 'TLS only' },
  { principal: { service: 'cloudwatch.amazonaws.com' }, actions: ['sns:Publish'], resource: ARN.alarmTopic, resourcePolicy: { kind: 'topic', from: 'alarm-topic' }, context: { 'aws:SecureTransport': 'false' }, tiers: alarmed, why: 'TLS only' },
  // Nobody outside the account.
  { principal: { role: `${OUTSIDE_ACCOUNT}:admin` }, actions: ['kms:Decrypt'], resource: ENV_KEY, resourcePolicy: keyPolicy, why: 'no cross-account access' },
  { principal: { role: `${OUTSIDE_ACCOUNT}:admin` }, actions: ['s3:GetObject'], resource: `${ARN.bucket}/audit/x.json`, resourcePolicy: bucketPolicy, why: 'no cross-account access' },
  { principal: { service: 'cloudwatch.amazonaws.com' }, actions: ['sns:Publish'], resource: ARN.alarmTopic, resourcePolicy: { kind: 'topic', from: 'alarm-topic' }, context: { 'aws:SourceAccount': OUTSIDE_ACCOUNT }, tiers: alarmed, why: "another account's alarms (confused deputy)" },
  { principal: { service: 'cloudwatch.amazonaws.com' }, actions: ['kms:Decrypt'], resource: ENV_KEY, resourcePolicy: keyPolicy, context: { 'aws:SourceAccount': OUTSIDE_ACCOUNT }, why: "another account's service use (confused deputy)" },
  { principal: { service: 'events.rds.amazonaws.com' }, actions: ['sns:Publish'], resource: ARN.alarmTopic, resourcePolicy: { kind: 'topic', from: 'alarm-topic' }, context: { 'aws:SourceAccount': OUTSIDE_ACCOUNT, 'aws:SourceArn': `arn:aws:rds:%[1]s:${OUTSIDE_ACCOUNT}:cluster:other` }, tiers: alarmed, why: "another account's database events (confused deputy)" },
  { principal: { service: 'apigateway.amazonaws.com' }, actions: ['lambda:InvokeFunction'], resource: FUNCTION, resourcePolicy: { kind: 'lambda-permission', from: 'lambda-api-permission' }, context: { 'aws:SourceArn': `arn:aws:execute-api:%[1]s:${OUTSIDE_ACCOUNT}:evil123/v1/POST/payments` }, why: 'only this API invokes the processor' },
  { principal: { service: 'logging.s3.amazonaws.com' }, actions: ['s3:PutObject'], resource: `${ARN.accessLogBucket}/audit/x`, resourcePolicy: accessLogPolicy, context: { 'aws:SourceArn': 'arn:aws:s3:::someone-elses-bucket' }, why: 'only this audit bucket logs here (confused deputy)' },
  { principal: { service: 'logging.s3.amazonaws.com' }, actions: ['s3:PutObject'], resource: `${ARN.accessLogBucket}/audit/x`, resourcePolicy: accessLogPolicy, context: { 'aws:SourceArn': ARN.bucket, 'aws:SourceAccount': OUTSIDE_ACCOUNT }, why: "another account's delivery (confused deputy)" },
  { principal: { role: 'app-task' }, actions: ['s3:PutObject', 's3:GetObject'], resource: `${ARN.accessLogBucket}/audit/x`, resourcePolicy: accessLogPolicy, why: 'access logs are written by S3 alone' },
  { principal: { service: 'events.amazonaws.com' }, actions: ['sqs:SendMessage'], resource: DRIFT_QUEUE_ARN, resourcePolicy: { kind: 'queue', from: 'drift-queue-policy' }, context: { 'aws:SourceArn': 'arn:aws:events:%[1]s:%[3]s:rule/someone-elses-rule' }, why: 'only the environment\'s rule fills its drift queue (no forged drift)' },
  { principal: { service: 'events.amazonaws.com' }, actions: ['sqs:SendMessage'], resource: DRIFT_QUEUE_ARN, resourcePolicy: { kind: 'queue', from: 'drift-queue-policy' }, context: { 'aws:SourceAccount': OUTSIDE_ACCOUNT, 'aws:SourceArn': `arn:aws:events:%[1]s:${OUTSIDE_ACCOUNT}:rule/payment-drift-%[2]s` }, why: "another account's rule of the same name (confused deputy)" },
  { principal: { role: 'app-task' }, actions: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:PurgeQueue'], resource: DRIFT_QUEUE_ARN, resourcePolicy: { kind: 'queue', from: 'drift-queue-policy' }, why: 'workloads neither forge nor swallow drift events' },
  // The backup role copies stores; it reads no item and destroys no store or final snapshot.
  { principal: { role: 'backup' }, actions: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:DeleteTable'], resource: ARN.transactionsTable, tiers: backedUp, why: 'backups never read or destroy the source' },
  { principal: { role: 'backup' }, actions: ['rds:DeleteDBCluster', 'rds:ModifyDBCluster'], resource: ARN.dbCluster, tiers: backedUp, why: 'backups never change the source' },
  { principal: { role: 'backup' }, actions: ['rds:DeleteDBClusterSnapshot'], resource: 'arn:aws:rds:%[1]s:%[3]s:cluster-snapshot:payment-db-%[2]s-final', context: { 'aws:ResourceTag/Environment': '%[2]s' }, tiers: backedUp, why: 'only its own snapshots expire' },
  { principal: { role: 'backup' }, actions: ['rds:DeleteDBClusterSnapshot'], resource: BACKUP_SNAPSHOT, context: { 'aws:ResourceTag/Environment': '%[5]s' }, tiers: backedUp, why: "another environment's snapshot in the account" },
  { principal: { role: 'backup' }, actions: ['kms:CreateGrant'], resource: ENV_KEY, resourcePolicy: keyPolicy, context: { 'kms:GrantIsForAWSResource': 'false' }, tiers: backedUp, why: 'key grants only for AWS services' },
  { principal: { role: 'backup' }, actions: ['backup:DeleteBackupVaultLockConfiguration', 'backup:DeleteRecoveryPoint'], resource: ARN.backupVault, tiers: backedUp, why: 'the vault lock is lifted by break-glass only' },
  // A service may assume only the roles made for it.
  { principal: { service: 'lambda.amazonaws.com' }, actions: ['sts:AssumeRole'], resource: role('app-task'), resourcePolicy: { kind: 'trust', from: 'role-app-task' }, why: 'roles are per workload' },
];
