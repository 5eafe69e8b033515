// The tier policy: every value that differs between dev, staging and prod,
// in one typed table (../shared/DESIGN.md "Tier policy"). The Composition maps
// spec.tier through these values (map transforms); tests and `payenv parity`
// read the same table. Nothing here is typed twice.
import { Tier, TIERS } from './schema';

export interface TierPolicy {
  /** NAT gateways: one shared, or one per AZ. Seeds 000, 003. */
  readonly natGateways: 1 | 3;
  /** Aurora PostgreSQL instance class. Seed 000. */
  readonly dbInstanceClass: string;
  /** Aurora instances in the cluster (writer + readers). Seeds 000, 002. */
  readonly dbInstances: number;
  /** Aurora automated backup retention, days. Seeds 000, 002. */
  readonly dbBackupRetentionDays: number;
  /** Final snapshot on delete (prod) or skipped (dev/staging are destroyable). Seed 001. */
  readonly dbSkipFinalSnapshot: boolean;
  /** DynamoDB billing: on-demand, or provisioned 5/5 with autoscaling. Seeds 001, 004. */
  readonly dynamoBillingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /** DynamoDB provisioned capacity floor and autoscaling ceiling (prod only). */
  readonly dynamoCapacity: { readonly min: number; readonly max: number } | undefined;
  /** ECS Fargate service autoscaling bounds (CPU target tracking). Seed 000. */
  readonly ecsMin: number;
  readonly ecsMax: number;
  /** Lambda reserved concurrency. Seed 004. */
  readonly lambdaReservedConcurrency: number;
  /** API Gateway stage throttling: steady rate (rps) and burst. Seed 001. */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  /** WAFv2 web ACL on the API stage and the ALB. Seed 004. */
  readonly waf: boolean;
  /** SQS dead-letter queue retention, days. Seed 001. */
  readonly dlqRetentionDays: number;
  /** S3 audit logs move to Glacier after, days. Seed 001. */
  readonly glacierAfterDays: number;
  /** S3 audit logs replicate to spec.drRegion. Seed 000. */
  readonly replication: boolean;
  /** CloudWatch log retention, days. Seeds 003, 004. */
  readonly logRetentionDays: number;
  /** CloudWatch alarms and their thresholds; undefined: no alarms. Seeds 001, 004. */
  readonly alarms: AlarmThresholds | undefined;
  /** Data stores (DB, tables, bucket) may be deleted by Crossplane. Seed 001. */
  readonly dataDeletable: boolean;
  /**
   * `payenv plan` refuses a change that deletes or replaces a data store (DB cluster and
   * instances, tables, buckets, keys, backup vault) or removes the environment, unless the
   * claim accepts it by name (annotation paymentenv.io/accept-data-change). Issue #36.
   */
  readonly planGuardsData: boolean;
  /**
   * AWS Backup: daily recovery points of the DB cluster and tables in a locked vault, kept this
   * many days; undefined: the stores' own continuous backups only (Aurora retention, DynamoDB
   * PITR). Not in the seeds: PCI DSS 12.10.1 / AWS FSBP DynamoDB.4 and RDS.26 ask for a plan.
   */
  readonly backupRetentionDays: number | undefined;
}

export interface AlarmThresholds {
  /** RDS CPUUtilization average, percent. */
  readonly rdsCpuPercent: number;
  /** Lambda Errors sum per period. */
  readonly lambdaErrors: number;
  /** API Gateway 4XXError and 5XXError sums per period. */
  readonly api4xx: number;
  readonly api5xx: number;
  /** ALB HTTPCode_ELB_5XX_Count sum per period. */
  readonly alb5xx: number;
  /** DLQ ApproximateNumberOfMessagesVisible maximum. */
  readonly dlqDepth: number;
  /** Evaluation period, seconds. */
  readonly periodSeconds: number;
}

/** Values every tier shares; kept here so the Composition reads one place. */
export const COMMON = {
  azCount: 3,
  lambdaMemoryMb: 512,
  lambdaTimeoutSeconds: 30,
  // Shorter than every tier's DLQ retention (3 days in dev): AWS counts a message's age from its
  // first enqueue, so a DLQ must keep messages longer than its source queue.
  queueRetentionSeconds: 2 * 24 * 3600,
  queueVisibilityTimeoutSeconds: 180, // 6x the Lambda timeout, as AWS advises.
  dlqMaxReceiveCount: 5,
  ecsCpuTargetPercent: 70,
  dynamoTargetUtilizationPercent: 70,
  taskCpu: '512',
  taskMemory: '1024',
  containerPort: 8080,
  engineVersion: '16.4',
  project: 'payments',
  managedBy: 'crossplane',
  // Where data is never deleted (prod), audit objects are write-once for this long: PCI DSS
  // 10.5.1 keeps audit log history at least 12 months. COMPLIANCE mode: nobody, root included,
  // shortens it or deletes a locked version before it ends.
  auditLockDays: 365,
  // AWS Backup: every day at 05:00 UTC (AWS Backup's default window), started within 1 h, done within 3 h.
  backupSchedule: 'cron(0 5 ? * * *)',
  backupStartWindowMinutes: 60,
  backupCompletionWindowMinutes: 180,
  // Drift events (composition/events.ts): one that waited a day is long since found by the
  // providers' poll; the DLQ keeps what failed for SQS's maximum, 14 days, to be looked at.
  driftRetentionSeconds: 24 * 3600,
  driftDlqRetentionSeconds: 14 * 24 * 3600,
  driftVisibilityTimeoutSeconds: 60,
} as const;

export const POLICY: Record<Tier, TierPolicy> = {
  dev: {
    natGateways: 1,
    dbInstanceClass: 'db.t3.medium',
    dbInstances: 2,
    dbBackupRetentionDays: 1,
    dbSkipFinalSnapshot: true,
    dynamoBillingMode: 'PAY_PER_REQUEST',
    dynamoCapacity: undefined,
    ecsMin: 1,
    ecsMax: 5,
    lambdaReservedConcurrency: 10,
    apiRateLimit: 100,
    apiBurstLimit: 200,
    waf: false,
    dlqRetentionDays: 3,
    glacierAfterDays: 30,
    replication: false,
    logRetentionDays: 7,
    alarms: undefined,
    dataDeletable: true,
    planGuardsData: false,
    backupRetentionDays: undefined,
  },
  staging: {
    natGateways: 1,
    dbInstanceClass: 'db.r6g.large',
    dbInstances: 2,
    dbBackupRetentionDays: 7,
    dbSkipFinalSnapshot: true,
    dynamoBillingMode: 'PAY_PER_REQUEST',
    dynamoCapacity: undefined,
    ecsMin: 1,
    ecsMax: 5,
    lambdaReservedConcurrency: 50,
    apiRateLimit: 1000,
    apiBurstLimit: 2000,
    waf: false,
    dlqRetentionDays: 7,
    glacierAfterDays: 30,
    replication: false,
    logRetentionDays: 30,
    alarms: { rdsCpuPercent: 80, lambdaErrors: 10, api4xx: 100, api5xx: 10, alb5xx: 10, dlqDepth: 10, periodSeconds: 300 },
    dataDeletable: true,
    planGuardsData: true,
    backupRetentionDays: undefined,
  },
  prod: {
    natGateways: 3,
    dbInstanceClass: 'db.r6g.large',
    dbInstances: 3,
    dbBackupRetentionDays: 30,
    dbSkipFinalSnapshot: false,
    dynamoBillingMode: 'PROVISIONED',
    dynamoCapacity: { min: 5, max: 100 },
    ecsMin: 2,
    ecsMax: 10,
    lambdaReservedConcurrency: 200,
    apiRateLimit: 10000,
    // A stage's limits take effect only within the account's per-Region quota (10,000 rps, burst
    // 5,000 by default: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
    apiBurstLimit: 5000,
    waf: true,
    dlqRetentionDays: 14,
    glacierAfterDays: 90,
    replication: true,
    logRetentionDays: 90,
    alarms: { rdsCpuPercent: 70, lambdaErrors: 1, api4xx: 50, api5xx: 1, alb5xx: 1, dlqDepth: 1, periodSeconds: 60 },
    dataDeletable: false,
    planGuardsData: true,
    // Longer than Aurora's own 30 days, so a month-old mistake is still recoverable.
    backupRetentionDays: 35,
  },
};

/** A map transform input for one policy value: { dev: v, staging: v, prod: v }. */
export function byTier<T>(pick: (p: TierPolicy) => T): Record<Tier, T> {
  return Object.fromEntries(TIERS.map((t) => [t, pick(POLICY[t])])) as Record<Tier, T>;
}

/** The tiers for which a resource exists (for conditional composition). */
export function tiersWhere(pred: (p: TierPolicy) => boolean): Tier[] {
  return TIERS.filter((t) => pred(POLICY[t]));
}
