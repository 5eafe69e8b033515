// The Prowler mutelist (compliance/mutelist.yaml): every mute is scoped to named
// environments by tag and says why; prod is muted for no more than dev is.
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { ROOT_DIR } from '../src/versions';

const checks: Record<string, { Regions: string[]; Resources: string[]; Tags?: string[]; Description?: string }> =
  parse(readFileSync(join(ROOT_DIR, 'compliance', 'mutelist.yaml'), 'utf8')).Mutelist.Accounts['*'].Checks;
const ENVS = ['dev', 'staging', 'prod'];
/** The environments a mute's tag patterns match, as Prowler matches them (regex on key=value). */
const mutedIn = (tags: string[] = []) => ENVS.filter((env) => tags.some((t) => new RegExp(`^(${t})$`).test(`Environment=${env}`)));

/** Prowler's resource id of an account-level finding: the account id (not a resource of an environment). */
const ACCOUNT_FINDING = '^[0-9]{12}$';

test.each(Object.entries(checks))('%s: a reason, and scoped by tag, to one named region or to account-level findings (no blanket mute)', (_check, m) => {
  expect(m.Description?.trim().length).toBeGreaterThan(60);
  const byTag = (m.Tags ?? []).length > 0 && !m.Tags!.includes('*');
  const byRegion = m.Regions.length === 1 && m.Regions[0] !== '*' && !m.Resources.includes('*');
  const accountLevelOnly = m.Resources.length > 0 && m.Resources.every((r) => r === ACCOUNT_FINDING);
  expect(byTag || byRegion || accountLevelOnly).toBe(true);
});

test('prod is muted only where dev is too', () => {
  for (const [check, m] of Object.entries(checks)) {
    if (mutedIn(m.Tags).includes('prod')) expect([check, mutedIn(m.Tags)]).toEqual([check, expect.arrayContaining(['dev', 'prod'])]);
  }
  // The data controls prod keeps stay unmuted there.
  for (const check of ['dynamodb_table_deletion_protection_enabled', 'rds_cluster_deletion_protection', 's3_bucket_object_lock']) {
    expect(mutedIn(checks[check].Tags)).not.toContain('prod');
  }
});
