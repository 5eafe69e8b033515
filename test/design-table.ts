// The tier policy table of ../shared/DESIGN.md, transcribed by hand and kept
// apart from src/policy.ts on purpose: tests compare what the platform does
// with what the design says, so a typo in either one fails.
export const DESIGN = {
  dev: {
    natGateways: 1, dbInstanceClass: 'db.t3.medium', dbInstances: 2, backupDays: 1, billing: 'PAY_PER_REQUEST',
    ecs: [1, 5], lambdaMemory: 512, lambdaTimeout: 30, concurrency: 10, rateLimit: 100, waf: false,
    dlqDays: 3, glacierDays: 30, replication: false, logDays: 7, alarms: false, finalSnapshot: false,
  },
  staging: {
    natGateways: 1, dbInstanceClass: 'db.r6g.large', dbInstances: 2, backupDays: 7, billing: 'PAY_PER_REQUEST',
    ecs: [1, 5], lambdaMemory: 512, lambdaTimeout: 30, concurrency: 50, rateLimit: 1000, waf: false,
    dlqDays: 7, glacierDays: 30, replication: false, logDays: 30, alarms: true, finalSnapshot: false,
  },
  prod: {
    natGateways: 3, dbInstanceClass: 'db.r6g.large', dbInstances: 3, backupDays: 30, billing: 'PROVISIONED',
    ecs: [2, 10], lambdaMemory: 512, lambdaTimeout: 30, concurrency: 200, rateLimit: 10000, waf: true,
    dlqDays: 14, glacierDays: 90, replication: true, logDays: 90, alarms: true, finalSnapshot: true,
  },
} as const;

export type DesignTier = keyof typeof DESIGN;
export const DESIGN_TIERS = Object.keys(DESIGN) as DesignTier[];

/** A valid spec per tier, for building good and bad claims. */
export const GOOD_SPECS = {
  dev: {
    tier: 'dev', region: 'us-east-1', vpcCidr: '10.11.0.0/16', appImage: '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.0.0',
    apiDomain: 'api-t.payments.example.com', costCenter: 'CC-1', owner: 'team-a', dataClassification: 'internal',
  },
  staging: {
    tier: 'staging', region: 'us-east-1', vpcCidr: '10.12.0.0/16', appImage: '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.0.0',
    apiDomain: 'api-t.payments.example.com', costCenter: 'CC-1', owner: 'team-a', dataClassification: 'confidential',
    alarmEmail: 'oncall@example.com',
  },
  prod: {
    tier: 'prod', region: 'us-east-1', drRegion: 'us-west-2', vpcCidr: '10.13.0.0/16',
    appImage: `111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api@sha256:${'a'.repeat(64)}`,
    apiDomain: 'api-t.payments.example.com', costCenter: 'CC-1', owner: 'team-a', dataClassification: 'restricted',
    alarmEmail: 'oncall@example.com',
  },
} as const;
