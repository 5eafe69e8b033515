// AWS's documented rules between linked resources, checked on the rendered
// output of every tier (an emulator accepts all of these broken). Each test
// names the AWS documentation page it follows.
import { readFileSync } from 'fs';
import { parse } from 'yaml';
import { COMMON, POLICY } from '../src/policy';
import { accountId } from '../src/platform';
import { claimFile, K8sObject } from '../src/render';
import { DESIGN_TIERS } from './design-table';
import { component, renderedTiers } from './observe';

const ENVS = DESIGN_TIERS;
const { rendered, res, fp, has, all } = renderedTiers(ENVS);


describe.each(ENVS)('%s', (env) => {
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
  // "The expiration of a message is always based on its original enqueue timestamp ...
  // set the retention period of a dead-letter queue to be longer than the original queue's."
  test('SQS: the dead-letter queue keeps messages longer than its source queue', () => {
    expect(fp(env, 'dlq').messageRetentionSeconds).toBeGreaterThan(fp(env, 'queue').messageRetentionSeconds);
    expect(JSON.parse(fp(env, 'queue-redrive').redrivePolicy).maxReceiveCount).toBeGreaterThanOrEqual(1);
    expect(fp(env, 'drift-dlq').messageRetentionSeconds).toBeGreaterThan(fp(env, 'drift-queue').messageRetentionSeconds);
    expect(JSON.parse(fp(env, 'drift-queue-redrive').redrivePolicy).deadLetterTargetArn).toMatch(new RegExp(`:payment-drift-dlq-${env}$`));
  });

  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html: a target's DLQ is a
  // standard queue in the rule's account and Region; the event pattern matches CloudTrail writes
  // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
  test('EventBridge: the drift rule matches this account\'s CloudTrail writes and targets the drift queue with a DLQ', () => {
    const pattern = JSON.parse(fp(env, 'drift-rule').eventPattern);
    expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect(pattern.account).toEqual([accountId({ name: env })]);
    expect(pattern.detail.readOnly).toEqual([false]);
    const target = fp(env, 'drift-target');
    const region = fp(env, 'drift-rule').region;
    expect(region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    expect(target.arn).toMatch(new RegExp(`^arn:aws:sqs:${region}:\\d{12}:payment-drift-${env}$`));
    expect(target.deadLetterConfig.arn).toMatch(new RegExp(`^arn:aws:sqs:${region}:\\d{12}:payment-drift-dlq-${env}$`));
    expect(target.retryPolicy.maximumEventAgeInSeconds).toBeLessThanOrEqual(86400);
    for (const q of ['drift-queue', 'drift-dlq']) expect(fp(env, q).kmsMasterKeyId).toBe(`alias/payment-key-${env}`);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
  // "set the source queue's visibility timeout to at least six times the timeout of your function".
  test('Lambda + SQS: visibility timeout at least 6x the function timeout; batch size within the window-less limit', () => {
    expect(fp(env, 'queue').visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * fp(env, 'lambda').timeout);
    expect(fp(env, 'lambda-queue-trigger').batchSize).toBeLessThanOrEqual(10);
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html
  // "when you use awsvpc network mode you must choose ip as the target type".
  test('ECS + ALB: a Fargate awsvpc task registers in a target group of type ip, on the container port', () => {
    expect(fp(env, 'ecs-task-blue').networkMode).toBe('awsvpc');
    expect(fp(env, 'alb-target-group')).toMatchObject({ targetType: 'ip', port: COMMON.containerPort });
    expect(fp(env, 'ecs-service').loadBalancer[0].containerPort).toBe(COMMON.containerPort);
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html
  // (the certificate must be in the same Region as the load balancer).
  test('ALB: the HTTPS listener certificate is in the ALB\'s region and covers the API domain', () => {
    const claim = parse(readFileSync(claimFile(env), 'utf8'));
    expect(fp(env, 'certificate').region).toBe(fp(env, 'alb').region);
    expect([fp(env, 'certificate').domainName, ...fp(env, 'certificate').subjectAlternativeNames]).toContain(claim.spec.apiDomain);
    expect(fp(env, 'alb-listener-https').certificateArn).toMatch(new RegExp(`^arn:aws:acm:${fp(env, 'alb').region}:`));
  });

  // https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
  // (a KMS key is regional: a resource can only use a key in its own Region).
  test('KMS: every key a resource names is in that resource\'s region', () => {
    const wrong: string[] = [];
    for (const [name, o] of all(env)) {
      const f = o.spec?.forProvider ?? {};
      const walk = (v: any, path: string) => {
        if (!v || typeof v !== 'object') return;
        for (const [k, x] of Object.entries(v)) {
          if (/kms.*Selector$/i.test(k) && component(x)) {
            const key = res(env, component(x)!);
            const keyOrTarget = key.kind === 'Alias' ? res(env, component(key.spec.forProvider.targetKeyIdSelector)!) : key;
            // A replication rule's replica key belongs to the destination bucket's region.
            const where = path.includes('destination.') ? res(env, component(f.rule[0].destination.bucketSelector)!).spec.forProvider.region : f.region;
            if (keyOrTarget.spec.forProvider.region !== where) wrong.push(`${name}.${path}${k} -> ${component(x)} (${keyOrTarget.spec.forProvider.region})`);
          } else walk(x, `${path}${k}.`);
        }
      };
      walk(f, '');
    }
    expect(wrong).toEqual([]);
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html (SNS topic in the alarm's Region)
  // and https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
  // (the LoadBalancer dimension is app/<name>/<id>, the final part of the ARN).
  test('alarms: actions are the environment topic in the same region; the ALB alarm uses the ALB\'s ARN suffix', () => {
    const alarms = all(env).filter(([, o]) => o.kind === 'MetricAlarm');
    if (!POLICY[env as keyof typeof POLICY].alarms) return expect(alarms).toEqual([]);
    for (const [, o] of alarms) expect(o.spec.forProvider.alarmActions[0]).toMatch(new RegExp(`^arn:aws:sns:${o.spec.forProvider.region}:\\d{12}:payment-alarms-${env}$`));
    expect(fp(env, 'alarm-alb-5xx').dimensions.LoadBalancer).toMatch(new RegExp(`^app/payment-alb-${env}/[0-9a-f]+$`));
  });

  // https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html: ALBs and API Gateway REST API
  // stages take REGIONAL web ACLs (CLOUDFRONT scope is for distributions only).
  test('WAF: a REGIONAL web ACL, associated with the ALB and the API stage (prod)', () => {
    const assoc = all(env).filter(([, o]) => o.kind === 'WebACLAssociation');
    if (env !== 'prod') return expect(assoc).toEqual([]);
    expect(fp(env, 'waf').scope).toBe('REGIONAL');
    expect(assoc.map(([, o]) => o.spec.forProvider.resourceArn.split(':')[2]).sort()).toEqual(['apigateway', 'elasticloadbalancing']);
  });
});

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
// (both buckets versioned; KMS-encrypted objects need SourceSelectionCriteria and the replica key in the destination Region).
test('prod: S3 replication has versioning on both buckets and encrypts replicas with a key in drRegion', () => {
  const claim = parse(readFileSync(claimFile('prod'), 'utf8'));
  expect(fp('prod', 'audit-bucket-versioning').versioningConfiguration.status).toBe('Enabled');
  expect(fp('prod', 'audit-bucket-replica-versioning').versioningConfiguration.status).toBe('Enabled');
  const rule = fp('prod', 'audit-bucket-replication').rule[0];
  expect(rule.sourceSelectionCriteria.sseKmsEncryptedObjects.status).toBe('Enabled');
  // S3 takes the replica key as an ARN (ReplicaKmsKeyID: "Key ARN or Alias ARN"), of the DR key.
  expect(rule.destination.encryptionConfiguration.replicaKmsKeyId).toMatch(new RegExp(`^arn:aws:kms:${claim.spec.drRegion}:\\d{12}:`));
  expect(fp('prod', 'kms-key-dr').region).toBe(claim.spec.drRegion);
  expect(fp('prod', 'audit-bucket-replica').region).toBe(claim.spec.drRegion);
  expect(claim.spec.drRegion).not.toBe(claim.spec.region);
});

// https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
// "Lambda requires at least 100 units of unreserved concurrency"; the default account quota is 1,000 per Region.
test('Lambda: the tiers\' reserved concurrency together leaves the account 100 unreserved (one account and region)', () => {
  const reserved = ENVS.reduce((sum, env) => sum + fp(env, 'lambda').reservedConcurrentExecutions, 0);
  expect(reserved).toBeLessThanOrEqual(1000 - 100);
});

// Controls Prowler found missing (PCI DSS 4.0, AWS FSBP; bench/results/compliance.json), held here
// so the render proves them without an emulator.
describe.each(ENVS)('%s: compliance controls', (env) => {
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (readonlyRootFilesystem)
  test('ECS: the container\'s root filesystem is read-only (ECS.5)', () => {
    for (const c of JSON.parse(fp(env, 'ecs-task-blue').containerDefinitions)) expect(c.readonlyRootFilesystem).toBe(true);
  });
  // Prowler rds_instance_inside_vpc reads each instance's DBSubnetGroup.VpcId: every Aurora instance
  // names the cluster's subnet group (private subnets only), the one the cluster is in.
  test('Aurora: every instance is in the cluster\'s DB subnet group of private subnets (RDS.18)', () => {
    const instances = [...rendered.get(env)!.resources.keys()].filter((n) => /^db-instance-\d+$/.test(n));
    expect(instances.length).toBeGreaterThan(0);
    for (const n of instances) expect([n, component(fp(env, n).dbSubnetGroupNameSelector)]).toEqual([n, 'db-subnet-group']);
    expect(component(fp(env, 'db-cluster').dbSubnetGroupNameSelector)).toBe('db-subnet-group');
    expect(fp(env, 'db-subnet-group').subnetIdSelector.matchLabels).toEqual({ 'paymentenv.io/subnet-tier': 'private' });
  });
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html
  // The exported log lands in /aws/rds/cluster/<cluster>/postgresql: composed, with the tier's retention.
  test('Aurora: the PostgreSQL log is exported to a composed log group with retention (RDS.34)', () => {
    expect(fp(env, 'db-cluster').enabledCloudwatchLogsExports).toEqual(['postgresql']);
    const group = res(env, 'logs-db');
    expect(group.metadata.annotations['crossplane.io/external-name']).toBe(`/aws/rds/cluster/${res(env, 'db-cluster').metadata.annotations['crossplane.io/external-name']}/postgresql`);
    expect(group.spec.forProvider.retentionInDays).toBe(POLICY[parse(readFileSync(claimFile(env), 'utf8')).spec.tier as keyof typeof POLICY].logRetentionDays);
  });
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.GrantingPermissions.html
  test('RDS events: cluster failure/maintenance and parameter group changes go to the alarm topic, where there is one (RDS.19, RDS.21)', () => {
    const alarmed = rendered.get(env)!.resources.has('alarm-topic');
    expect(rendered.get(env)!.resources.has('db-events-cluster')).toBe(alarmed);
    if (!alarmed) return;
    expect(fp(env, 'db-events-cluster')).toMatchObject({ sourceType: 'db-cluster', sourceIds: [`payment-db-${env}`], enabled: true });
    expect(fp(env, 'db-events-cluster').eventCategories).toEqual(expect.arrayContaining(['failure', 'maintenance']));
    expect(fp(env, 'db-events-parameter-groups')).toMatchObject({ sourceType: 'db-parameter-group', eventCategories: ['configuration change'] });
    for (const e of ['db-events-cluster', 'db-events-parameter-groups']) expect(component(fp(env, e).snsTopicSelector)).toBe('alarm-topic');
  });
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html: the
  // destination is in the source's region and account, SSE-S3 only, no Object Lock default retention.
  test('S3: every audit bucket logs its access into an SSE-S3 log bucket of its own region (S3.9)', () => {
    for (const suffix of ['', '-replica'].filter((x) => rendered.get(env)!.resources.has(`audit-bucket${x}`))) {
      const logging = fp(env, `audit-bucket${suffix}-logging`);
      expect(component(logging.bucketSelector)).toBe(`audit-bucket${suffix}`);
      expect(component(logging.targetBucketSelector)).toBe(`access-log-bucket${suffix}`);
      expect(fp(env, `access-log-bucket${suffix}`).region).toBe(fp(env, `audit-bucket${suffix}`).region);
      expect(fp(env, `access-log-bucket${suffix}-encryption`).rule[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'AES256' });
    }
  });
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html; replication of locked
  // objects needs the destination locked and s3:GetObjectRetention/GetObjectLegalHold on the source.
  test('S3: where data is never deleted, the audit buckets are write-once for a year (PCI DSS 10.5.1)', () => {
    const tier = parse(readFileSync(claimFile(env), 'utf8')).spec.tier as keyof typeof POLICY;
    const locked = !POLICY[tier].dataDeletable;
    expect(fp(env, 'audit-bucket').objectLockEnabled).toBe(locked);
    expect(rendered.get(env)!.resources.has('audit-bucket-object-lock')).toBe(locked);
    if (!locked) return;
    expect(fp(env, 'audit-bucket-object-lock').rule.defaultRetention).toEqual({ mode: 'COMPLIANCE', days: 365 });
    if (!rendered.get(env)!.resources.has('audit-bucket-replica')) return;
    expect(fp(env, 'audit-bucket-replica').objectLockEnabled).toBe(true);
    expect(fp(env, 'audit-bucket-replica-object-lock').rule.defaultRetention).toEqual({ mode: 'COMPLIANCE', days: 365 });
  });
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html: a backup whose retention is
  // outside the lock's [MinRetentionDays, MaxRetentionDays] fails; a selection names resources by ARN
  // (https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html).
  test('AWS Backup: where the tier keeps backups, every data store is in a daily plan into a locked vault under the environment key (PCI DSS 12.10.1, DynamoDB.4, RDS.26)', () => {
    const tier = parse(readFileSync(claimFile(env), 'utf8')).spec.tier as keyof typeof POLICY;
    const days = POLICY[tier].backupRetentionDays;
    const names = ['backup-vault', 'backup-vault-lock', 'backup-plan', 'backup-selection', 'role-backup'];
    for (const n of names) expect([n, rendered.get(env)!.resources.has(n)]).toEqual([n, days !== undefined]);
    if (days === undefined) return;
    expect(component(fp(env, 'backup-vault').kmsKeyArnSelector)).toBe('kms-key');
    const lock = fp(env, 'backup-vault-lock');
    expect(component(lock.backupVaultNameSelector)).toBe('backup-vault');
    expect(lock.changeableForDays).toBeUndefined(); // governance mode
    const [rule] = fp(env, 'backup-plan').rule;
    // By the vault's name (its external name), not a selector inside the atomic rule list.
    expect(rule.targetVaultName).toBe(res(env, 'backup-vault').metadata.annotations['crossplane.io/external-name']);
    expect(rule.lifecycle.deleteAfter).toBe(days);
    expect(rule.lifecycle.deleteAfter).toBeGreaterThanOrEqual(lock.minRetentionDays);
    expect(rule.lifecycle.deleteAfter).toBeLessThanOrEqual(lock.maxRetentionDays);
    expect(rule.schedule).toMatch(/^cron\(/);
    const selection = fp(env, 'backup-selection');
    expect(component(selection.planIdSelector)).toBe('backup-plan');
    expect(component(selection.iamRoleArnSelector)).toBe('role-backup');
    const arn = (service: string, resource: string) => `arn:aws:${service}:${fp(env, 'db-cluster').region}:${accountId({ name: env })}:${resource}`;
    const ext = (n: string) => res(env, n).metadata.annotations['crossplane.io/external-name'];
    expect([...selection.resources].sort()).toEqual([
      arn('rds', `cluster:${ext('db-cluster')}`), arn('dynamodb', `table/${ext('table-sessions')}`), arn('dynamodb', `table/${ext('table-transactions')}`),
    ].sort());
    // Deleting the environment leaves the vault and its lock (no Delete management policy).
    for (const n of ['backup-vault', 'backup-vault-lock']) expect(res(env, n).spec.managementPolicies).not.toContain('Delete');
  });
});

describe.each(ENVS)('%s: Lambda in the VPC', (env) => {
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html: subnets and security groups
  // of the VPC, and the execution role's network-interface permissions.
  test('the processor runs in the private subnets behind sg-lambda, whose role may manage its interfaces', () => {
    const vpc = fp(env, 'lambda').vpcConfig;
    expect(vpc.subnetIdSelector.matchLabels['paymentenv.io/subnet-tier']).toBe('private');
    expect(component(vpc.securityGroupIdSelector)).toBe('sg-lambda');
    const actions = JSON.parse(fp(env, 'role-lambda-policy').policy).Statement.flatMap((s: any) => [].concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface']));
  });
});
