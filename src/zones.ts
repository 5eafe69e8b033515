// The three Availability Zones of each region an environment may be placed in, by AZ ID.
// Zone names (us-east-1a) map to different physical zones in different accounts of the
// oldest Regions, and not every account can use every zone; an AZ ID (use1-az1) is the same
// physical zone in every account, and a subnet can be placed by it (CreateSubnet
// AvailabilityZoneId). https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html
// Each Region has at least three zones, but which IDs exist differs (us-west-1 offers an
// account two; ap-northeast-1 has no az3), so a region is supported only when listed here.
// Adopting: confirm the IDs your accounts can use with
//   aws ec2 describe-availability-zones --region <region> --query 'AvailabilityZones[].ZoneId'
// and add or change a line; synth refuses an environment in a region not listed.
import { Problem } from './validate';

export const ZONE_IDS: Readonly<Record<string, readonly [string, string, string]>> = {
  // use1-az3 is left out: AWS offers new instance types there last, if at all.
  'us-east-1': ['use1-az1', 'use1-az2', 'use1-az4'],
  'us-east-2': ['use2-az1', 'use2-az2', 'use2-az3'],
  'us-west-2': ['usw2-az1', 'usw2-az2', 'usw2-az3'],
  'eu-west-1': ['euw1-az1', 'euw1-az2', 'euw1-az3'],
  'eu-central-1': ['euc1-az1', 'euc1-az2', 'euc1-az3'],
};

export const ZONES_FILE = 'src/zones.ts';

/** An environment's region must have three zone IDs here (its DR region holds no subnets). */
export function zoneProblems(envs: { file: string; spec: { region: string } }[]): Problem[] {
  const problems: Problem[] = [];
  for (const [region, ids] of Object.entries(ZONE_IDS)) {
    const bad = ids.filter((id) => !/^[a-z]{2,6}[0-9]-az[0-9]+$/.test(id));
    if (bad.length || new Set(ids).size !== 3) problems.push({ file: ZONES_FILE, path: `ZONE_IDS.${region}`, message: `must be three distinct AZ IDs such as use1-az1, got ${JSON.stringify(ids)}` });
  }
  for (const e of envs) {
    if (!ZONE_IDS[e.spec.region]) {
      problems.push({ file: e.file, path: 'spec.region', message: `no Availability Zone IDs for ${e.spec.region} in ${ZONES_FILE} (supported: ${Object.keys(ZONE_IDS).join(', ')}): add the three AZ IDs your accounts use there` });
    }
  }
  return problems;
}

/** region -> the AZ ID of zone i (0-2), as a map transform's input. */
export const zoneIdByRegion = (i: number): Record<string, string> => Object.fromEntries(Object.entries(ZONE_IDS).map(([r, ids]) => [r, ids[i]]));
