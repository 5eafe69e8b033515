// Valid environment files for runs at scale (npm run bench, bench:scale, e2e:faults): distinct
// names, private /16s that do not overlap and API domains, tiers in turn.
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';

/** The i-th private /16: 10.0-255, then 172.16-31, then 192.168 (273 in all). */
export function privateSlash16(i: number): string {
  if (i < 256) return `10.${i}.0.0/16`;
  if (i < 272) return `172.${16 + i - 256}.0.0/16`;
  if (i === 272) return '192.168.0.0/16';
  throw new Error('RFC 1918 has 273 /16 networks');
}

/** One valid claim: `name` in namespace payments-<name>, of the given tier, on the given /16. */
export function environmentDoc(name: string, tier: 'dev' | 'staging' | 'prod', vpcCidr: string) {
  const spec: Record<string, unknown> = {
    tier, region: 'us-east-1', vpcCidr,
    appImage: tier === 'prod' ? `111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api@sha256:${'b'.repeat(64)}` : '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.0.0',
    apiDomain: `api-${name}.payments.example.com`, costCenter: 'CC-1', owner: 'bench', dataClassification: tier === 'prod' ? 'restricted' : 'internal',
    ...(tier === 'prod' ? { drRegion: 'us-west-2' } : {}), ...(tier !== 'dev' ? { alarmEmail: 'oncall@example.com' } : {}),
  };
  return { apiVersion: 'platform.paymentenv.io/v1alpha1', kind: 'PaymentEnvironment', metadata: { name, namespace: `payments-${name}` }, spec };
}

/** n valid environments `env-000`.. (tiers in turn) in dir; CIDRs from the first-th private /16 on. */
export function generate(n: number, dir = mkdtempSync(join(tmpdir(), `payenv-bench-${n}-`)), first = 0): string {
  const tiers = ['dev', 'staging', 'prod'] as const;
  for (let i = 0; i < n; i++) {
    const name = `env-${String(i).padStart(3, '0')}`;
    writeFileSync(join(dir, `${name}.yaml`), stringify(environmentDoc(name, tiers[i % 3], privateSlash16(first + i))));
  }
  return dir;
}
