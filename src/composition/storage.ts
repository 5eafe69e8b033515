// Storage: the S3 audit-log bucket (versioned, SSE-KMS, public access blocked,
// TLS-only, lifecycle to Glacier, replication to drRegion in prod) and the SQS
// payment queue with its dead-letter queue.
import * as kms from '../../imports/kms.aws.m.upbound.io';
import * as s3 from '../../imports/s3.aws.m.upbound.io';
import * as sqs from '../../imports/sqs.aws.m.upbound.io';
import { COMMON, tiersWhere } from '../policy';
import { ACCESS_LOG_BUCKET_NAME, ACCESS_LOG_PREFIX, ARN, arnPatch, BUCKET_NAME, keyPolicy } from './security';
import { ACCOUNT, Area, combine, ComposedResource, Patch, EXTERNAL_NAME, envName, format, fromXR, fromXRRequired, identityViaXR, PATCHED, sel, tierValue, toXR, xrFieldOrKept } from './resource';

const DAY = 24 * 3600;

type Tiers = ReturnType<typeof tiersWhere>;


/**
 * A bucket with the controls every payments bucket has: versioned, encrypted, public access
 * blocked, owner-enforced, TLS only. `name` is its composition name, `bucketName` its S3 name
 * over (%[1]s its region, %[2]s env, %[3]s account); `allow` adds bucket policy statements.
 */
function bucket(o: {
  name: string; bucketName: string; encryption: { kmsKeyArn: string } | 'AES256'; tiers?: Tiers; regionFrom: 'region' | 'drRegion';
  allow?: object[]; patches?: Patch[];
}): ComposedResource[] {
  const { name, bucketName, regionFrom } = o;
  const part = { area: 'storage' as const, tiers: o.tiers, regionFrom };
  const sse = o.encryption === 'AES256'
    ? { sseAlgorithm: 'AES256' }
    : { sseAlgorithm: 'aws:kms' };
  // The key ARN comes through the XR, not a selector: `rule` is an atomic list, so the reference
  // resolver's write of the resolved id and the Composition's apply of the list without it took
  // turns rewriting the spec (~8 writes a minute per bucket in npm run e2e:aws).
  // A tier-limited bucket's key may not exist in every tier, where a Required patch would warn:
  // there the filter keeps the configuration out until the key ARN is known.
  const keyArn = o.encryption === 'AES256' ? undefined : o.encryption.kmsKeyArn;
  const keyWhen = keyArn && o.tiers ? xrFieldOrKept(keyArn, `${name}-encryption`) : undefined;
  const keyPatches = keyArn ? [(keyWhen ? fromXR : fromXRRequired)(keyArn, 'spec.forProvider.rule[0].applyServerSideEncryptionByDefault.kmsMasterKeyId')] : [];
  return [
    {
      ...part,
      name,
      protectData: true,
      base: s3.Bucket.manifest({ spec: { forProvider: { region: PATCHED, forceDestroy: false } } }),
      patches: [
        combine(`metadata.annotations[${EXTERNAL_NAME}]`, bucketName, `spec.${regionFrom}`, 'metadata.name', ACCOUNT),
        // Where data is never deleted, Object Lock (only at creation; default retention per bucket).
        tierValue('spec.forProvider.objectLockEnabled', (p) => !p.dataDeletable),
        ...(o.patches ?? []),
      ],
    },
    {
      ...part,
      name: `${name}-versioning`,
      tagged: false,
      base: s3.BucketVersioning.manifest({
        spec: { forProvider: { region: PATCHED, bucketSelector: sel(name), versioningConfiguration: { status: 'Enabled' } } },
      }),
    },
    {
      ...part,
      name: `${name}-encryption`,
      tagged: false,
      base: s3.BucketServerSideEncryptionConfiguration.manifest({
        spec: {
          forProvider: {
            region: PATCHED, bucketSelector: sel(name),
            rule: [{ bucketKeyEnabled: o.encryption !== 'AES256' || undefined, applyServerSideEncryptionByDefault: sse }],
          },
        },
      }),
      when: keyWhen,
      patches: keyPatches,
    },
    {
      ...part,
      name: `${name}-public-access-block`,
      tagged: false,
      base: s3.BucketPublicAccessBlock.manifest({
        spec: {
          forProvider: {
            region: PATCHED, bucketSelector: sel(name),
            blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
          },
        },
      }),
    },
    {
      ...part,
      name: `${name}-ownership`,
      tagged: false,
      base: s3.BucketOwnershipControls.manifest({
        spec: { forProvider: { region: PATCHED, bucketSelector: sel(name), rule: { objectOwnership: 'BucketOwnerEnforced' } } },
      }),
    },
    {
      ...part,
      name: `${name}-tls-only`,
      tagged: false,
      base: s3.BucketPolicy.manifest({ spec: { forProvider: { region: PATCHED, bucketSelector: sel(name) } } }),
      patches: [combine('spec.forProvider.policy', JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }, ...(o.allow ?? [])],
      }), `spec.${regionFrom}`, 'metadata.name', ACCOUNT)],
    },
  ];
}

/**
 * An audit bucket (its replica with suffix '-replica'), with the controls above; where data is
 * never deleted, Object Lock (enabled at creation; a replica of a locked bucket must be locked too).
 */
function auditBucket(suffix: '' | '-replica', kmsKeyArn: string, tiers?: Tiers): ComposedResource[] {
  const name = `audit-bucket${suffix}`;
  const regionFrom = suffix ? 'drRegion' as const : 'region' as const;
  const locked = tiersWhere((p) => !p.dataDeletable);
  return [
    ...bucket({
      name, bucketName: BUCKET_NAME, encryption: { kmsKeyArn }, tiers, regionFrom,
      patches: suffix ? [] : [toXR('status.atProvider.id', 'status.auditBucket')],
    }),
    {
      name: `${name}-object-lock`,
      area: 'storage',
      tiers: tiers ? tiers.filter((t) => locked.includes(t)) : locked,
      regionFrom,
      tagged: false,
      base: s3.BucketObjectLockConfiguration.manifest({
        spec: {
          forProvider: {
            region: PATCHED, bucketSelector: sel(name), objectLockEnabled: 'Enabled',
            rule: { defaultRetention: { mode: 'COMPLIANCE', days: COMMON.auditLockDays } },
          },
        },
      }),
    },
  ];
}

/**
 * Server access logs of an audit bucket (PCI DSS 10.2, AWS FSBP S3.9), into a log bucket of
 * its own in the same region and account, as S3 requires. S3 delivers them only to a bucket
 * with SSE-S3 default encryption (no SSE-KMS) and no Object Lock default retention, as the
 * logging service principal, allowed by the bucket policy for this audit bucket only:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
function accessLogs(suffix: '' | '-replica', tiers?: Tiers): ComposedResource[] {
  const regionFrom = suffix ? 'drRegion' as const : 'region' as const;
  const name = `access-log-bucket${suffix}`;
  return [
    ...bucket({
      name, bucketName: ACCESS_LOG_BUCKET_NAME, encryption: 'AES256', tiers, regionFrom,
      // Object Lock (from bucket()) without a default retention: S3 refuses log delivery into a
      // bucket with one; a locked log version can still be held by a legal hold.
      allow: [{
        Sid: 'S3ServerAccessLogs', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${ACCESS_LOG_BUCKET_NAME}/${ACCESS_LOG_PREFIX}*`,
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${BUCKET_NAME}` }, StringEquals: { 'aws:SourceAccount': '%[3]s' } },
      }],
    }),
    {
      name: `${name}-lifecycle`,
      area: 'storage',
      tiers,
      regionFrom,
      tagged: false,
      base: s3.BucketLifecycleConfiguration.manifest({
        spec: {
          forProvider: {
            region: PATCHED, bucketSelector: sel(name),
            rule: [{
              id: 'expire', status: 'Enabled', filter: [{ prefix: '' }],
              expiration: [{ days: 0 }], noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
            }],
          },
        },
      }),
      // Kept as long as the tier keeps its logs in CloudWatch.
      patches: [tierValue('spec.forProvider.rule[0].expiration[0].days', (p) => p.logRetentionDays)],
    },
    {
      name: `audit-bucket${suffix}-logging`,
      area: 'storage',
      tiers,
      regionFrom,
      tagged: false,
      base: s3.BucketLogging.manifest({
        spec: {
          forProvider: {
            region: PATCHED, bucketSelector: sel(`audit-bucket${suffix}`), targetBucketSelector: sel(name), targetPrefix: ACCESS_LOG_PREFIX,
          },
        },
      }),
    },
  ];
}

/** Audit logs move to Glacier after the tier's days. */
function lifecycle(suffix: '' | '-replica', tiers?: Tiers): ComposedResource {
  return {
    name: `audit-bucket${suffix}-lifecycle`,
    area: 'storage',
    tiers,
    regionFrom: suffix ? 'drRegion' : 'region',
    tagged: false,
    base: s3.BucketLifecycleConfiguration.manifest({
      spec: {
        forProvider: {
          region: PATCHED, bucketSelector: sel(`audit-bucket${suffix}`),
          rule: [{ id: 'glacier', status: 'Enabled', filter: [{ prefix: '' }], transition: [{ storageClass: 'GLACIER', days: 0 }] }],
        },
      },
    }),
    patches: [tierValue('spec.forProvider.rule[0].transition[0].days', (p) => p.glacierAfterDays)],
  };
}

function auditLogs(): ComposedResource[] {
  const replicated = tiersWhere((p) => p.replication);
  return [
    ...auditBucket('', 'status.kmsKeyArn'),
    lifecycle(''),
    ...accessLogs(''),
    // Prod: a replica bucket and key in drRegion, and the replication rule.
    {
      name: 'kms-key-dr',
      area: 'security',
      tiers: replicated,
      regionFrom: 'drRegion',
      base: kms.Key.manifest({ spec: { forProvider: { region: PATCHED, enableKeyRotation: true, deletionWindowInDays: 30, description: 'payments DR replica key' } } }),
      patches: [arnPatch('spec.forProvider.policy', keyPolicy([])), toXR('status.atProvider.arn', 'status.drKmsKeyArn')],
    },
    {
      // The replication role may encrypt replicas with this key, found by its alias.
      name: 'kms-alias-dr',
      area: 'security',
      tiers: replicated,
      regionFrom: 'drRegion',
      tagged: false,
      base: kms.Alias.manifest({ spec: { forProvider: { region: PATCHED, targetKeyIdSelector: sel('kms-key-dr') } } }),
      patches: [envName(`metadata.annotations[${EXTERNAL_NAME}]`, 'payment-key-%s-dr')], // no "alias/": see kms-alias
    },
    ...auditBucket('-replica', 'status.drKmsKeyArn', replicated),
    ...accessLogs('-replica', replicated),
    // The replica keeps the same retention (AWS FSBP S3.13: lifecycle on every bucket; Prowler found it missing).
    lifecycle('-replica', replicated),
    {
      name: 'audit-bucket-replication',
      area: 'storage',
      tiers: replicated,
      tagged: false,
      // Crossplane applies `rule` as one atomic list and the provider late-initialized fields into
      // it: the two rewrote the spec in turn (generation 112 in 20 min) and the provider put the
      // configuration ~7 times a second (e2e:aws call counts). Its external name is the source
      // bucket's name, set here: without LateInitialize the provider would not keep it.
      lateInitialize: false,
      // S3 takes the replica key by ARN ("Key ARN or Alias ARN", ReplicaKmsKeyID in the S3 API
      // reference); the provider's selector resolves the key id, so the ARN comes through the XR.
      // Not Required: patch-and-transform runs before the tier filter, and an unmet Required patch
      // (no DR key outside prod) keeps the XR unready.
      // The replica bucket by its ARN (its name is known), not a selector inside the atomic `rule`
      // list: the reference resolver and the Composition rewrote the list in turn (e2e:aws).
      when: xrFieldOrKept('status.drKmsKeyArn', 'audit-bucket-replication'),
      patches: [
        fromXR('status.drKmsKeyArn', 'spec.forProvider.rule[0].destination.encryptionConfiguration.replicaKmsKeyId'),
        arnPatch('spec.forProvider.rule[0].destination.bucket', ARN.replicaBucket),
        arnPatch(`metadata.annotations[${EXTERNAL_NAME}]`, BUCKET_NAME),
      ],
      base: s3.BucketReplicationConfiguration.manifest({
        spec: {
          forProvider: {
            region: PATCHED, bucketSelector: sel('audit-bucket'), roleSelector: sel('role-s3-replication'),
            rule: [{
              id: 'dr', status: 'Enabled', filter: { prefix: '' }, deleteMarkerReplication: { status: 'Enabled' },
              sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
              destination: {
                storageClass: 'STANDARD',
                encryptionConfiguration: {},
              },
            }],
          },
        },
      }),
    },
  ];
}


function queues(): ComposedResource[] {
  // SSE-KMS with the environment key, so SQS-managed SSE is off; said explicitly because
  // otherwise the provider late-initializes whatever the API reports (the emulator reports
  // true next to a KMS key, and the provider then updated the queue on every poll).
  const common = { region: PATCHED, visibilityTimeoutSeconds: COMMON.queueVisibilityTimeoutSeconds, sqsManagedSseEnabled: false };
  return [
    {
      name: 'queue',
      area: 'storage',
      // queue-redrive owns the redrive policy; late-initialized into this spec as well, the two
      // resources rewrote it in turn forever (seen by npm run e2e:aws). Users take its URL and ARN from the XR.
      lateInitialize: false,
      base: sqs.Queue.manifest({
        spec: {
          forProvider: { ...common, messageRetentionSeconds: COMMON.queueRetentionSeconds },
        },
      }),
      patches: [
        envName('spec.forProvider.name', 'payment-queue-%s'),
        envName('spec.forProvider.kmsMasterKeyId', 'alias/payment-key-%s'),
        ...identityViaXR('url', 'status.queues.url'),
        toXR('status.atProvider.arn', 'status.queues.arn'),
      ],
    },
    {
      name: 'dlq',
      area: 'storage',
      base: sqs.Queue.manifest({ spec: { forProvider: { ...common } } }),
      patches: [
        envName('spec.forProvider.name', 'payment-dlq-%s'),
        envName('spec.forProvider.kmsMasterKeyId', 'alias/payment-key-%s'),
        tierValue('spec.forProvider.messageRetentionSeconds', (p) => p.dlqRetentionDays * DAY),
        toXR('status.atProvider.url', 'status.queues.dlqUrl'),
        toXR('status.atProvider.arn', 'status.queues.dlqArn'),
      ],
    },
    redrive('queue-redrive', 'storage', 'queue', 'status.queues.dlqArn'),
  ];
}

/** The redrive policy of a queue, to the DLQ whose ARN the XR holds at dlqArn (its own resource: see queue). */
export function redrive(name: string, area: Area, queue: string, dlqArn: string): ComposedResource {
  return {
    name,
    area,
    tagged: false,
    base: sqs.QueueRedrivePolicy.manifest({ spec: { forProvider: { region: PATCHED, queueUrlSelector: sel(queue) } } }),
    patches: [fromXRRequired(dlqArn, 'spec.forProvider.redrivePolicy',
      format(`{"deadLetterTargetArn":"%s","maxReceiveCount":${COMMON.dlqMaxReceiveCount}}`))],
  };
}

export function storage(): ComposedResource[] {
  return [...auditLogs(), ...queues()];
}
