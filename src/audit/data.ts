// The real-account audit of the data kinds (docs/aws.md "What AWS enforces").
import { AwsRule } from './rule';

const T = 'test/audit-data.test.ts: ';
const RULES = 'test/aws-rules.test.ts: ';
const KMS_REGION = `${RULES}KMS: every key a resource names is in that resource's region`;
const BACKUP = `${RULES}AWS Backup: where the tier keeps backups, every data store is in a daily plan into a locked vault under the environment key (PCI DSS 12.10.1, DynamoDB.4, RDS.26)`;
const REPLICATION = `${RULES}prod: S3 replication has versioning on both buckets and encrypts replicas with a key in drRegion`;
const OBJECT_LOCK = `${RULES}S3: where data is never deleted, the audit buckets are write-once for a year (PCI DSS 10.5.1)`;
const ACCESS_LOGS = `${RULES}S3: every audit bucket logs its access into an SSE-S3 log bucket of its own region (S3.9)`;
const FLOWS = 'test/flows.test.ts: allowed flows';
const TAGS = `${T}tags of the data kinds are within AWS limits (50 per resource with the provider tags, keys 128 and values 256 characters, no aws: prefix)`;
const NAMES = `${T}names of tables, the DB subnet group, event subscriptions and AWS Backup fit their naming rules`;
const TAG_RULE = 'At most 50 user tags per resource; keys 1-128 and values 0-256 Unicode letters, digits, spaces and _ . : / = + - @; the aws: prefix is reserved';

/** RDS identifiers carry the environment name (payment-db-<env>, payment-db-<n>-<env>, payment-db-<env>-final). */
const RDS_IDENTIFIER_FINDING = 'fixed: ENV_NAME_PATTERN refuses "--" (src/schema.ts; test/validate.test.ts: environment names without "--" (the DB cluster identifier carries it)). '
  + 'It accepted an environment name with two consecutive hyphens (eu--1), whose cluster identifier payment-db-eu--1, instance identifiers '
  + 'payment-db-<n>-eu--1 and final snapshot payment-db-eu--1-final break RDS\'s "can\'t contain two consecutive hyphens": CreateDBCluster and '
  + 'CreateDBInstance fail with InvalidParameterValue (moto accepts them).';
const RDS_IDENTIFIER_CHECK = 'test/validate.test.ts: environment names without "--" (the DB cluster identifier carries it)';
/** Provisioned DynamoDB capacity, held at creation only (test/audit-data.test.ts). */
const CAPACITY_AT_CREATION = `${T}DynamoDB: provisioned capacity is set at creation only (spec.initProvider, no LateInitialize), where Application Auto Scaling owns it`;

export const DATA: readonly AwsRule[] = [
  // --- rds/Cluster -------------------------------------------------------------------------
  {
    subject: 'rds/Cluster',
    fields: ['engineVersion'],
    rule: 'With automatic minor version upgrades Aurora moves the cluster to a newer minor version of its major version (here 16.x); RDS has no downgrade (ModifyDBCluster EngineVersion is the version to upgrade to), so after an upgrade the pinned "16.4" must not be applied back. provider-aws v2.5.0 drops an engine_version diff that is not an upgrade (TerraformCustomDiff of aws_rds_cluster), so the pin only sets the version at creation.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.VersionPolicy.Upgrading.html',
    emulator: 'forgives',
    check: `${T}Aurora: provider-aws drops an engine_version diff that would be a downgrade after an automatic minor upgrade`,
  },
  {
    subject: 'rds/Cluster',
    fields: ['backupRetentionPeriod'],
    rule: 'BackupRetentionPeriod must be a value from 1 to 35 days.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html',
    emulator: 'forgives',
    check: `${T}Aurora: automated backup retention is 1 to 35 days`,
  },
  {
    subject: 'rds/Cluster',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'DBClusterIdentifier: 1 to 63 letters, numbers or hyphens; first character a letter; can\'t end with a hyphen or contain two consecutive hyphens.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html',
    emulator: 'forgives',
    check: RDS_IDENTIFIER_CHECK,
    finding: RDS_IDENTIFIER_FINDING,
  },
  {
    subject: 'rds/Cluster',
    fields: ['masterUsername', 'databaseName', 'manageMasterUserPassword'],
    rule: 'MasterUsername: 1 to 16 characters, first a letter, not a word reserved by the engine (CreateDBInstance documents letters, numbers or underscores); DatabaseName for PostgreSQL: up to 63 letters, digits or underscores, beginning with a letter; ManageMasterUserPassword can\'t be combined with MasterUserPassword.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html',
    emulator: 'forgives',
    check: `${T}Aurora: master user name and database name fit the engine, and RDS manages the master password`,
  },
  {
    subject: 'rds/Cluster',
    fields: ['skipFinalSnapshot', 'finalSnapshotIdentifier'],
    rule: 'FinalDBSnapshotIdentifier is required when SkipFinalSnapshot is disabled: 1 to 255 letters, numbers or hyphens, first a letter, no trailing or double hyphen.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html',
    emulator: 'forgives',
    check: `${T}Aurora: a final snapshot identifier is given wherever the cluster takes a final snapshot`,
  },
  {
    subject: 'rds/Cluster',
    fields: ['storageEncrypted', 'kmsKeyIdSelector', 'masterUserSecretKmsKeyIdSelector'],
    rule: 'A KMS key is regional: an encrypted cluster (and its managed master secret) uses a key in the cluster\'s own Region.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html',
    emulator: 'forgives',
    check: KMS_REGION,
  },
  {
    subject: 'rds/Cluster',
    fields: ['enabledCloudwatchLogsExports'],
    rule: 'Aurora PostgreSQL exports the log type "postgresql" to CloudWatch Logs, into /aws/rds/cluster/<cluster>/postgresql.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html',
    emulator: 'forgives',
    check: `${RULES}Aurora: the PostgreSQL log is exported to a composed log group with retention (RDS.34)`,
  },
  {
    subject: 'rds/Cluster',
    fields: ['tags'],
    rule: `${TAG_RULE}; the rds: prefix is reserved too.`,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Tagging.html',
    emulator: 'forgives',
    check: TAGS,
  },
  // --- rds/ClusterInstance -----------------------------------------------------------------
  {
    subject: 'rds/ClusterInstance',
    fields: ['autoMinorVersionUpgrade', 'engine'],
    rule: 'Aurora performs an automatic minor version upgrade only if AutoMinorVersionUpgrade is turned on for all DB instances in the cluster; an Aurora instance\'s engine must match its cluster\'s.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.VersionPolicy.Upgrading.html',
    emulator: 'forgives',
    check: `${T}Aurora: every instance of the cluster has automatic minor version upgrades on and the cluster engine`,
  },
  {
    subject: 'rds/ClusterInstance',
    fields: ['instanceClass'],
    rule: 'The DB instance class must be supported for aurora-postgresql at the cluster\'s engine version in the Region (db.t3.medium in dev, db.r6g.large in staging and prod, with 16.4); otherwise CreateDBInstance fails with InvalidParameterCombination ("RDS does not support creating a DB instance with the following combination").',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html',
    emulator: 'forgives',
    check: 'none',
    finding: 'documented: no test can ask a Region which classes it offers (that takes an account): the classes of src/policy.ts were read from AWS\'s table of supported classes for Aurora PostgreSQL, and docs/aws.md (What AWS enforces) says to check a new class or engine version with aws rds describe-orderable-db-instance-options in each Region an environment uses.',
  },
  {
    subject: 'rds/ClusterInstance',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'DBInstanceIdentifier: 1 to 63 letters, numbers or hyphens; first character a letter; can\'t end with a hyphen or contain two consecutive hyphens.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html',
    emulator: 'forgives',
    check: RDS_IDENTIFIER_CHECK,
    finding: RDS_IDENTIFIER_FINDING,
  },
  {
    subject: 'rds/ClusterInstance',
    fields: ['dbSubnetGroupNameSelector'],
    rule: 'An Aurora instance\'s DB subnet group must match its cluster\'s (the subnet group is managed by the DB cluster).',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html',
    emulator: 'forgives',
    check: `${RULES}Aurora: every instance is in the cluster's DB subnet group of private subnets (RDS.18)`,
  },
  {
    subject: 'rds/ClusterInstance',
    fields: ['availabilityZone'],
    rule: 'An instance\'s Availability Zone must be one that its DB subnet group has a subnet in.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html',
    emulator: 'forgives',
    check: `${T}RDS: the DB subnet group spans at least two AZs, every instance AZ among them`,
  },
  {
    subject: 'rds/ClusterInstance',
    fields: ['performanceInsightsEnabled', 'performanceInsightsKmsKeyIdSelector'],
    rule: 'A KMS key is regional: Performance Insights encrypts with a key in the instance\'s Region.',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html',
    emulator: 'forgives',
    check: KMS_REGION,
  },
  {
    subject: 'rds/ClusterInstance',
    fields: ['tags'],
    rule: `${TAG_RULE}; the rds: prefix is reserved too.`,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Tagging.html',
    emulator: 'forgives',
    check: TAGS,
  },
  // --- rds/SubnetGroup ---------------------------------------------------------------------
  {
    subject: 'rds/SubnetGroup',
    fields: ['subnetIdSelector'],
    rule: 'A DB subnet group must have subnets in at least two Availability Zones in the Region.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html',
    emulator: 'forgives',
    check: `${T}RDS: the DB subnet group spans at least two AZs, every instance AZ among them`,
  },
  {
    subject: 'rds/SubnetGroup',
    fields: ['metadata.annotations[crossplane.io/external-name]', 'description'],
    rule: 'DBSubnetGroupName: at most 255 letters, numbers, periods, underscores, spaces or hyphens, not "default"; DBSubnetGroupDescription is required.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html',
    emulator: 'forgives',
    check: NAMES,
  },
  {
    subject: 'rds/SubnetGroup',
    fields: ['tags'],
    rule: `${TAG_RULE}; the rds: prefix is reserved too.`,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Tagging.html',
    emulator: 'forgives',
    check: TAGS,
  },
  // --- rds/EventSubscription ---------------------------------------------------------------
  {
    subject: 'rds/EventSubscription',
    fields: ['sourceType', 'eventCategories', 'sourceIds'],
    rule: 'Event categories must be ones RDS publishes for the source type (db-cluster: failure, maintenance, ...; db-parameter-group: configuration change); SourceIds name sources of that type.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.Messages.html',
    emulator: 'forgives',
    check: `${RULES}RDS events: cluster failure/maintenance and parameter group changes go to the alarm topic, where there is one (RDS.19, RDS.21)`,
  },
  {
    subject: 'rds/EventSubscription',
    fields: ['snsTopicSelector'],
    rule: 'To notify a topic encrypted with a customer managed key, the key policy must let events.rds.amazonaws.com use the key (kms:GenerateDataKey*, kms:Decrypt) and the topic policy let it publish.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.GrantingPermissions.html',
    emulator: 'forgives',
    check: FLOWS,
  },
  {
    subject: 'rds/EventSubscription',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'SubscriptionName must be less than 255 characters.',
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateEventSubscription.html',
    emulator: 'forgives',
    check: NAMES,
  },
  {
    subject: 'rds/EventSubscription',
    fields: ['tags'],
    rule: `${TAG_RULE}; the rds: prefix is reserved too.`,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Tagging.html',
    emulator: 'forgives',
    check: TAGS,
  },
  // --- dynamodb/Table ----------------------------------------------------------------------
  {
    subject: 'dynamodb/Table',
    fields: ['readCapacity', 'writeCapacity'],
    rule: 'With auto scaling, Application Auto Scaling changes the table\'s provisioned throughput itself (UpdateTable) between the target\'s minimum and maximum; the configured value is only where the table starts.',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html',
    emulator: 'forgives',
    check: CAPACITY_AT_CREATION,
    finding: 'fixed: the provisioned capacity is set in spec.initProvider (applied at create, never compared) and the Table has no LateInitialize, so the provider never puts a scale-out back (src/composition/database.ts table-*, spec.initProvider, lateInitialize false; test/audit-data.test.ts: DynamoDB: provisioned capacity is set at creation only (spec.initProvider, no LateInitialize), where Application Auto Scaling owns it). '
      + 'Prod tables set spec.forProvider.readCapacity/writeCapacity = 5 while appautoscaling targets (min 5, max 100) scale them: once AWS scaled a table out, the provider '
      + 'called UpdateTable back to 5 on its next poll (moto never scales, so e2e:aws could not see it). The drift listener ignores calls by '
      + 'Application Auto Scaling\'s service-linked roles (src/listener/match.ts AUTOSCALING_ROLE).',
  },
  {
    subject: 'dynamodb/Table',
    fields: ['readCapacity', 'writeCapacity'],
    rule: 'Provisioned throughput decreases per table are limited: up to four at any time in a UTC day plus one more for each hour without a decrease (at most 27 a day); further decreases fail with LimitExceededException.',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
    emulator: 'forgives',
    check: CAPACITY_AT_CREATION,
    finding: 'fixed: the same way (src/composition/database.ts, spec.initProvider, lateInitialize false): the provider no longer resets an auto-scaled table to the spec\'s 5 RCU/WCU, so it spends none of the table\'s daily decreases. '
      + 'Each such reset was a decrease; after the day\'s quota the provider\'s UpdateTable failed, the Table was not Synced and the environment not Ready.',
  },
  {
    subject: 'dynamodb/Table',
    fields: ['billingMode', 'readCapacity', 'writeCapacity'],
    rule: 'PROVISIONED requires both ReadCapacityUnits and WriteCapacityUnits (at least 1, at most 40,000 per table by default); PAY_PER_REQUEST takes no ProvisionedThroughput.',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html',
    emulator: 'enforces',
    check: 'test/render.test.ts: DynamoDB billing, PITR and autoscaling',
  },
  {
    subject: 'dynamodb/Table',
    fields: ['attribute', 'hashKey'],
    rule: 'Every AttributeDefinition must be used by the key schema or an index ("Some AttributeDefinitions are not used"); AttributeType is S, N or B.',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html',
    emulator: 'enforces',
    check: `${T}DynamoDB: every attribute definition is a key attribute of type S, N or B`,
  },
  {
    subject: 'dynamodb/Table',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'Table names: 3 to 255 characters of a-z, A-Z, 0-9, _ (underscore), - (dash) and . (dot).',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html',
    emulator: 'forgives',
    check: NAMES,
  },
  {
    subject: 'dynamodb/Table',
    fields: ['serverSideEncryption.kmsKeyArn'],
    rule: 'Encryption at rest with a customer managed key uses a symmetric KMS key in the table\'s Region.',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html',
    emulator: 'forgives',
    check: `${T}KMS: keys given by ARN (table and bucket default encryption) are in the region of the resource`,
  },
  {
    subject: 'dynamodb/Table',
    fields: ['tags'],
    rule: TAG_RULE,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html',
    emulator: 'forgives',
    check: TAGS,
  },
  // --- s3/Bucket ---------------------------------------------------------------------------
  {
    subject: 's3/Bucket',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'Bucket names are 3 to 63 characters of lowercase letters, numbers, dots and hyphens, begin and end with a letter or number, and are unique across all AWS accounts in the partition.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html',
    emulator: 'enforces',
    check: 'test/validate.test.ts: a long environment name with a long DR region: the bucket name S3 would refuse is named',
    finding: 'fixed: synth computes every bucket name of an environment (region and drRegion) and refuses one over 63 characters (src/platform.ts bucketNameProblems; test/validate.test.ts: a long environment name with a long DR region: the bucket name S3 would refuse is named). '
      + 'The access-log bucket name payments-<env>-access-logs-<region>-<account> (security.ts ACCESS_LOG_BUCKET_NAME) is 35 + len(env) + len(region) characters: '
      + 'with a 16-character environment name, the DR replica\'s log bucket in drRegion ap-southeast-1 was 67 characters, refused by CreateBucket (InvalidBucketName).',
  },
  {
    subject: 's3/Bucket',
    fields: ['objectLockEnabled'],
    rule: 'Object Lock works only in versioned buckets: enabling it enables versioning, and versioning can\'t then be suspended.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html',
    emulator: 'enforces',
    check: `${T}S3: every bucket has versioning Enabled, so Object Lock and replication can hold`,
  },
  {
    subject: 's3/Bucket',
    fields: ['tags'],
    rule: TAG_RULE,
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html',
    emulator: 'forgives',
    check: TAGS,
  },
  // --- s3/BucketLifecycleConfiguration -----------------------------------------------------
  {
    subject: 's3/BucketLifecycleConfiguration',
    fields: ['rule[].expiration[].days', 'rule[].transition[].days', 'rule[].transition[].storageClass', 'rule[].noncurrentVersionExpiration[].noncurrentDays', 'rule[].status', 'rule[].id'],
    rule: 'Expiration Days must be a non-zero positive integer; a Transition names Days (a positive integer) and a storage class; NoncurrentDays is a whole number of days; Status is Enabled or Disabled; an ID is up to 255 characters.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html',
    emulator: 'forgives',
    check: `${T}S3: lifecycle rules use whole positive days`,
  },
  // --- s3/BucketLogging --------------------------------------------------------------------
  {
    subject: 's3/BucketLogging',
    fields: ['targetBucketSelector'],
    rule: 'The destination bucket must be in the same AWS Region and account as the source bucket.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
    emulator: 'enforces',
    check: ACCESS_LOGS,
  },
  {
    subject: 's3/BucketLogging',
    fields: ['targetBucketSelector', 'targetPrefix'],
    rule: 'The destination bucket may use default encryption only with SSE-S3 (not SSE-KMS) and must not have an Object Lock default retention period.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
    emulator: 'forgives',
    check: `${T}S3: access-log buckets have no Object Lock default retention and take no ACL grants (bucket owner enforced)`,
  },
  {
    subject: 's3/BucketLogging',
    fields: ['targetPrefix'],
    rule: 'The destination bucket policy must let logging.s3.amazonaws.com s3:PutObject under the target prefix (ideally conditioned on aws:SourceArn and aws:SourceAccount).',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html',
    emulator: 'enforces',
    check: FLOWS,
  },
  // --- s3/BucketObjectLockConfiguration ----------------------------------------------------
  {
    subject: 's3/BucketObjectLockConfiguration',
    fields: ['objectLockEnabled', 'rule.defaultRetention.mode', 'rule.defaultRetention.days'],
    rule: 'A default retention names a Mode (GOVERNANCE or COMPLIANCE) and either Days or Years, not both; the bucket must be versioned.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_DefaultRetention.html',
    emulator: 'enforces',
    check: OBJECT_LOCK,
  },
  {
    subject: 's3/BucketObjectLockConfiguration',
    fields: ['bucketSelector'],
    rule: 'To replicate objects protected by Object Lock, the destination bucket must have Object Lock enabled too.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html',
    emulator: 'forgives',
    check: OBJECT_LOCK,
  },
  // --- s3/BucketOwnershipControls ----------------------------------------------------------
  {
    subject: 's3/BucketOwnershipControls',
    fields: ['rule.objectOwnership'],
    rule: 'With BucketOwnerEnforced, ACLs are disabled: permissions come from policies only, so server access log delivery must be granted by the destination bucket policy, not by ACL or target grants.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html',
    emulator: 'forgives',
    check: `${T}S3: access-log buckets have no Object Lock default retention and take no ACL grants (bucket owner enforced)`,
  },
  // --- s3/BucketPolicy ---------------------------------------------------------------------
  {
    subject: 's3/BucketPolicy',
    fields: ['policy'],
    rule: 'Bucket policies are limited to 20 KB in size.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
    emulator: 'forgives',
    check: `${T}S3: every bucket policy is at most 20 KB`,
  },
  // --- s3/BucketPublicAccessBlock ----------------------------------------------------------
  {
    subject: 's3/BucketPublicAccessBlock',
    fields: ['blockPublicPolicy', 'restrictPublicBuckets'],
    rule: 'With BlockPublicPolicy, S3 rejects PutBucketPolicy when the policy grants public access (an Allow to "*" without restricting conditions).',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
    emulator: 'forgives',
    check: `${T}S3: Block Public Access is on for every bucket and no bucket policy allows a public principal`,
  },
  // --- s3/BucketReplicationConfiguration ---------------------------------------------------
  {
    subject: 's3/BucketReplicationConfiguration',
    fields: ['bucketSelector'],
    rule: 'The source bucket must have versioning enabled.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html',
    emulator: 'enforces',
    check: REPLICATION,
  },
  {
    subject: 's3/BucketReplicationConfiguration',
    fields: ['rule[].destination.bucket', 'rule[].sourceSelectionCriteria.sseKmsEncryptedObjects', 'rule[].destination.encryptionConfiguration.replicaKmsKeyId'],
    rule: 'The destination bucket must have versioning enabled; SSE-KMS objects replicate only with SourceSelectionCriteria SseKmsEncryptedObjects and a ReplicaKmsKeyID (key ARN) in the destination bucket\'s Region.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html',
    emulator: 'forgives',
    check: REPLICATION,
  },
  {
    subject: 's3/BucketReplicationConfiguration',
    fields: ['rule[].filter', 'rule[].deleteMarkerReplication.status'],
    rule: 'A rule with a Filter (the current schema) must state DeleteMarkerReplication; several rules need distinct priorities.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html',
    emulator: 'forgives',
    check: `${T}S3: the replication rule is a filtered rule that states delete marker replication`,
  },
  {
    subject: 's3/BucketReplicationConfiguration',
    fields: ['roleSelector'],
    rule: 'S3 assumes the replication role (trust s3.amazonaws.com), which needs s3:GetObjectVersionForReplication and, for Object Lock, s3:GetObjectRetention and s3:GetObjectLegalHold on the source, s3:Replicate* on the destination and the KMS keys\' Decrypt/Encrypt.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html',
    emulator: 'forgives',
    check: FLOWS,
  },
  // --- s3/BucketServerSideEncryptionConfiguration ------------------------------------------
  {
    subject: 's3/BucketServerSideEncryptionConfiguration',
    fields: ['rule[].applyServerSideEncryptionByDefault.kmsMasterKeyId', 'rule[].bucketKeyEnabled'],
    rule: 'SSE-KMS default encryption uses a KMS key in the same Region as the bucket; an S3 Bucket Key applies to SSE-KMS only.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
    emulator: 'forgives',
    check: `${T}KMS: keys given by ARN (table and bucket default encryption) are in the region of the resource`,
  },
  // --- s3/BucketVersioning -----------------------------------------------------------------
  {
    subject: 's3/BucketVersioning',
    fields: ['versioningConfiguration.status'],
    rule: 'Versioning can\'t be suspended on a bucket with Object Lock, and replication needs it Enabled on both buckets.',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html',
    emulator: 'forgives',
    check: `${T}S3: every bucket has versioning Enabled, so Object Lock and replication can hold`,
  },
  // --- kms/Key -----------------------------------------------------------------------------
  {
    subject: 'kms/Key',
    fields: ['deletionWindowInDays'],
    rule: 'PendingWindowInDays (the deletion waiting period) is 7 to 30 days.',
    source: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html',
    emulator: 'forgives',
    check: `${T}KMS: keys are symmetric with rotation on and a deletion window of 7 to 30 days`,
  },
  {
    subject: 'kms/Key',
    fields: ['enableKeyRotation'],
    rule: 'Automatic key rotation is supported only on symmetric encryption KMS keys with key material KMS generates.',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html',
    emulator: 'forgives',
    check: `${T}KMS: keys are symmetric with rotation on and a deletion window of 7 to 30 days`,
  },
  {
    subject: 'kms/Key',
    fields: ['policy'],
    rule: 'A key policy is at most 32 KB (32,768 bytes); without BypassPolicyLockoutSafetyCheck it must allow the principal making the request to PutKeyPolicy later (lockout safety check).',
    source: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html',
    emulator: 'forgives',
    check: `${T}KMS: key policies are at most 32 KB and let the account administer the key`,
  },
  {
    subject: 'kms/Key',
    fields: ['tags'],
    rule: TAG_RULE,
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/tagging-keys.html',
    emulator: 'forgives',
    check: TAGS,
  },
  // --- kms/Alias ---------------------------------------------------------------------------
  {
    subject: 'kms/Alias',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'AliasName must begin with alias/ followed by a name (1-256 characters of ^alias/[a-zA-Z0-9/_-]+$) and can\'t begin with alias/aws/ (reserved for AWS managed keys).',
    source: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html',
    emulator: 'enforces',
    check: `${T}KMS: each alias is alias/<name> outside alias/aws/, in the region of its target key`,
  },
  {
    subject: 'kms/Alias',
    fields: ['targetKeyIdSelector'],
    rule: 'The alias and its target KMS key must be in the same account and Region.',
    source: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html',
    emulator: 'enforces',
    check: `${T}KMS: each alias is alias/<name> outside alias/aws/, in the region of its target key`,
  },
  // --- backup/Vault ------------------------------------------------------------------------
  {
    subject: 'backup/Vault',
    fields: ['metadata.annotations[crossplane.io/external-name]'],
    rule: 'BackupVaultName: 2 to 50 characters of ^[a-zA-Z0-9\\-\\_]$, unique per account and Region.',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html',
    emulator: 'forgives',
    check: NAMES,
  },
  {
    subject: 'backup/Vault',
    fields: ['kmsKeyArnSelector'],
    rule: 'The vault\'s EncryptionKeyArn is a symmetric KMS key in the vault\'s Region.',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html',
    emulator: 'forgives',
    check: KMS_REGION,
  },
  {
    subject: 'backup/Vault',
    fields: ['tags'],
    rule: TAG_RULE,
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_TagResource.html',
    emulator: 'forgives',
    check: TAGS,
  },
  // --- backup/VaultLockConfiguration -------------------------------------------------------
  {
    subject: 'backup/VaultLockConfiguration',
    fields: ['minRetentionDays', 'maxRetentionDays', 'changeableForDays'],
    rule: 'MinRetentionDays at least 1 day, MaxRetentionDays at most 36,500 days and not below the minimum; ChangeableForDays (compliance mode), when given, at least 3 (the 72-hour cooling-off period); without it the lock stays in governance mode.',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html',
    emulator: 'enforces',
    check: `${T}AWS Backup: the vault lock keeps 1 to 36500 days, minimum not above maximum, in governance mode`,
  },
  {
    subject: 'backup/VaultLockConfiguration',
    fields: ['minRetentionDays', 'maxRetentionDays'],
    rule: 'A backup or copy job into a locked vault whose lifecycle retention is outside [MinRetentionDays, MaxRetentionDays] fails.',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html',
    emulator: 'not-applicable',
    check: BACKUP,
  },
  {
    subject: 'backup/VaultLockConfiguration',
    fields: ['backupVaultNameSelector'],
    rule: 'The lock is put on an existing vault: PutBackupVaultLockConfiguration of a vault that does not exist yet fails with ResourceNotFoundException.',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html',
    emulator: 'enforces', // moto put_backup_vault_lock_configuration: ResourceNotFoundException
    check: 'test/render.test.ts: the API deployment waits for the integration, the Vault Lock for the vault (held back on the first pass)',
    finding: 'fixed: the lock is composed only once the vault reports its ARN, i.e. exists in AWS (a function-cel-filter condition, src/composition/backup.ts), and kept from then on. Found by npm run e2e:aws (2026-12-07): the vault\'s name is known before it exists, so the reference resolved at once, AWS refused the lock, and the failed async create left external-create-pending behind (crossplane/upjet#561): prod\'s lock stayed Synced False.',
  },
  // --- backup/Plan -------------------------------------------------------------------------
  {
    subject: 'backup/Plan',
    fields: ['rule[].startWindow', 'rule[].schedule'],
    rule: 'StartWindowMinutes, if included, must be at least 60 minutes; ScheduleExpression is a cron expression (six fields).',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html',
    emulator: 'forgives',
    check: `${T}AWS Backup: the plan rule has a start window of at least 60 minutes, a six-field cron schedule and no cold storage under 90 days`,
  },
  {
    subject: 'backup/Plan',
    fields: ['rule[].lifecycle.deleteAfter', 'rule[].lifecycle.coldStorageAfter'],
    rule: 'Backups moved to cold storage stay there at least 90 days: DeleteAfterDays must be at least MoveToColdStorageAfterDays + 90 (no cold storage here; deleteAfter is the tier\'s retention).',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html',
    emulator: 'forgives',
    check: `${T}AWS Backup: the plan rule has a start window of at least 60 minutes, a six-field cron schedule and no cold storage under 90 days`,
  },
  {
    subject: 'backup/Plan',
    fields: ['name', 'rule[].ruleName', 'rule[].targetVaultName'],
    rule: 'RuleName: 1 to 50 alphanumeric or -_. characters; TargetBackupVaultName: ^[a-zA-Z0-9\\-\\_]{2,50}$, an existing vault of the plan\'s account and Region.',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html',
    emulator: 'forgives',
    check: NAMES,
  },
  {
    subject: 'backup/Plan',
    fields: ['tags'],
    rule: TAG_RULE,
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_TagResource.html',
    emulator: 'forgives',
    check: TAGS,
  },
  // --- backup/Selection --------------------------------------------------------------------
  {
    subject: 'backup/Selection',
    fields: ['name'],
    rule: 'SelectionName: 1 to 50 characters of ^[a-zA-Z0-9\\-\\_\\.]$.',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html',
    emulator: 'forgives',
    check: NAMES,
  },
  {
    subject: 'backup/Selection',
    fields: ['iamRoleArnSelector'],
    rule: 'IamRoleArn is a role AWS Backup assumes (trust backup.amazonaws.com) with the permissions to back up and expire each selected resource type.',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html',
    emulator: 'forgives',
    check: FLOWS,
  },
  {
    subject: 'backup/Selection',
    fields: ['resources'],
    rule: 'Resources are the ARNs of the resources to protect, in the plan\'s account and Region.',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html',
    emulator: 'forgives',
    check: BACKUP,
  },
];
