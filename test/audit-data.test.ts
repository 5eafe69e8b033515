// The real-account audit of the data kinds (src/audit/data.ts): AWS's documented constraints on
// the fields the Composition sets for RDS, DynamoDB, S3, KMS and AWS Backup, checked on the
// rendered output of every tier (the emulator accepts most of these broken). Each test names the
// AWS documentation page it follows.
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { moduleDir } from '../src/dev/cluster';
import { accountId } from '../src/platform';
import { COMMON, POLICY, TierPolicy } from '../src/policy';
import { claimFile, K8sObject } from '../src/render';
import { PINS } from '../src/versions';
import { DESIGN_TIERS } from './design-table';
import { component, renderedTiers } from './observe';

const ENVS = DESIGN_TIERS;
const { rendered, res, fp, has, all } = renderedTiers(ENVS);

const kindOf = (o: K8sObject) => `${o.apiVersion.split('.')[0]}/${o.kind}`;
const ofKind = (env: string, kind: string) => all(env).filter(([, o]) => kindOf(o) === kind);
const ext = (env: string, name: string): string => res(env, name).metadata.annotations?.['crossplane.io/external-name'] ?? '';
const policyOf = (env: string): TierPolicy => POLICY[parse(readFileSync(claimFile(env), 'utf8')).spec.tier as keyof typeof POLICY];
const regionOfArn = (arn: string) => arn.split(':')[3];
const instances = (env: string) => all(env).filter(([n]) => /^db-instance-\d+$/.test(n));

// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.VersionPolicy.Upgrading.html:
// with automatic minor version upgrades Aurora moves the cluster to a newer minor version, and RDS
// does not downgrade (ModifyDBCluster's EngineVersion is the version "to which you want to upgrade").
// The cluster pins COMMON.engineVersion: provider-aws v2.5.0's custom diff for aws_rds_cluster drops an
// engine_version change that is not an upgrade, so Crossplane never asks RDS for the downgrade.
test('Aurora: provider-aws drops an engine_version diff that would be a downgrade after an automatic minor upgrade', () => {
  const src = readFileSync(join(moduleDir('github.com/upbound/provider-aws/v2', PINS.PROVIDER_AWS_VERSION), 'config', 'namespaced', 'rds', 'config.go'), 'utf8');
  const start = src.indexOf('p.AddResourceConfigurator("aws_rds_cluster",');
  expect(start).toBeGreaterThanOrEqual(0);
  const cluster = src.slice(start, src.indexOf('p.AddResourceConfigurator(', start + 1));
  expect(cluster).toMatch(/TerraformCustomDiff[\s\S]*utils\.CompareEngineVersions\(evDiff\.New, evDiff\.Old\)\s*if c <= 0 \{\s*delete\(diff\.Attributes, "engine_version"\)/);
  for (const env of ENVS) expect(fp(env, 'db-cluster').engineVersion).toBe(COMMON.engineVersion);
});

describe.each(ENVS)('%s', (env) => {
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.VersionPolicy.Upgrading.html
  // "Aurora performs the automatic upgrade only if the setting is turned on for all DB instances in the
  // cluster"; an instance's engine is its cluster's (CreateDBInstance: "must match the DB cluster").
  test('Aurora: every instance of the cluster has automatic minor version upgrades on and the cluster engine', () => {
    const cluster = fp(env, 'db-cluster');
    expect(instances(env)).toHaveLength(policyOf(env).dbInstances);
    for (const [n, o] of instances(env)) {
      expect([n, o.spec.forProvider.autoMinorVersionUpgrade, o.spec.forProvider.engine]).toEqual([n, true, cluster.engine]);
    }
    expect(cluster.autoMinorVersionUpgrade).not.toBe(false);
  });

  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
  // BackupRetentionPeriod: "Must be a value from 1 to 35."
  test('Aurora: automated backup retention is 1 to 35 days', () => {
    const days = fp(env, 'db-cluster').backupRetentionPeriod;
    expect(Number.isInteger(days)).toBe(true);
    expect(days).toBeGreaterThanOrEqual(1);
    expect(days).toBeLessThanOrEqual(35);
  });

  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html: MasterUsername
  // 1 to 16 characters, first a letter, not a reserved word ("admin" and "rdsadmin" are refused by
  // aurora-postgresql); DatabaseName starts with a letter, at most 63 characters for PostgreSQL;
  // ManageMasterUserPassword can't be combined with MasterUserPassword.
  test('Aurora: master user name and database name fit the engine, and RDS manages the master password', () => {
    const c = fp(env, 'db-cluster');
    expect(c.masterUsername).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,15}$/);
    expect(['admin', 'rdsadmin', 'postgres']).not.toContain(c.masterUsername.toLowerCase());
    expect(c.databaseName).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,62}$/);
    expect(c.manageMasterUserPassword).toBe(true);
    expect([c.masterPasswordSecretRef, c.autoGeneratePassword]).toEqual([undefined, undefined]);
  });

  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html
  // FinalDBSnapshotIdentifier: required when SkipFinalSnapshot is disabled; 1 to 255 letters, numbers
  // or hyphens, first character a letter, no trailing or two consecutive hyphens.
  test('Aurora: a final snapshot identifier is given wherever the cluster takes a final snapshot', () => {
    const c = fp(env, 'db-cluster');
    expect(c.skipFinalSnapshot).toBe(policyOf(env).dbSkipFinalSnapshot);
    if (c.skipFinalSnapshot) return;
    expect(c.finalSnapshotIdentifier).toMatch(/^[A-Za-z][A-Za-z0-9-]{0,254}$/);
    expect(c.finalSnapshotIdentifier.endsWith('-') || c.finalSnapshotIdentifier.includes('--')).toBe(false);
  });

  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html:
  // a DB subnet group has subnets in at least two Availability Zones of the Region; an instance's AZ
  // must be one of them. CreateDBSubnetGroup requires a description. Subnets are placed by AZ ID; the
  // XR carries the zone name each private subnet got (status.network.availabilityZones).
  test('RDS: the DB subnet group spans at least two AZs, every instance AZ among them', () => {
    const group = fp(env, 'db-subnet-group');
    const labels: Record<string, string> = group.subnetIdSelector.matchLabels;
    expect(Object.keys(labels).length).toBeGreaterThan(0);
    const subnets = ofKind(env, 'ec2/Subnet').filter(([, o]) => Object.entries(labels).every(([k, v]) => o.metadata.labels?.[k] === v));
    const zones = new Set(subnets.map(([, o]) => (o.spec.forProvider.availabilityZoneId ?? o.spec.forProvider.availabilityZone) as string));
    expect(zones.size).toBeGreaterThanOrEqual(2);
    const names: string[] = rendered.get(env)!.xr.status.network.availabilityZones;
    expect(new Set(names).size).toBe(zones.size);
    for (const [n, o] of instances(env)) expect([n, names.includes(o.spec.forProvider.availabilityZone)]).toEqual([n, true]);
    expect(group.description).toMatch(/\S/);
  });

  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html: every
  // AttributeDefinition must be used by the key schema or an index ("Some AttributeDefinitions are
  // not used"); AttributeType is S, N or B.
  test('DynamoDB: every attribute definition is a key attribute of type S, N or B', () => {
    for (const t of ['table-sessions', 'table-transactions']) {
      const f = fp(env, t);
      const keys = [f.hashKey, f.rangeKey,
        ...(f.globalSecondaryIndex ?? []).flatMap((i: any) => [i.hashKey, i.rangeKey]),
        ...(f.localSecondaryIndex ?? []).map((i: any) => i.rangeKey)].filter(Boolean);
      expect([t, [...new Set(f.attribute.map((a: any) => a.name))].sort()]).toEqual([t, [...new Set(keys)].sort()]);
      for (const a of f.attribute) expect(['S', 'N', 'B']).toContain(a.type);
    }
  });

  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html: Application Auto
  // Scaling changes a table's provisioned throughput itself; https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html:
  // decreases per table and day are limited. The capacity is set at creation only (initProvider: never
  // compared again) and never late-initialized into forProvider, where the next observe would put a scale-out back.
  test('DynamoDB: provisioned capacity is set at creation only (spec.initProvider, no LateInitialize), where Application Auto Scaling owns it', () => {
    const capacity = policyOf(env).dynamoCapacity;
    const tables = ofKind(env, 'dynamodb/Table');
    expect(tables.length).toBe(2);
    for (const [n, o] of tables) {
      expect([n, o.spec.forProvider.readCapacity, o.spec.forProvider.writeCapacity]).toEqual([n, undefined, undefined]);
      const policies: string[] = o.spec.managementPolicies ?? ['*'];
      expect([n, policies.includes('LateInitialize') || policies.includes('*')]).toEqual([n, false]);
      const init = o.spec.initProvider ?? {};
      if (!capacity) {
        expect([n, init.readCapacity, init.writeCapacity, has(env, `${n}-read-target`)]).toEqual([n, undefined, undefined, false]);
        continue;
      }
      expect([n, init.readCapacity, init.writeCapacity]).toEqual([n, capacity.min, capacity.min]);
      for (const dim of ['read', 'write']) {
        expect([n, dim, fp(env, `${n}-${dim}-target`).minCapacity, fp(env, `${n}-${dim}-target`).maxCapacity]).toEqual([n, dim, capacity.min, capacity.max]);
      }
    }
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html and
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html: the KMS key
  // must be in the same Region as the bucket or table. An S3 Bucket Key applies to SSE-KMS only.
  test('KMS: keys given by ARN (table and bucket default encryption) are in the region of the resource', () => {
    for (const t of ['table-sessions', 'table-transactions']) {
      expect([t, regionOfArn(fp(env, t).serverSideEncryption.kmsKeyArn)]).toEqual([t, fp(env, t).region]);
    }
    const sse = ofKind(env, 's3/BucketServerSideEncryptionConfiguration');
    expect(sse.length).toBeGreaterThan(0);
    for (const [n, o] of sse) {
      const f = o.spec.forProvider;
      const rule = f.rule[0];
      const d = rule.applyServerSideEncryptionByDefault;
      expect([n, f.region]).toEqual([n, fp(env, component(f.bucketSelector)!).region]);
      if (d.sseAlgorithm === 'aws:kms') {
        expect([n, regionOfArn(d.kmsMasterKeyId), rule.bucketKeyEnabled]).toEqual([n, f.region, true]);
      } else {
        expect([n, d.sseAlgorithm, d.kmsMasterKeyId, rule.bucketKeyEnabled]).toEqual([n, 'AES256', undefined, undefined]);
      }
    }
  });

  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html (table
  // names: 3-255 of a-z A-Z 0-9 _ - .); https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html
  // (at most 255 letters, numbers, periods, underscores, spaces or hyphens, not "default");
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateEventSubscription.html (less than
  // 255 characters); https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html and
  // API_BackupSelection.html (vault ^[a-zA-Z0-9\-\_]{2,50}$, rule and selection ^[a-zA-Z0-9\-\_\.]{1,50}$).
  test('names of tables, the DB subnet group, event subscriptions and AWS Backup fit their naming rules', () => {
    for (const t of ['table-sessions', 'table-transactions']) expect(ext(env, t)).toMatch(/^[a-zA-Z0-9_.-]{3,255}$/);
    const group = ext(env, 'db-subnet-group');
    expect(group).toMatch(/^[a-zA-Z0-9._ -]{1,255}$/);
    expect(group.toLowerCase()).not.toBe('default');
    for (const [n] of ofKind(env, 'rds/EventSubscription')) expect(ext(env, n).length).toBeLessThan(255);
    if (!has(env, 'backup-plan')) return expect(policyOf(env).backupRetentionDays).toBeUndefined();
    expect(ext(env, 'backup-vault')).toMatch(/^[a-zA-Z0-9\-_]{2,50}$/);
    expect(fp(env, 'backup-plan').name).toMatch(/^[a-zA-Z0-9\-_.]{1,50}$/);
    for (const r of fp(env, 'backup-plan').rule) {
      expect(r.ruleName).toMatch(/^[a-zA-Z0-9\-_.]{1,50}$/);
      expect(r.targetVaultName).toMatch(/^[a-zA-Z0-9\-_]{2,50}$/);
    }
    expect(fp(env, 'backup-selection').name).toMatch(/^[a-zA-Z0-9\-_.]{1,50}$/);
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html: Object Lock works only in
  // versioned buckets, and versioning can't be suspended on a bucket with Object Lock;
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html (versioned buckets).
  test('S3: every bucket has versioning Enabled, so Object Lock and replication can hold', () => {
    const buckets = ofKind(env, 's3/Bucket');
    expect(buckets.length).toBeGreaterThan(0);
    expect(buckets.some(([, o]) => o.spec.forProvider.objectLockEnabled === true)).toBe(!policyOf(env).dataDeletable);
    for (const [n] of buckets) {
      const v = ofKind(env, 's3/BucketVersioning').filter(([, o]) => component(o.spec.forProvider.bucketSelector) === n);
      expect([n, v.map(([, o]) => o.spec.forProvider.versioningConfiguration.status)]).toEqual([n, ['Enabled']]);
    }
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html ("Days ... must be a
  // non-zero positive integer"), API_Transition.html (Days a positive integer, a known StorageClass),
  // API_NoncurrentVersionExpiration.html (NoncurrentDays); rule Status Enabled or Disabled, ID up to 255.
  test('S3: lifecycle rules use whole positive days', () => {
    const lifecycles = ofKind(env, 's3/BucketLifecycleConfiguration');
    expect(lifecycles.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    const whole = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;
    for (const [n, o] of lifecycles) {
      for (const r of o.spec.forProvider.rule) {
        if (!['Enabled', 'Disabled'].includes(r.status) || !(r.id ?? '').length || r.id.length > 255) wrong.push(`${n}: ${r.id} ${r.status}`);
        for (const e of r.expiration ?? []) if (e.days !== undefined && !whole(e.days, 1)) wrong.push(`${n}: expiration ${e.days}`);
        for (const t of r.transition ?? []) {
          if (!whole(t.days, 0) || !['STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'].includes(t.storageClass)) wrong.push(`${n}: transition ${t.days} ${t.storageClass}`);
        }
        for (const x of r.noncurrentVersionExpiration ?? []) if (!whole(x.noncurrentDays, 1)) wrong.push(`${n}: noncurrent ${x.noncurrentDays}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html: the
  // destination bucket must not have an Object Lock default retention period, and with the bucket owner
  // enforced setting (ACLs disabled) log delivery is granted by bucket policy, not by target grants
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
  test('S3: access-log buckets have no Object Lock default retention and take no ACL grants (bucket owner enforced)', () => {
    const loggings = ofKind(env, 's3/BucketLogging');
    expect(loggings.length).toBeGreaterThan(0);
    for (const [n, o] of loggings) {
      const target = component(o.spec.forProvider.targetBucketSelector)!;
      const locks = ofKind(env, 's3/BucketObjectLockConfiguration').filter(([, l]) => component(l.spec.forProvider.bucketSelector) === target);
      expect([n, locks.map(([l]) => l)]).toEqual([n, []]);
      expect([n, o.spec.forProvider.targetGrant]).toEqual([n, undefined]);
      const ownership = ofKind(env, 's3/BucketOwnershipControls').filter(([, w]) => component(w.spec.forProvider.bucketSelector) === target);
      expect([n, ownership.map(([, w]) => w.spec.forProvider.rule.objectOwnership)]).toEqual([n, ['BucketOwnerEnforced']]);
    }
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html: "Bucket policies are
  // limited to 20 KB in size."
  test('S3: every bucket policy is at most 20 KB', () => {
    const policies = ofKind(env, 's3/BucketPolicy');
    expect(policies.length).toBeGreaterThan(0);
    for (const [n, o] of policies) expect([n, Buffer.byteLength(o.spec.forProvider.policy, 'utf8') <= 20 * 1024]).toEqual([n, true]);
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html:
  // with BlockPublicPolicy, PutBucketPolicy is refused if the policy is public (an Allow to "*").
  test('S3: Block Public Access is on for every bucket and no bucket policy allows a public principal', () => {
    for (const [n] of ofKind(env, 's3/Bucket')) {
      const blocks = ofKind(env, 's3/BucketPublicAccessBlock').filter(([, o]) => component(o.spec.forProvider.bucketSelector) === n);
      expect([n, blocks.map(([, o]) => o.spec.forProvider.blockPublicPolicy)]).toEqual([n, [true]]);
    }
    for (const [n, o] of ofKind(env, 's3/BucketPolicy')) {
      for (const s of JSON.parse(o.spec.forProvider.policy).Statement.filter((x: any) => x.Effect === 'Allow')) {
        const principals = typeof s.Principal === 'string' ? [s.Principal] : Object.values(s.Principal ?? {}).flat();
        expect([n, s.Sid, principals.length > 0 && !principals.includes('*')]).toEqual([n, s.Sid, true]);
      }
    }
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html: a rule with a
  // Filter (the V2 schema) must state DeleteMarkerReplication, and rules carry distinct priorities.
  test('S3: the replication rule is a filtered rule that states delete marker replication', () => {
    if (!has(env, 'audit-bucket-replication')) return expect(policyOf(env).replication).toBe(false);
    const rules = fp(env, 'audit-bucket-replication').rule;
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      expect(r.filter).toBeDefined();
      expect(['Enabled', 'Disabled']).toContain(r.deleteMarkerReplication.status);
      expect(r.status).toBe('Enabled');
    }
    if (rules.length > 1) expect(new Set(rules.map((r: any) => r.priority)).size).toBe(rules.length);
  });

  // https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html (PendingWindowInDays
  // 7 to 30) and https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html (automatic
  // rotation is for symmetric encryption keys only; a rotation period of 90 to 2560 days).
  test('KMS: keys are symmetric with rotation on and a deletion window of 7 to 30 days', () => {
    const keys = ofKind(env, 'kms/Key');
    expect(keys.length).toBeGreaterThan(0);
    for (const [n, o] of keys) {
      const f = o.spec.forProvider;
      expect([n, Number.isInteger(f.deletionWindowInDays) && f.deletionWindowInDays >= 7 && f.deletionWindowInDays <= 30]).toEqual([n, true]);
      expect([n, f.enableKeyRotation]).toEqual([n, true]);
      expect([n, f.customerMasterKeySpec ?? f.keySpec ?? 'SYMMETRIC_DEFAULT', f.keyUsage ?? 'ENCRYPT_DECRYPT']).toEqual([n, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT']);
      if (f.rotationPeriodInDays !== undefined) expect(f.rotationPeriodInDays >= 90 && f.rotationPeriodInDays <= 2560).toBe(true);
      expect((f.description ?? '').length).toBeLessThanOrEqual(8192);
    }
  });

  // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html: a key policy is at most
  // 32768 bytes, and without BypassPolicyLockoutSafetyCheck it must let the principal making the request
  // (here: the account's IAM, through the root principal) administer the key later.
  test('KMS: key policies are at most 32 KB and let the account administer the key', () => {
    const root = `arn:aws:iam::${accountId({ name: env })}:root`;
    for (const [n, o] of ofKind(env, 'kms/Key')) {
      const policy: string = o.spec.forProvider.policy;
      expect([n, Buffer.byteLength(policy, 'utf8') <= 32768]).toEqual([n, true]);
      const admin = JSON.parse(policy).Statement.some((s: any) => s.Effect === 'Allow'
        && ([] as string[]).concat(s.Principal?.AWS ?? []).includes(root)
        && ([] as string[]).concat(s.Action).some((a) => a === 'kms:*' || a === 'kms:PutKeyPolicy'));
      expect([n, admin]).toEqual([n, true]);
    }
  });

  // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html: AliasName begins with
  // alias/, can't begin with alias/aws/, matches ^alias/[a-zA-Z0-9/_-]+$ (1-256); the alias and its key
  // are in the same account and Region. The provider adds "alias/" to the external name.
  test('KMS: each alias is alias/<name> outside alias/aws/, in the region of its target key', () => {
    const aliases = ofKind(env, 'kms/Alias');
    expect(aliases.length).toBeGreaterThan(0);
    for (const [n, o] of aliases) {
      const name = `alias/${ext(env, n)}`;
      expect(name).toMatch(/^alias\/[a-zA-Z0-9/_-]+$/);
      expect(name.startsWith('alias/aws/')).toBe(false);
      expect(name.length).toBeLessThanOrEqual(256);
      const key = res(env, component(o.spec.forProvider.targetKeyIdSelector)!);
      expect([n, key.kind, key.spec.forProvider.region]).toEqual([n, 'Key', o.spec.forProvider.region]);
    }
  });

  // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html and
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html: MinRetentionDays at least 1,
  // MaxRetentionDays at most 36500 and not below the minimum; ChangeableForDays, when given, at least 3.
  test('AWS Backup: the vault lock keeps 1 to 36500 days, minimum not above maximum, in governance mode', () => {
    if (!has(env, 'backup-vault-lock')) return expect(policyOf(env).backupRetentionDays).toBeUndefined();
    const lock = fp(env, 'backup-vault-lock');
    expect(Number.isInteger(lock.minRetentionDays) && lock.minRetentionDays >= 1).toBe(true);
    expect(Number.isInteger(lock.maxRetentionDays) && lock.maxRetentionDays <= 36500).toBe(true);
    expect(lock.minRetentionDays).toBeLessThanOrEqual(lock.maxRetentionDays);
    expect(lock.changeableForDays).toBeUndefined();
  });

  // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html (StartWindowMinutes
  // "must be at least 60 minutes"; a cron ScheduleExpression) and
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html (backups in cold storage
  // stay there at least 90 days: DeleteAfterDays at least MoveToColdStorageAfterDays + 90).
  test('AWS Backup: the plan rule has a start window of at least 60 minutes, a six-field cron schedule and no cold storage under 90 days', () => {
    if (!has(env, 'backup-plan')) return expect(policyOf(env).backupRetentionDays).toBeUndefined();
    for (const r of fp(env, 'backup-plan').rule) {
      expect(r.startWindow).toBeGreaterThanOrEqual(60);
      expect(/^cron\((.*)\)$/.exec(r.schedule)?.[1].trim().split(/\s+/)).toHaveLength(6);
      expect(r.lifecycle.deleteAfter).toBeGreaterThanOrEqual(1);
      if (r.lifecycle.coldStorageAfter !== undefined) expect(r.lifecycle.deleteAfter).toBeGreaterThanOrEqual(r.lifecycle.coldStorageAfter + 90);
    }
  });

  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Tagging.html,
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html,
  // https://docs.aws.amazon.com/kms/latest/developerguide/tagging-keys.html,
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html,
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_TagResource.html: at most 50 tags per
  // resource, keys 1-128 and values up to 256 Unicode letters, digits, spaces and _ . : / = + - @;
  // aws: (and rds: on RDS) are reserved. Upjet adds crossplane-kind, -name and -providerconfig.
  test('tags of the data kinds are within AWS limits (50 per resource with the provider tags, keys 128 and values 256 characters, no aws: prefix)', () => {
    const kinds = ['rds/Cluster', 'rds/ClusterInstance', 'rds/SubnetGroup', 'rds/EventSubscription', 'dynamodb/Table', 's3/Bucket', 'kms/Key', 'backup/Vault', 'backup/Plan'];
    const chars = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
    const wrong: string[] = [];
    const seen = new Set<string>();
    for (const [n, o] of all(env).filter(([, x]) => kinds.includes(kindOf(x)))) {
      seen.add(kindOf(o));
      const tags: Record<string, string> = o.spec.forProvider.tags ?? {};
      const keys = new Set([...Object.keys(tags), 'crossplane-kind', 'crossplane-name', 'crossplane-providerconfig']);
      if (Object.keys(tags).length === 0) wrong.push(`${n}: no tags`);
      if (keys.size > 50) wrong.push(`${n}: ${keys.size} tags`);
      for (const [k, v] of Object.entries(tags)) {
        if (k.length < 1 || k.length > 128 || /^(aws|rds):/i.test(k) || !chars.test(k)) wrong.push(`${n}: key ${k}`);
        if (String(v).length > 256 || !chars.test(String(v))) wrong.push(`${n}: ${k}=${v}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(6);
  });
});
