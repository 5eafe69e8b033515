// Drift events: the environment's AWS change events, delivered to a queue of its own for the
// drift listener (src/listener/). CloudTrail records every write call (the account's trail,
// dist/bootstrap/iam-environment.yaml) and puts it on the region's default event bus as
// "AWS API Call via CloudTrail"; this rule matches the writes to the services the environment
// uses and sends them to an encrypted queue with a DLQ. The providers' slow poll stays the
// safety net: IAM's events arrive in us-east-1 only, and drRegion's in drRegion.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
import * as events from '../../imports/cloudwatchevents.aws.m.upbound.io';
import * as sqs from '../../imports/sqs.aws.m.upbound.io';
import { COMMON } from '../policy';
import { ComposedResource, envName, fromXRRequired, identityViaXR, PATCHED, sel, toXR } from './resource';
import { arnPatch } from './security';
import { redrive } from './storage';

/** CloudTrail's eventSource of each provider family the Composition uses (the service's endpoint prefix). */
export const EVENT_SOURCES: Record<string, string> = {
  acm: 'acm.amazonaws.com',
  apigateway: 'apigateway.amazonaws.com',
  appautoscaling: 'application-autoscaling.amazonaws.com',
  backup: 'backup.amazonaws.com',
  cloudwatch: 'monitoring.amazonaws.com',
  cloudwatchevents: 'events.amazonaws.com',
  cloudwatchlogs: 'logs.amazonaws.com',
  dynamodb: 'dynamodb.amazonaws.com',
  ec2: 'ec2.amazonaws.com',
  ecs: 'ecs.amazonaws.com',
  elbv2: 'elasticloadbalancing.amazonaws.com',
  iam: 'iam.amazonaws.com',
  kms: 'kms.amazonaws.com',
  lambda: 'lambda.amazonaws.com',
  rds: 'rds.amazonaws.com',
  s3: 's3.amazonaws.com',
  sns: 'sns.amazonaws.com',
  sqs: 'sqs.amazonaws.com',
  ssm: 'ssm.amazonaws.com',
  wafv2: 'wafv2.amazonaws.com',
};

/** Names of the rule and queues, over (%[1]s region, %[2]s env, %[3]s account). */
export const DRIFT_RULE_ARN = 'arn:aws:events:%[1]s:%[3]s:rule/payment-drift-%[2]s';
export const DRIFT_QUEUE_ARN = 'arn:aws:sqs:%[1]s:%[3]s:payment-drift-%[2]s';
export const DRIFT_DLQ_ARN = 'arn:aws:sqs:%[1]s:%[3]s:payment-drift-dlq-%[2]s';

/**
 * Write calls (readOnly false) in the environment's account to the services it uses. Shared
 * accounts: every environment's rule matches the account's calls; the listener acts once per
 * event id, on the resource that owns what the call named.
 */
export const DRIFT_PATTERN = JSON.stringify({
  'detail-type': ['AWS API Call via CloudTrail'],
  'account': ['%[3]s'],
  'detail': { readOnly: [false], eventSource: Object.values(EVENT_SOURCES).sort() },
});

/** Only this environment's rule may send to its queues (EventBridge's SQS target permissions). */
const fromRule = (queueArn: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'EventBridgeRuleSends', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' },
    Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': DRIFT_RULE_ARN } },
  }],
});

export function driftEvents(): ComposedResource[] {
  // SSE-KMS with the environment key, whose policy lets events.amazonaws.com use it (security.ts).
  const queue = { region: PATCHED, sqsManagedSseEnabled: false, visibilityTimeoutSeconds: COMMON.driftVisibilityTimeoutSeconds };
  return [
    {
      name: 'drift-queue',
      area: 'observability',
      lateInitialize: false,
      base: sqs.Queue.manifest({ spec: { forProvider: { ...queue, messageRetentionSeconds: COMMON.driftRetentionSeconds } } }),
      patches: [
        envName('spec.forProvider.name', 'payment-drift-%s'),
        envName('spec.forProvider.kmsMasterKeyId', 'alias/payment-key-%s'),
        ...identityViaXR('url', 'status.driftEvents.queueUrl'),
        toXR('status.atProvider.arn', 'status.driftEvents.queueArn'),
      ],
    },
    {
      // Events EventBridge could not deliver (its target DLQ) and messages the listener failed on.
      name: 'drift-dlq',
      area: 'observability',
      base: sqs.Queue.manifest({ spec: { forProvider: { ...queue, messageRetentionSeconds: COMMON.driftDlqRetentionSeconds } } }),
      patches: [
        envName('spec.forProvider.name', 'payment-drift-dlq-%s'),
        envName('spec.forProvider.kmsMasterKeyId', 'alias/payment-key-%s'),
        toXR('status.atProvider.arn', 'status.driftEvents.dlqArn'),
      ],
    },
    redrive('drift-queue-redrive', 'observability', 'drift-queue', 'status.driftEvents.dlqArn'),
    ...(['drift-queue', 'drift-dlq'] as const).map((q) => ({
      name: `${q}-policy`,
      area: 'observability' as const,
      tagged: false,
      base: sqs.QueuePolicy.manifest({ spec: { forProvider: { region: PATCHED, queueUrlSelector: sel(q), policy: PATCHED } } }),
      patches: [arnPatch('spec.forProvider.policy', fromRule(q === 'drift-queue' ? DRIFT_QUEUE_ARN : DRIFT_DLQ_ARN))],
    })),
    {
      name: 'drift-rule',
      area: 'observability',
      base: events.Rule.manifest({ spec: { forProvider: { region: PATCHED, eventBusName: 'default', state: 'ENABLED', description: 'AWS API writes to the environment\'s services, for the drift listener' } } }),
      patches: [
        envName('metadata.annotations[crossplane.io/external-name]', 'payment-drift-%s'),
        arnPatch('spec.forProvider.eventPattern', DRIFT_PATTERN),
      ],
    },
    {
      name: 'drift-target',
      area: 'observability',
      tagged: false,
      base: events.Target.manifest({
        spec: {
          forProvider: {
            region: PATCHED, eventBusName: 'default', ruleSelector: sel('drift-rule'), targetId: 'drift-queue',
            // An event older than the poll interval is found by the poll anyway; past an hour it goes to the DLQ.
            retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
          },
        },
      }),
      patches: [
        fromXRRequired('status.driftEvents.queueArn', 'spec.forProvider.arn'),
        fromXRRequired('status.driftEvents.dlqArn', 'spec.forProvider.deadLetterConfig.arn'),
      ],
    },
  ];
}
