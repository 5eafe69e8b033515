// The IAM a platform team creates once, as CloudFormation in dist/bootstrap/:
//  - iam-management.yaml, in the management account: the role the provider pods run as
//    (IRSA or EKS Pod Identity), which may only assume the environments' deployer roles;
//  - iam-environment.yaml, in each environment's account (a StackSet over the accounts of
//    src/platform.ts): that environment's deployer role, trusted by the provider role only,
//    with a policy derived from the kinds the Composition composes, and the permissions
//    boundary every workload role the Composition creates must carry.
// The deployer may create what carries its environment's tag or name, and change or delete
// only what does; test/iam-bootstrap.test.ts evaluates this with an IAM policy engine.
import { DB_SECRET_ACTIONS, ROLES } from '../composition/security';
import { LISTENER_RBAC, providerFamilies, SETTINGS } from '../platform';

/** The environment a stack is for: the template's parameter. */
const ENV = '${Environment}';
const ACCT = '${AWS::AccountId}';
const P = '${AWS::Partition}';

/** Name of the boundary policy every workload role carries (the Composition sets it). */
export const BOUNDARY_NAME = (env: string) => `${env}-workload-boundary`;

/**
 * How the deployer's access to one IAM service is scoped. `tag`: the service's ids are made
 * by AWS, so create requires aws:RequestTag/Environment and change requires
 * aws:ResourceTag/Environment. `name`: the Composition names the resources, so the ARNs say
 * whose they are.
 */
interface ServiceScope {
  /** The API groups of composed kinds this IAM service covers (ec2.aws.m.upbound.io -> 'ec2'). */
  readonly groups: readonly string[];
  readonly read: readonly string[];
  readonly change: readonly string[];
  /** ARNs of this environment's resources, where the names say so. */
  readonly arns?: readonly string[];
}

const verbs = (svc: string, vs: readonly string[]) => vs.map((v) => `${svc}:${v}`);

export const SCOPES: Record<string, ServiceScope> = {
  'ec2': {
    groups: ['ec2'],
    read: ['ec2:Describe*'],
    change: [...verbs('ec2', ['Create*', 'Delete*', 'Modify*', 'Associate*', 'Disassociate*', 'Attach*', 'Detach*', 'Allocate*', 'Release*',
      'Authorize*', 'Revoke*', 'Replace*', 'Accept*', 'Reject*', 'UpdateSecurityGroupRuleDescriptions*'])],
  },
  'kms': {
    groups: ['kms'],
    read: ['kms:Describe*', 'kms:List*', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus'],
    // Grants, Decrypt and GenerateDataKey: creating a backup vault under the key (AWS Backup
    // Developer Guide, "Backup vault creation and deletion", required permissions).
    change: verbs('kms', ['CreateGrant', 'RetireGrant', 'Decrypt', 'GenerateDataKey', 'CreateKey', 'CreateAlias', 'DeleteAlias', 'UpdateAlias', 'PutKeyPolicy', 'EnableKeyRotation', 'DisableKeyRotation', 'ScheduleKeyDeletion',
      'CancelKeyDeletion', 'TagResource', 'UntagResource', 'UpdateKeyDescription', 'EnableKey', 'DisableKey', 'ReplicateKey']),
  },
  'rds': {
    groups: ['rds'],
    read: ['rds:Describe*', 'rds:ListTagsForResource'],
    change: verbs('rds', ['Create*', 'Delete*', 'Modify*', 'AddTagsToResource', 'RemoveTagsFromResource', 'AddRoleToDBCluster', 'RemoveRoleFromDBCluster',
      'AddSourceIdentifierToSubscription', 'RemoveSourceIdentifierFromSubscription']),
    arns: [`arn:${P}:rds:*:${ACCT}:cluster:payment-db-${ENV}`, `arn:${P}:rds:*:${ACCT}:db:payment-db-*-${ENV}`, `arn:${P}:rds:*:${ACCT}:subgrp:payment-db-${ENV}`,
      `arn:${P}:rds:*:${ACCT}:es:payment-db-${ENV}-*`, `arn:${P}:rds:*:${ACCT}:cluster-snapshot:payment-db-${ENV}-*`,
      // The defaults a cluster is created with (no parameter or option group of our own).
      `arn:${P}:rds:*:${ACCT}:cluster-pg:default.*`, `arn:${P}:rds:*:${ACCT}:pg:default.*`, `arn:${P}:rds:*:${ACCT}:og:default:*`],
  },
  'dynamodb': {
    groups: ['dynamodb'],
    read: ['dynamodb:Describe*', 'dynamodb:List*'],
    change: verbs('dynamodb', ['CreateTable', 'DeleteTable', 'UpdateTable', 'UpdateContinuousBackups', 'UpdateTimeToLive', 'TagResource', 'UntagResource']),
    arns: [`arn:${P}:dynamodb:*:${ACCT}:table/payment-*-${ENV}`],
  },
  'backup': {
    groups: ['backup'],
    read: ['backup:Describe*', 'backup:List*', 'backup:Get*'],
    // No DeleteBackupVaultLockConfiguration: only break-glass lifts a vault's lock.
    change: verbs('backup', ['CreateBackupVault', 'DeleteBackupVault', 'PutBackupVaultLockConfiguration', 'CreateBackupPlan', 'UpdateBackupPlan', 'DeleteBackupPlan',
      'CreateBackupSelection', 'DeleteBackupSelection', 'TagResource', 'UntagResource']),
  },
  's3': {
    groups: ['s3'],
    read: ['s3:ListAllMyBuckets'],
    change: verbs('s3', ['CreateBucket', 'DeleteBucket*', 'GetBucket*', 'PutBucket*', 'GetAccelerateConfiguration', 'GetLifecycleConfiguration', 'PutLifecycleConfiguration',
      'GetReplicationConfiguration', 'PutReplicationConfiguration', 'GetEncryptionConfiguration', 'PutEncryptionConfiguration', 'ListBucket', 'ListBucketVersions',
      // A retired dev/staging bucket is emptied before it is deleted (forceDestroy); nothing reads objects.
      'DeleteObject', 'DeleteObjectVersion',
      // Bucket tags through S3 Control first (terraform-provider-aws internal/service/s3/tags.go): found by test/replay.test.ts.
      'ListTagsForResource', 'TagResource', 'UntagResource']),
    arns: [`arn:${P}:s3:::payments-${ENV}-*`],
  },
  'sqs': {
    groups: ['sqs'],
    read: ['sqs:ListQueues'],
    change: verbs('sqs', ['CreateQueue', 'DeleteQueue', 'SetQueueAttributes', 'GetQueueAttributes', 'GetQueueUrl', 'TagQueue', 'UntagQueue', 'ListQueueTags']),
    arns: [`arn:${P}:sqs:*:${ACCT}:payment-*-${ENV}`],
  },
  'sns': {
    groups: ['sns'],
    read: ['sns:List*'],
    change: verbs('sns', ['CreateTopic', 'DeleteTopic', 'GetTopicAttributes', 'SetTopicAttributes', 'Subscribe', 'Unsubscribe', 'GetSubscriptionAttributes',
      'SetSubscriptionAttributes', 'TagResource', 'UntagResource']),
    arns: [`arn:${P}:sns:*:${ACCT}:payment-*-${ENV}`, `arn:${P}:sns:*:${ACCT}:payment-*-${ENV}:*`],
  },
  'ecs': {
    groups: ['ecs'],
    read: ['ecs:Describe*', 'ecs:List*'],
    change: verbs('ecs', ['CreateCluster', 'DeleteCluster', 'UpdateCluster*', 'PutClusterCapacityProviders', 'CreateService', 'UpdateService', 'DeleteService',
      'RegisterTaskDefinition', 'DeregisterTaskDefinition', 'DeleteTaskDefinitions', 'TagResource', 'UntagResource']),
  },
  'application-autoscaling': {
    groups: ['appautoscaling'],
    read: ['application-autoscaling:Describe*', 'application-autoscaling:ListTagsForResource'],
    change: verbs('application-autoscaling', ['RegisterScalableTarget', 'DeregisterScalableTarget', 'PutScalingPolicy', 'DeleteScalingPolicy', 'TagResource', 'UntagResource']),
  },
  'elasticloadbalancing': {
    groups: ['elbv2'],
    read: ['elasticloadbalancing:Describe*'],
    change: verbs('elasticloadbalancing', ['Create*', 'Delete*', 'Modify*', 'Set*', 'AddTags', 'RemoveTags', 'RegisterTargets', 'DeregisterTargets']),
  },
  'acm': {
    groups: ['acm'],
    read: ['acm:Describe*', 'acm:List*', 'acm:GetCertificate'],
    change: verbs('acm', ['RequestCertificate', 'DeleteCertificate', 'AddTagsToCertificate', 'RemoveTagsFromCertificate', 'UpdateCertificateOptions']),
  },
  'lambda': {
    groups: ['lambda'],
    read: ['lambda:Get*', 'lambda:List*'],
    change: verbs('lambda', ['CreateFunction', 'DeleteFunction', 'UpdateFunction*', 'PutFunctionConcurrency', 'DeleteFunctionConcurrency', 'AddPermission', 'RemovePermission',
      'CreateEventSourceMapping', 'UpdateEventSourceMapping', 'DeleteEventSourceMapping', 'TagResource', 'UntagResource']),
  },
  'apigateway': {
    groups: ['apigateway'],
    read: ['apigateway:GET'],
    change: ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'],
  },
  'wafv2': {
    groups: ['wafv2'],
    read: ['wafv2:Get*', 'wafv2:List*'],
    change: verbs('wafv2', ['CreateWebACL', 'UpdateWebACL', 'DeleteWebACL', 'AssociateWebACL', 'DisassociateWebACL', 'TagResource', 'UntagResource', 'PutLoggingConfiguration']),
  },
  'logs': {
    groups: ['cloudwatchlogs'],
    read: ['logs:Describe*', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup'],
    change: verbs('logs', ['CreateLogGroup', 'DeleteLogGroup', 'PutRetentionPolicy', 'DeleteRetentionPolicy', 'AssociateKmsKey', 'DisassociateKmsKey', 'TagResource', 'UntagResource', 'TagLogGroup', 'UntagLogGroup']),
    arns: [`arn:${P}:logs:*:${ACCT}:log-group:/payments/${ENV}/*`, `arn:${P}:logs:*:${ACCT}:log-group:/aws/lambda/payment-processor-${ENV}*`,
      `arn:${P}:logs:*:${ACCT}:log-group:/aws/rds/cluster/payment-db-${ENV}/*`],
  },
  'cloudwatch': {
    groups: ['cloudwatch'],
    read: ['cloudwatch:Describe*', 'cloudwatch:List*', 'cloudwatch:GetDashboard'],
    change: verbs('cloudwatch', ['PutMetricAlarm', 'DeleteAlarms', 'PutDashboard', 'DeleteDashboards', 'TagResource', 'UntagResource']),
    arns: [`arn:${P}:cloudwatch:*:${ACCT}:alarm:payment-*-${ENV}`, `arn:${P}:cloudwatch::${ACCT}:dashboard/payment-dashboard-${ENV}`],
  },
  'events': {
    groups: ['cloudwatchevents'],
    read: ['events:DescribeRule', 'events:ListRules', 'events:ListTargetsByRule', 'events:ListTagsForResource'],
    change: verbs('events', ['PutRule', 'DeleteRule', 'EnableRule', 'DisableRule', 'PutTargets', 'RemoveTargets', 'TagResource', 'UntagResource']),
    arns: [`arn:${P}:events:*:${ACCT}:rule/payment-drift-${ENV}`],
  },
  'ssm': {
    groups: ['ssm'],
    read: ['ssm:DescribeParameters'],
    change: verbs('ssm', ['PutParameter', 'DeleteParameter', 'GetParameter', 'GetParameters', 'AddTagsToResource', 'RemoveTagsFromResource', 'ListTagsForResource']),
    arns: [`arn:${P}:ssm:*:${ACCT}:parameter/payments/${ENV}/*`],
  },
  'route53': {
    groups: ['route53'],
    read: ['route53:GetChange', 'route53:GetHostedZone', 'route53:ListResourceRecordSets', 'route53:ListHostedZones'],
    change: ['route53:ChangeResourceRecordSets'],
    // The zones the platform writes certificate validation records in (SETTINGS.dnsZones).
    arns: Object.values(SETTINGS.dnsZones).sort().map((id) => `arn:${P}:route53:::hostedzone/${id}`),
  },
  'iam': {
    groups: ['iam'],
    read: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:ListRoleTags'],
    change: verbs('iam', ['CreateRole', 'DeleteRole', 'UpdateRole', 'UpdateAssumeRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', 'TagRole', 'UntagRole']),
  },
};

/**
 * ManageMasterUserPassword: RDS creates the cluster's secret with the caller's permissions (RDS User
 * Guide, "Password management with Amazon RDS and AWS Secrets Manager", required permissions).
 */
const MANAGED_SECRET_ACTIONS = ['secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'secretsmanager:RotateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret'];

/** IAM's managed policy size quota, in characters without whitespace (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/** The longest ${Environment} (an environment name, src/schema.ts ENV_NAME_PATTERN). */
const LONGEST_ENV = 'x'.repeat(16);

/** A policy document's size as IAM counts it, with ${Environment} at its longest. */
export const policySize = (doc: object): number => JSON.stringify(doc).replace(/\$\{Environment\}/g, LONGEST_ENV).length;

/**
 * The deployer's policy split into managed policies each within the quota (a role takes 10),
 * statements kept whole and in order. Denies apply from whichever policy holds them.
 */
export function deployerPolicies(): object[] {
  const statements = (deployerPolicy() as { Statement: object[] }).Statement;
  const out: object[][] = [[]];
  const doc = (st: object[]) => ({ Version: '2012-10-17', Statement: st });
  for (const st of statements) {
    const last = out[out.length - 1];
    if (last.length && policySize(doc([...last, st])) > MANAGED_POLICY_MAX_CHARS) out.push([st]);
    else last.push(st);
  }
  return out.map(doc);
}

/** The deployer's policy for one environment (CloudFormation: ${Environment} is the stack's parameter). */
export function deployerPolicy(): object {
  const tagScoped = Object.entries(SCOPES).filter(([svc, s]) => !s.arns && svc !== 'iam');
  const nameScoped = Object.entries(SCOPES).filter(([, s]) => s.arns);
  const workloadRoles = `arn:${P}:iam::${ACCT}:role/${ENV}-*`;
  const boundary = `arn:${P}:iam::${ACCT}:policy/${BOUNDARY_NAME(ENV)}`;
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: Object.values(SCOPES).flatMap((s) => s.read), Resource: '*' },
      { Sid: 'CreateTaggedAsThisEnvironment', Effect: 'Allow', Action: tagScoped.flatMap(([, s]) => s.change), Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/Environment': ENV } } },
      { Sid: 'ChangeThisEnvironment', Effect: 'Allow', Action: tagScoped.flatMap(([, s]) => s.change), Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/Environment': ENV } } },
      ...nameScoped.map(([svc, s]) => ({ Sid: `Named${svc.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}`, Effect: 'Allow', Action: s.change, Resource: s.arns })),
      // Workload roles: this environment's names only, and only with the boundary attached.
      { Sid: 'WorkloadRolesWithBoundary', Effect: 'Allow', Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole'],
        Resource: workloadRoles, Condition: { StringEquals: { 'iam:PermissionsBoundary': boundary } } },
      // iam:PermissionsBoundary is not a key of TagRole/UntagRole (Service Authorization Reference, IAM):
      // the role's name scopes them.
      { Sid: 'WorkloadRoleTags', Effect: 'Allow', Action: ['iam:TagRole', 'iam:UntagRole'], Resource: workloadRoles },
      // KMS checks CreateAlias/DeleteAlias/UpdateAlias on the alias too, which has no tag keys
      // (https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html): by name.
      { Sid: 'NamedKeyAliases', Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], Resource: `arn:${P}:kms:*:${ACCT}:alias/payment-key-${ENV}*` },
      // Actions that take no resource and no tag condition (Service Authorization Reference): a
      // retired task definition revision, a web ACL set on an ALB or a stage, API Gateway's tags.
      { Sid: 'NoResourceLevel', Effect: 'Allow', Action: ['ecs:DeregisterTaskDefinition', 'elasticloadbalancing:SetWebAcl'], Resource: '*' },
      { Sid: 'ApiGatewayWebAclAndTags', Effect: 'Allow', Action: ['apigateway:SetWebACL', 'apigateway:PUT', 'apigateway:DELETE'],
        Resource: [`arn:${P}:apigateway:*::/restapis/*/stages/*`, `arn:${P}:apigateway:*::/tags/*`] },
      // WAF checks (Dis)AssociateWebACL on the protected resource too, whose type has no condition
      // keys in WAF's reference: this environment's ALB by name, and API stages.
      { Sid: 'WebAclOnProtectedResources', Effect: 'Allow', Action: ['wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL'],
        Resource: [`arn:${P}:elasticloadbalancing:*:${ACCT}:loadbalancer/app/payment-alb-${ENV}/*`, `arn:${P}:apigateway:*::/restapis/*/stages/*`] },
      { Sid: 'WorkloadRolesRead', Effect: 'Allow', Action: [...SCOPES.iam.read, 'iam:DeleteRole'], Resource: workloadRoles },
      // Roles go only to the services that run as them.
      { Sid: 'PassWorkloadRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: workloadRoles,
        Condition: { StringEquals: { 'iam:PassedToService': [...new Set(Object.values(ROLES).map((r) => r.service))].sort() } } },
      { Sid: 'ServiceLinkedRoles', Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: `arn:${P}:iam::${ACCT}:role/aws-service-role/*`,
        Condition: { StringEquals: { 'iam:AWSServiceName': ['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'rds.amazonaws.com', 'ecs.application-autoscaling.amazonaws.com', 'dynamodb.application-autoscaling.amazonaws.com'] } } },
      // CreateBackupVault also needs this, on no resource of its own (same guide as the KMS grants).
      { Sid: 'BackupVaultStorage', Effect: 'Allow', Action: 'backup-storage:MountCapsule', Resource: '*' },
      { Sid: 'ManagedMasterPassword', Effect: 'Allow', Action: MANAGED_SECRET_ACTIONS, Resource: `arn:${P}:secretsmanager:*:${ACCT}:secret:rds!*`,
        Condition: { StringEquals: { 'aws:ResourceTag/Environment': ENV } } },
      // The deployer matches its own environment's role names: it never changes itself.
      { Sid: 'NotItself', Effect: 'Deny', Action: 'iam:*', Resource: `arn:${P}:iam::${ACCT}:role/${SETTINGS.environmentRoleName(ENV)}` },
      // The Environment tag is ownership: nobody re-tags another environment's resource, or removes the tag.
      { Sid: 'NoTakingOverOtherEnvironments', Effect: 'Deny', Action: ['ec2:CreateTags', 'kms:TagResource', 'backup:TagResource', 'ecs:TagResource', 'elasticloadbalancing:AddTags', 'acm:AddTagsToCertificate',
        'lambda:TagResource', 'application-autoscaling:TagResource', 'wafv2:TagResource', 'apigateway:PUT', 'apigateway:POST'],
        Resource: '*', Condition: { 'Null': { 'aws:ResourceTag/Environment': 'false' }, 'StringNotEquals': { 'aws:ResourceTag/Environment': ENV } } },
      { Sid: 'NoRemovingTheEnvironmentTag', Effect: 'Deny', Action: ['ec2:DeleteTags', 'kms:UntagResource', 'backup:UntagResource', 'ecs:UntagResource', 'elasticloadbalancing:RemoveTags', 'acm:RemoveTagsFromCertificate',
        'lambda:UntagResource', 'application-autoscaling:UntagResource', 'wafv2:UntagResource', 'apigateway:DELETE'],
        Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Environment'] } } },
    ],
  };
}

/** The ceiling of every workload role: the actions the Composition's role policies grant, nothing else. */
export function boundaryPolicy(): object {
  const actions = [...new Set(Object.values(ROLES).flatMap((r) => r.statements.flatMap((s) => s.Action)))].sort();
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'WhatWorkloadsDo', Effect: 'Allow', Action: [...actions, ...DB_SECRET_ACTIONS], Resource: '*' },
      { Sid: 'NeverIam', Effect: 'Deny', Action: ['iam:*', 'organizations:*', 'sts:AssumeRole'], Resource: '*' },
    ],
  };
}

const sub = (s: string) => ({ 'Fn::Sub': s });

const MANAGEMENT_ACCOUNT_PARAMETER = { Type: 'String', AllowedPattern: '^\\d{12}$', Default: SETTINGS.awsAccountId, Description: 'The account the provider pods run in' };

/** A role of an environment that only one role of the management account (by default the provider pods') assumes. */
function providerAssumedRole(roleName: string, description: string, assumedBy: string = SETTINGS.providerRoleName) {
  return {
    RoleName: sub(roleName),
    Description: sub(description),
    MaxSessionDuration: 3600,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: sub(`arn:${P}:iam::\${ManagementAccountId}:role/${assumedBy}`) }, Action: 'sts:AssumeRole' }],
    },
    Tags: [{ Key: 'Environment', Value: { Ref: 'Environment' } }],
  };
}

/** What the drift listener does with one environment's drift queue (composition/events.ts), and nothing else. */
export function listenerPolicy(): object {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadDriftEvents', Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        Resource: `arn:${P}:sqs:*:${ACCT}:payment-drift-${ENV}` },
      // The queue is encrypted with the environment key: decrypt through SQS only.
      { Sid: 'DecryptThroughSqs', Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:${P}:kms:*:${ACCT}:key/*`,
        Condition: { 'StringLike': { 'kms:ViaService': 'sqs.*.amazonaws.com' }, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': `alias/payment-key-${ENV}` } } },
    ],
  };
}

/**
 * CloudTrail's write events reach EventBridge only while a trail logs them (EventBridge User
 * Guide, "AWS service events delivered via AWS CloudTrail"): one multi-Region trail per account,
 * to a bucket of its own. It is an account's, not an environment's (aws-account.yaml):
 * CreateTrail=false where the account already has one (an organization trail, or this stack
 * in a second region).
 */
function trailResources(): Record<string, object> {
  const bucket = `paymentenv-cloudtrail-${ACCT}`;
  const trailArn = `arn:${P}:cloudtrail:\${AWS::Region}:${ACCT}:trail/${TRAIL_NAME}`;
  const fromTrail = { 'aws:SourceArn': trailArn };
  return {
    TrailBucket: {
      Type: 'AWS::S3::Bucket',
      Condition: 'CreateTrail',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketName: sub(bucket),
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
      },
    },
    // The bucket policy of the CloudTrail User Guide ("Amazon S3 bucket policy for CloudTrail").
    TrailBucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Condition: 'CreateTrail',
      Properties: {
        Bucket: { Ref: 'TrailBucket' },
        PolicyDocument: subAll({
          Version: '2012-10-17',
          Statement: [
            { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl',
              Resource: `arn:${P}:s3:::${bucket}`, Condition: { StringEquals: fromTrail } },
            { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject',
              Resource: `arn:${P}:s3:::${bucket}/AWSLogs/${ACCT}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...fromTrail } } },
          ],
        }),
      },
    },
    Trail: {
      Type: 'AWS::CloudTrail::Trail',
      Condition: 'CreateTrail',
      DependsOn: 'TrailBucketPolicy',
      Properties: {
        TrailName: TRAIL_NAME, S3BucketName: { Ref: 'TrailBucket' }, IsLogging: true,
        IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true,
      },
    },
  };
}

const TRAIL_NAME = 'paymentenv-management-events';

/** iam-environment.yaml: one stack per environment account (StackSets-ready). */
export function environmentTemplate(envNames: string[]): object {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'paymentenv: the deployer role Crossplane assumes for one environment, and the boundary of its workload roles',
    Parameters: {
      Environment: { Type: 'String', AllowedValues: envNames, Description: 'The environment this account (or this stack instance) holds' },
      ManagementAccountId: MANAGEMENT_ACCOUNT_PARAMETER,
    },
    Resources: {
      DeployerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          ...providerAssumedRole(SETTINGS.environmentRoleName(ENV), 'Crossplane provider-aws for ${Environment}: creates and changes only ${Environment}'),
          ManagedPolicyArns: deployerPolicies().map((_, i) => ({ Ref: `DeployerPolicy${i + 1}` })),
        },
      },
      ...Object.fromEntries(deployerPolicies().map((doc, i) => [`DeployerPolicy${i + 1}`, {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { ManagedPolicyName: sub(`${ENV}-crossplane-deployer-${i + 1}`), PolicyDocument: subAll(doc) },
      }])),
      WorkloadBoundary: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { ManagedPolicyName: sub(BOUNDARY_NAME(ENV)), Description: 'Ceiling of the workload roles the Composition creates', PolicyDocument: boundaryPolicy() },
      },
      ListenerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          ...providerAssumedRole(SETTINGS.environmentListenerRoleName(ENV), 'paymentenv drift listener for ${Environment}: reads its drift events', SETTINGS.listenerRoleName),
          Policies: [{ PolicyName: 'read-drift-events', PolicyDocument: subAll(listenerPolicy()) }],
        },
      },
    },
    Outputs: {
      DeployerRoleArn: { Value: { 'Fn::GetAtt': ['DeployerRole', 'Arn'] } },
      WorkloadBoundaryArn: { Value: { Ref: 'WorkloadBoundary' } },
      ListenerRoleArn: { Value: { 'Fn::GetAtt': ['ListenerRole', 'Arn'] } },
    },
  };
}

/**
 * aws-account.yaml: what belongs to an account and region, not to one environment, so that
 * environments sharing an account never create it twice. Deployed once per account in every
 * region an environment uses (CreateTrail=true in one of them only: the trail is multi-Region).
 * - API Gateway writes a stage's access and execution logs only once the account's API Gateway
 *   setting (per region) names a role it may assume with AmazonAPIGatewayPushToCloudWatchLogs;
 *   until then a stage with logging is refused ("CloudWatch Logs role ARN must be set in account
 *   settings to enable logging"). https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 * - The CloudTrail trail the drift events come from (trailResources).
 */
export function accountTemplate(): object {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'paymentenv: per account and region, what every environment in it needs: API Gateway\'s CloudWatch Logs role, and the management-events trail',
    Parameters: {
      CreateTrail: { Type: 'String', AllowedValues: ['true', 'false'], Default: 'true', Description: 'false where the account already has a multi-Region trail logging management events (an organization trail, or this stack in another region)' },
    },
    Conditions: { CreateTrail: { 'Fn::Equals': [{ Ref: 'CreateTrail' }, 'true'] } },
    Resources: {
      ApiGatewayCloudWatchRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          // IAM names are account-wide; the setting is per region.
          RoleName: sub('paymentenv-apigateway-logs-${AWS::Region}'),
          Description: 'API Gateway pushes stage access and execution logs to CloudWatch Logs',
          // The trust policy of the developer guide's CloudWatch role, as AWS documents it.
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          ManagedPolicyArns: [sub(`arn:${P}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`)],
        },
      },
      ApiGatewayAccount: {
        Type: 'AWS::ApiGateway::Account',
        Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': ['ApiGatewayCloudWatchRole', 'Arn'] } },
      },
      ...trailResources(),
    },
    Outputs: {
      ApiGatewayCloudWatchRoleArn: { Value: { 'Fn::GetAtt': ['ApiGatewayCloudWatchRole', 'Arn'] } },
    },
  };
}

/**
 * iam-peering-accepter.yaml: in the admin VPC's account, one stack per environment that peers:
 * the role the accepter side of its peering assumes (provider-upjet-aws's requester/accepter
 * pair). It may accept, and tag, only peering requests into the admin VPC.
 */
export function peeringAccepterTemplate(envNames: string[]): object {
  const peerings = `arn:${P}:ec2:*:${ACCT}:vpc-peering-connection/*`;
  const intoAdminVpc = { ArnEquals: { 'ec2:AccepterVpc': `arn:${P}:ec2:*:${ACCT}:vpc/\${AdminVpcId}` } };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'paymentenv: the role that accepts one environment\'s peering request into the admin VPC',
    Parameters: {
      Environment: { Type: 'String', AllowedValues: envNames, Description: 'The environment whose peering this role accepts' },
      ManagementAccountId: MANAGEMENT_ACCOUNT_PARAMETER,
      AdminVpcId: { Type: 'AWS::EC2::VPC::Id', Description: 'The admin VPC (the claims\' adminPeering.vpcId)' },
    },
    Resources: {
      AccepterRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          ...providerAssumedRole(SETTINGS.peeringAccepterRoleName(ENV), 'Crossplane provider-aws for ${Environment}: accepts its peering into the admin VPC'),
          Policies: [{
            PolicyName: 'accept-peering-into-admin-vpc',
            PolicyDocument: subAll({
              Version: '2012-10-17',
              Statement: [
                { Sid: 'Accept', Effect: 'Allow', Action: 'ec2:AcceptVpcPeeringConnection', Resource: peerings, Condition: intoAdminVpc },
                { Sid: 'AdminVpc', Effect: 'Allow', Action: 'ec2:AcceptVpcPeeringConnection', Resource: `arn:${P}:ec2:*:${ACCT}:vpc/\${AdminVpcId}` },
                {
                  Sid: 'TagAsEnvironment', Effect: 'Allow', Action: ['ec2:CreateTags', 'ec2:DeleteTags'], Resource: peerings,
                  Condition: { ...intoAdminVpc, StringEquals: { 'aws:RequestTag/Environment': ENV } },
                },
                { Sid: 'Read', Effect: 'Allow', Action: ['ec2:DescribeVpcPeeringConnections', 'ec2:DescribeVpcs'], Resource: '*' },
              ],
            }),
          }],
        },
      },
    },
    Outputs: { AccepterRoleArn: { Value: { 'Fn::GetAtt': ['AccepterRole', 'Arn'] } } },
  };
}

/**
 * iam-management.yaml: in the management account, the roles pods run as: the provider pods'
 * (may only assume the environments' deployer and peering accepter roles) and the drift
 * listener's (may only assume the environments' listener roles).
 */
export function managementTemplate(roleArns: string[], listenerRoleArns: string[]): object {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'paymentenv: the roles the Crossplane AWS provider pods and the drift listener run as; each may only assume its roles in the environments\' accounts',
    Parameters: {
      OidcProvider: { Type: 'String', Default: '', Description: 'IRSA: the cluster\'s OIDC issuer without https:// (empty: EKS Pod Identity only)' },
    },
    Conditions: { UseIrsa: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'OidcProvider' }, ''] }] } },
    Resources: {
      ProviderRole: podRole(SETTINGS.providerRoleName, `system:serviceaccount:${SETTINGS.crossplaneNamespace}:provider-aws-*`, 'assume-environment-deployers', roleArns),
      ListenerRole: podRole(SETTINGS.listenerRoleName, `system:serviceaccount:${SETTINGS.listenerNamespace}:${LISTENER_RBAC.serviceAccount}`, 'assume-environment-listeners', listenerRoleArns),
    },
    Outputs: {
      ProviderRoleArn: { Value: { 'Fn::GetAtt': ['ProviderRole', 'Arn'] } },
      ListenerRoleArn: { Value: { 'Fn::GetAtt': ['ListenerRole', 'Arn'] } },
    },
  };
}

/** A role pods of one service account run as (EKS Pod Identity, or IRSA), allowed only to assume `assumable`. */
function podRole(roleName: string, serviceAccount: string, policyName: string, assumable: string[]) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: roleName,
      // The IRSA statement's condition keys name the issuer: a document string, since keys cannot be intrinsics.
      AssumeRolePolicyDocument: {
        'Fn::If': ['UseIrsa',
          sub(JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              POD_IDENTITY(),
              { Effect: 'Allow', Principal: { Federated: `arn:${P}:iam::${ACCT}:oidc-provider/\${OidcProvider}` }, Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: { StringEquals: { '${OidcProvider}:aud': 'sts.amazonaws.com' }, StringLike: { '${OidcProvider}:sub': serviceAccount } } },
            ],
          })),
          { Version: '2012-10-17', Statement: [POD_IDENTITY()] }],
      },
      Policies: [{
        PolicyName: policyName,
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: assumable }] },
      }],
    },
  };
}

/** EKS Pod Identity's trust (a new object each time: a shared one becomes a YAML alias, which CloudFormation rejects) (EKS User Guide, "Pod Identity": pods.eks.amazonaws.com, AssumeRole and TagSession). */
const POD_IDENTITY = () => ({ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] });

/** Every string holding ${...} becomes Fn::Sub, so the stack's parameters fill it. */
function subAll(v: any): any {
  if (typeof v === 'string') return v.includes('${') ? sub(v) : v;
  if (Array.isArray(v)) return v.map(subAll);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subAll(x)]));
  return v;
}

/** Provider families (API groups) of composed kinds without a scope above (a new kind must be given one). */
export function unscopedGroups(): string[] {
  const scoped = new Set(Object.values(SCOPES).flatMap((s) => s.groups));
  return providerFamilies().filter((g) => !scoped.has(g));
}
