// Backup (tiers with policy.backupRetentionDays): an AWS Backup vault under the environment
// key with a Vault Lock, a daily plan, and a selection naming the DB cluster and both tables.
// The stores' own continuous backups (Aurora retention, DynamoDB PITR) stay as they are; the
// vault adds recovery points that nobody deletes before their retention ends.
import * as backup from '../../imports/backup.aws.m.upbound.io';
import { COMMON, tiersWhere } from '../policy';
import { ComposedResource, envName, EXTERNAL_NAME, PATCHED, sel, tierValue, waitsFor } from './resource';
import { ARN, arnPatch } from './security';

/** Vault, plan and selection share the name `payment-backup-<env>`. */
const NAME = 'payment-backup-%s';
/** What the plan protects: every data store of the environment. */
export const BACKED_UP = [ARN.dbCluster, ARN.sessionsTable, ARN.transactionsTable] as const;

export function backups(): ComposedResource[] {
  const tiers = tiersWhere((p) => p.backupRetentionDays !== undefined);
  const days = (toFieldPath: string) => tierValue(toFieldPath, (p) => p.backupRetentionDays ?? 0);
  return [
    {
      name: 'backup-vault',
      area: 'database',
      tiers,
      protectData: true,
      base: backup.Vault.manifest({ spec: { forProvider: { region: PATCHED, kmsKeyArnSelector: sel('kms-key'), forceDestroy: false } } }),
      patches: [envName(`metadata.annotations[${EXTERNAL_NAME}]`, NAME)],
    },
    {
      // Governance mode (no changeableForDays): no recovery point leaves the vault before the
      // plan's retention, while a break-glass principal with backup:DeleteBackupVaultLockConfiguration
      // can still lift the lock; compliance mode would be irreversible after its grace time.
      name: 'backup-vault-lock',
      area: 'database',
      tiers,
      tagged: false,
      protectData: true,
      base: backup.VaultLockConfiguration.manifest({
        spec: { forProvider: { region: PATCHED, backupVaultNameSelector: sel('backup-vault'), maxRetentionDays: COMMON.auditLockDays } },
      }),
      // Its id is the vault's name, which the provider records itself: an external name set here
      // would make the first observe find the vault and take the lock for existing.
      // The vault's name is known before the vault exists (its external name is set here), so the
      // reference resolves at once; AWS refuses the lock until then (ResourceNotFoundException,
      // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html).
      when: waitsFor('backup-vault-lock', 'backup-vault', 'arn'),
      patches: [days('spec.forProvider.minRetentionDays')],
    },
    {
      name: 'backup-plan',
      area: 'database',
      tiers,
      base: backup.Plan.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            name: PATCHED,
            rule: [{
              ruleName: 'daily',
              schedule: COMMON.backupSchedule,
              startWindow: COMMON.backupStartWindowMinutes,
              completionWindow: COMMON.backupCompletionWindowMinutes,
            }],
          },
        },
      }),
      // The vault by its name (the vault's external name), not a selector inside the atomic `rule`
      // list: the reference resolver and the Composition rewrote the list in turn (e2e:aws).
      patches: [
        envName('spec.forProvider.name', NAME), envName('spec.forProvider.rule[0].targetVaultName', NAME),
        days('spec.forProvider.rule[0].lifecycle.deleteAfter'),
      ],
    },
    {
      name: 'backup-selection',
      area: 'database',
      tiers,
      tagged: false,
      base: backup.Selection.manifest({
        spec: { forProvider: { region: PATCHED, name: PATCHED, planIdSelector: sel('backup-plan'), iamRoleArnSelector: sel('role-backup') } },
      }),
      patches: [
        envName('spec.forProvider.name', NAME),
        ...BACKED_UP.map((arn, i) => arnPatch(`spec.forProvider.resources[${i}]`, arn)),
      ],
    },
  ];
}
