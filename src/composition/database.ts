// Database: Aurora PostgreSQL (Multi-AZ, KMS CMK, IAM auth, master password
// managed in Secrets Manager) and the DynamoDB sessions and transactions tables
// (PITR, CMK; on-demand, or provisioned with autoscaling in prod); AWS Backup in backup.ts.
import * as appautoscaling from '../../imports/appautoscaling.aws.m.upbound.io';
import * as dynamodb from '../../imports/dynamodb.aws.m.upbound.io';
import * as rds from '../../imports/rds.aws.m.upbound.io';
import { COMMON, POLICY, tiersWhere } from '../policy';
import { TIERS } from '../schema';
import { backups } from './backup';
import { AZS, SUBNET_TIER_LABEL } from './network';
import { ComposedResource, envName, EXTERNAL_NAME, externalName, format, fromXR, fromXRRequired, PATCHED, sel, tierFields, tierValue, toXR } from './resource';

/** One Aurora instance per entry; the tier's count decides how many exist. */
const MAX_DB_INSTANCES = Math.max(...TIERS.map((t) => POLICY[t].dbInstances));

function aurora(): ComposedResource[] {
  const instances: ComposedResource[] = Array.from({ length: MAX_DB_INSTANCES }, (_, i) => ({
    name: `db-instance-${i + 1}`,
    area: 'database' as const,
    tiers: tiersWhere((p) => p.dbInstances > i),
    base: rds.ClusterInstance.manifest({
      spec: {
        forProvider: {
          region: PATCHED, clusterIdentifierSelector: sel('db-cluster'), engine: 'aurora-postgresql',
          // The cluster's subnet group, said on each instance (Terraform's aws_rds_cluster_instance: it
          // "must match" the cluster's): the instance is in the VPC by its spec, not by a default (RDS.18).
          dbSubnetGroupNameSelector: sel('db-subnet-group'),
          publiclyAccessible: false, autoMinorVersionUpgrade: true, performanceInsightsEnabled: true,
          performanceInsightsKmsKeyIdSelector: sel('kms-key'),
        },
      },
    }),
    patches: [
      externalName(`db-${i + 1}`),
      tierValue('spec.forProvider.instanceClass', (p) => p.dbInstanceClass),
      // Spread instances over the zones for Multi-AZ. RDS takes a zone name, which differs per
      // account for the same AZ ID: the name the private subnet of that slot was created in.
      fromXRRequired(`status.network.availabilityZones[${i % AZS.length}]`, 'spec.forProvider.availabilityZone'),
    ],
  }));
  return [
    {
      name: 'db-subnet-group',
      area: 'database',
      base: rds.SubnetGroup.manifest({
        spec: { forProvider: { region: PATCHED, description: 'payments private subnets', subnetIdSelector: { matchControllerRef: true, matchLabels: { [SUBNET_TIER_LABEL]: 'private' } } } },
      }),
      patches: [externalName('db')],
    },
    {
      name: 'db-cluster',
      area: 'database',
      protectData: true,
      // Late-initialized clusterMembers holds the instances that existed at that moment; the
      // provider then modified the cluster every poll (seen by e2e:aws). Its external name is ours.
      lateInitialize: false,
      base: rds.Cluster.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            engine: 'aurora-postgresql',
            engineVersion: COMMON.engineVersion,
            databaseName: 'payments',
            masterUsername: 'payments_admin',
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyIdSelector: sel('kms-key'),
            storageEncrypted: true,
            kmsKeyIdSelector: sel('kms-key'),
            iamDatabaseAuthenticationEnabled: true,
            copyTagsToSnapshot: true,
            // The PostgreSQL log goes to CloudWatch Logs (PCI DSS 10.2; observability.ts composes the group).
            enabledCloudwatchLogsExports: ['postgresql'],
            dbSubnetGroupNameSelector: sel('db-subnet-group'),
            vpcSecurityGroupIdSelector: sel('sg-db'),
          },
        },
      }),
      patches: [
        externalName('db'),
        tierValue('spec.forProvider.backupRetentionPeriod', (p) => p.dbBackupRetentionDays),
        tierValue('spec.forProvider.skipFinalSnapshot', (p) => p.dbSkipFinalSnapshot),
        tierValue('spec.forProvider.deletionProtection', (p) => !p.dataDeletable),
        // Used only in tiers that take a final snapshot.
        envName('spec.forProvider.finalSnapshotIdentifier', 'payment-db-%s-final'),
        toXR('status.atProvider.endpoint', 'status.database.endpoint'),
        toXR('status.atProvider.masterUserSecret[0].secretArn', 'status.database.secretArn'),
      ],
    },
    ...instances,
    ...eventSubscriptions(),
  ];
}

/**
 * RDS events to the alarm topic (tiers with alarms): the cluster's failures and maintenance, and
 * configuration changes of parameter groups (PCI DSS 10.7, 11.5; Prowler rds_cluster_critical_event_subscription,
 * rds_instance_event_subscription_parameter_groups). The topic and key policies let RDS publish.
 */
function eventSubscriptions(): ComposedResource[] {
  const tiers = tiersWhere((p) => p.alarms !== undefined);
  const subscriptions = [
    { name: 'db-events-cluster', suffix: 'cluster', sourceType: 'db-cluster', eventCategories: ['failure', 'maintenance'], ofCluster: true },
    { name: 'db-events-parameter-groups', suffix: 'parameter-groups', sourceType: 'db-parameter-group', eventCategories: ['configuration change'], ofCluster: false },
  ];
  return subscriptions.map((e) => ({
    name: e.name,
    area: 'database' as const,
    tiers,
    base: rds.EventSubscription.manifest({
      spec: { forProvider: { region: PATCHED, enabled: true, sourceType: e.sourceType, eventCategories: e.eventCategories, snsTopicSelector: sel('alarm-topic') } },
    }),
    patches: [
      envName(`metadata.annotations[${EXTERNAL_NAME}]`, `payment-db-%s-${e.suffix}`),
      ...(e.ofCluster ? [envName('spec.forProvider.sourceIds[0]', 'payment-db-%s')] : []),
    ],
  }));
}

/** DynamoDB tables: sessions (by id) and transactions (by id). */
export const TABLES = ['sessions', 'transactions'] as const;
const DYNAMO_DIMENSIONS = { read: 'ReadCapacityUnits', write: 'WriteCapacityUnits' } as const;

function tables(): ComposedResource[] {
  const provisioned = tiersWhere((p) => p.dynamoCapacity !== undefined);
  return TABLES.flatMap((table) => [
    {
      name: `table-${table}`,
      area: 'database' as const,
      protectData: true,
      // Application Auto Scaling owns provisioned capacity once the table exists (prod): set at
      // creation only, never late-initialized into forProvider (see ecs-service). DynamoDB also
      // limits capacity decreases per day, so putting a scale-out back could lock scaling in.
      lateInitialize: false,
      base: dynamodb.Table.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            hashKey: 'id',
            attribute: [{ name: 'id', type: 'S' }],
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true },
          },
        },
      }),
      patches: [
        externalName(table),
        tierValue('spec.forProvider.billingMode', (p) => p.dynamoBillingMode),
        tierValue('spec.forProvider.deletionProtectionEnabled', (p) => !p.dataDeletable),
        tierFields('spec.initProvider', (p) => (p.dynamoCapacity
          ? { readCapacity: p.dynamoCapacity.min, writeCapacity: p.dynamoCapacity.min } : {})),
        // The CMK's ARN exists only once the key does: the table waits for it.
        fromXRRequired('status.kmsKeyArn', 'spec.forProvider.serverSideEncryption.kmsKeyArn'),
      ],
    },
    // Provisioned tiers scale read and write capacity on utilisation.
    ...(['read', 'write'] as const).flatMap((dim) => [
      {
        name: `table-${table}-${dim}-target`,
        area: 'database' as const,
        tiers: provisioned,
        base: appautoscaling.Target.manifest({
          spec: { forProvider: { region: PATCHED, serviceNamespace: 'dynamodb', scalableDimension: `dynamodb:table:${DYNAMO_DIMENSIONS[dim]}` } },
        }),
        patches: [
          envName('spec.forProvider.resourceId', `table/payment-${table}-%s`),
          tierValue('spec.forProvider.minCapacity', (p) => p.dynamoCapacity?.min ?? 0),
          tierValue('spec.forProvider.maxCapacity', (p) => p.dynamoCapacity?.max ?? 0),
        ],
      },
      {
        name: `table-${table}-${dim}-policy`,
        area: 'database' as const,
        tiers: provisioned,
        tagged: false,
        base: appautoscaling.Policy.manifest({
          spec: {
            forProvider: {
              region: PATCHED, policyType: 'TargetTrackingScaling',
              serviceNamespace: 'dynamodb', scalableDimension: `dynamodb:table:${DYNAMO_DIMENSIONS[dim]}`,
              targetTrackingScalingPolicyConfiguration: {
                targetValue: COMMON.dynamoTargetUtilizationPercent,
                predefinedMetricSpecification: { predefinedMetricType: `DynamoDB${dim === 'read' ? 'Read' : 'Write'}CapacityUtilization` },
              },
            },
          },
        }),
        patches: [
          envName(`metadata.annotations[${EXTERNAL_NAME}]`, `payment-${table}-${dim}-%s`),
          envName('spec.forProvider.resourceId', `table/payment-${table}-%s`),
        ],
      },
    ]),
  ]);
}

export function database(): ComposedResource[] {
  return [...aurora(), ...tables(), ...backups()];
}
