// Observability: log groups (retention by tier), the alarm topic and its
// e-mail subscription, alarms with tier thresholds (staging and prod only),
// and one dashboard per environment.
import * as cloudwatch from '../../imports/cloudwatch.aws.m.upbound.io';
import * as logs from '../../imports/cloudwatchlogs.aws.m.upbound.io';
import * as sns from '../../imports/sns.aws.m.upbound.io';
import { AlarmThresholds, tiersWhere } from '../policy';
import { ARN, arnPatch } from './security';
import { combine, combineRequired, ComposedResource, envName, EXTERNAL_NAME, externalName, fromXR, fromXRRequired, PATCHED, regexp, sel, tierValue, toXR } from './resource';

/** Log groups and where each one's name comes from. */
export const LOG_GROUPS: Record<string, string> = {
  ecs: '/payments/%s/ecs',
  lambda: '/aws/lambda/payment-processor-%s',
  api: '/payments/%s/api',
  // Where Aurora exports the PostgreSQL log (enabledCloudwatchLogsExports); composed here so it
  // carries the tier's retention and the tags, instead of RDS creating it without either.
  db: '/aws/rds/cluster/payment-db-%s/postgresql',
};

function logGroups(): ComposedResource[] {
  return Object.entries(LOG_GROUPS).map(([name, path]) => ({
    name: `logs-${name}`,
    area: 'observability' as const,
    base: logs.Group.manifest({ spec: { forProvider: { region: PATCHED } } }),
    patches: [
      envName(`metadata.annotations[${EXTERNAL_NAME}]`, path),
      tierValue('spec.forProvider.retentionInDays', (p) => p.logRetentionDays),
      ...(name === 'api' ? [toXR('status.atProvider.arn', 'status.observability.apiLogGroupArn')] : []),
    ],
  }));
}

/** The ALB's dimension value comes from its ARN, not from a name format. */
const ALB_ARN_SUFFIX = '<alb arn suffix>';

/** One alarm per row: metric, statistic, dimension and the tier threshold it reads. */
export const ALARMS: {
  name: string; namespace: string; metric: string; statistic: string; comparison: string;
  dimension: [string, string]; threshold: keyof AlarmThresholds;
}[] = [
  { name: 'rds-cpu', namespace: 'AWS/RDS', metric: 'CPUUtilization', statistic: 'Average', comparison: 'GreaterThanThreshold', dimension: ['DBClusterIdentifier', 'payment-db-%s'], threshold: 'rdsCpuPercent' },
  { name: 'lambda-errors', namespace: 'AWS/Lambda', metric: 'Errors', statistic: 'Sum', comparison: 'GreaterThanOrEqualToThreshold', dimension: ['FunctionName', 'payment-processor-%s'], threshold: 'lambdaErrors' },
  { name: 'api-4xx', namespace: 'AWS/ApiGateway', metric: '4XXError', statistic: 'Sum', comparison: 'GreaterThanOrEqualToThreshold', dimension: ['ApiName', 'payment-api-%s'], threshold: 'api4xx' },
  { name: 'api-5xx', namespace: 'AWS/ApiGateway', metric: '5XXError', statistic: 'Sum', comparison: 'GreaterThanOrEqualToThreshold', dimension: ['ApiName', 'payment-api-%s'], threshold: 'api5xx' },
  { name: 'alb-5xx', namespace: 'AWS/ApplicationELB', metric: 'HTTPCode_ELB_5XX_Count', statistic: 'Sum', comparison: 'GreaterThanOrEqualToThreshold', dimension: ['LoadBalancer', ALB_ARN_SUFFIX], threshold: 'alb5xx' },
  { name: 'dlq-depth', namespace: 'AWS/SQS', metric: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum', comparison: 'GreaterThanOrEqualToThreshold', dimension: ['QueueName', 'payment-dlq-%s'], threshold: 'dlqDepth' },
];

/**
 * The alarm topic's policy, explicit rather than SNS's default: the account manages it,
 * CloudWatch alarms of this account publish to it, nobody publishes without TLS.
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html)
 */
const TOPIC_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AccountManages', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::%[3]s:root' },
      Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:ListSubscriptionsByTopic', 'sns:Subscribe', 'sns:TagResource', 'sns:ListTagsForResource'],
      Resource: ARN.alarmTopic,
    },
    {
      Sid: 'CloudWatchAlarmsPublish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish',
      Resource: ARN.alarmTopic, Condition: { StringEquals: { 'aws:SourceAccount': '%[3]s' } },
    },
    {
      // RDS event subscriptions of this account's databases (AWS: RDS User Guide, "Granting permissions
      // to publish notifications to an Amazon SNS topic").
      Sid: 'RdsEventsPublish', Effect: 'Allow', Principal: { Service: 'events.rds.amazonaws.com' }, Action: 'sns:Publish',
      Resource: ARN.alarmTopic,
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:rds:%[1]s:%[3]s:*' }, StringEquals: { 'aws:SourceAccount': '%[3]s' } },
    },
    {
      Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish',
      Resource: ARN.alarmTopic, Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

function alarms(): ComposedResource[] {
  const tiers = tiersWhere((p) => p.alarms !== undefined);
  return [
    {
      name: 'alarm-topic',
      area: 'observability',
      tiers,
      base: sns.Topic.manifest({ spec: { forProvider: { region: PATCHED } } }),
      patches: [
        externalName('alarms'),
        envName('spec.forProvider.kmsMasterKeyId', 'alias/payment-key-%s'),
        arnPatch('spec.forProvider.policy', TOPIC_POLICY),
        toXR('status.atProvider.arn', 'status.observability.alarmTopicArn'),
      ],
    },
    {
      name: 'alarm-subscription',
      area: 'observability',
      tiers,
      tagged: false,
      base: sns.TopicSubscription.manifest({ spec: { forProvider: { region: PATCHED, protocol: 'email', topicArnSelector: sel('alarm-topic') } } }),
      patches: [fromXR('spec.alarmEmail', 'spec.forProvider.endpoint')],
    },
    ...ALARMS.map((a) => ({
      name: `alarm-${a.name}`,
      area: 'observability' as const,
      tiers,
      base: cloudwatch.MetricAlarm.manifest({
        spec: {
          forProvider: {
            region: PATCHED, namespace: a.namespace, metricName: a.metric, statistic: a.statistic, comparisonOperator: a.comparison,
            evaluationPeriods: 1, treatMissingData: 'notBreaching', okActionsSelector: sel('alarm-topic'),
          },
        },
      }),
      patches: [
        // From the XR, not a selector: the provider resolves alarmActionsSelector to
        // autoscaling Policies only (okActionsSelector does select SNS topics). Not Required:
        // patch-and-transform runs before the tier filter, and a Required patch that cannot be
        // met (dev has no topic) would keep dev's XR unready.
        fromXR('status.observability.alarmTopicArn', 'spec.forProvider.alarmActions[0]'),
        externalName(`${a.name}`),
        // ALB metrics are dimensioned by the ARN suffix app/<name>/<id>, not the name
        // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
        a.dimension[1] === ALB_ARN_SUFFIX
          ? fromXRRequired('status.alb.arn', `spec.forProvider.dimensions[${a.dimension[0]}]`, regexp('^arn:[^:]+:elasticloadbalancing:[^:]+:[^:]+:loadbalancer/(.+)$', 1))
          : envName(`spec.forProvider.dimensions[${a.dimension[0]}]`, a.dimension[1]),
        tierValue('spec.forProvider.threshold', (p) => p.alarms?.[a.threshold] ?? 0),
        tierValue('spec.forProvider.period', (p) => p.alarms?.periodSeconds ?? 0),
      ],
    })),
  ];
}

function dashboard(): ComposedResource {
  const widget = (title: string, namespace: string, metric: string, dim: string, value: string, y: number, stat = 'Sum') => ({
    type: 'metric', x: 0, y, width: 24, height: 6,
    properties: { title, region: '%[2]s', stat, period: 300, metrics: [[namespace, metric, dim, value]] },
  });
  const body = {
    widgets: [
      widget('API requests', 'AWS/ApiGateway', 'Count', 'ApiName', 'payment-api-%[1]s', 0),
      // Dimensioned by the ARN suffix app/<name>/<id>, as the alarm is (load-balancer-cloudwatch-metrics.html).
      widget('ALB 5xx', 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', 'LoadBalancer', '%[3]s', 6),
      widget('Lambda errors', 'AWS/Lambda', 'Errors', 'FunctionName', 'payment-processor-%[1]s', 12),
      widget('DLQ depth', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'payment-dlq-%[1]s', 18),
      widget('DB CPU', 'AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', 'payment-db-%[1]s', 24, 'Average'),
    ],
  };
  return {
    name: 'dashboard',
    area: 'observability',
    tagged: false,
    base: cloudwatch.Dashboard.manifest({ spec: { forProvider: { region: PATCHED } } }),
    patches: [
      externalName('dashboard'),
      combineRequired('spec.forProvider.dashboardBody', JSON.stringify(body), 'metadata.name', 'spec.region', 'status.alb.arnSuffix'),
    ],
  };
}

export function observability(): ComposedResource[] {
  return [...logGroups(), ...alarms(), dashboard()];
}
