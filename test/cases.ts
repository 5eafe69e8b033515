// Bad environment specs, each with the problem synth must report. Cases marked
// `xrd` are expressible in the XRD schema: the API server (and `crossplane
// resource validate`) must reject the same claim.
import { GOOD_SPECS } from './design-table';

export interface BadCase {
  readonly reason: string;
  readonly base: keyof typeof GOOD_SPECS;
  /** Fields to set (undefined deletes the field). */
  readonly set: Record<string, unknown>;
  /** `<field path>: <message>` expected in payenv validate's output. */
  readonly expect: string;
  readonly xrd: boolean;
}

export const BAD_CASES: BadCase[] = [
  { reason: 'tier outside the enum', base: 'dev', set: { tier: 'qa' }, expect: 'spec.tier: must be one of dev, staging, prod, got "qa"', xrd: true },
  { reason: 'region not an AWS region', base: 'dev', set: { region: 'mars-1' }, expect: 'spec.region: must be an AWS region name such as us-east-1, got "mars-1"', xrd: true },
  { reason: 'public CIDR', base: 'dev', set: { vpcCidr: '8.8.0.0/16' }, expect: 'spec.vpcCidr: must be a private RFC 1918 IPv4 /16 with no host bits, e.g. 10.1.0.0/16, got "8.8.0.0/16"', xrd: true },
  { reason: 'not a /16', base: 'dev', set: { vpcCidr: '10.1.0.0/24' }, expect: 'spec.vpcCidr: must be a private RFC 1918 IPv4 /16 with no host bits, e.g. 10.1.0.0/16, got "10.1.0.0/24"', xrd: true },
  { reason: 'host bits set', base: 'dev', set: { vpcCidr: '10.1.5.0/16' }, expect: 'spec.vpcCidr: must be a private RFC 1918 IPv4 /16 with no host bits, e.g. 10.1.0.0/16, got "10.1.5.0/16"', xrd: true },
  { reason: 'outside RFC 1918 172.16/12', base: 'dev', set: { vpcCidr: '172.32.0.0/16' }, expect: 'spec.vpcCidr: must be a private RFC 1918 IPv4 /16 with no host bits, e.g. 10.1.0.0/16, got "172.32.0.0/16"', xrd: true },
  { reason: 'prod without drRegion', base: 'prod', set: { drRegion: undefined }, expect: 'spec.drRegion: required when tier is prod', xrd: true },
  { reason: 'drRegion equal to region', base: 'prod', set: { drRegion: 'us-east-1' }, expect: 'spec.drRegion: must differ from region', xrd: true },
  { reason: 'prod image by tag', base: 'prod', set: { appImage: '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.0.0' }, expect: 'spec.appImage: must be pinned by @sha256: digest when tier is prod', xrd: true },
  { reason: 'image outside Amazon ECR (Lambda runs ECR images only)', base: 'dev', set: { appImage: 'registry.example.com/payments/api:1.4.2' }, expect: 'spec.appImage: must be an Amazon ECR private image such as 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.4.2 or ...@sha256:<64 hex> (Lambda runs no other registry), got "registry.example.com/payments/api:1.4.2"', xrd: true },
  { reason: 'ECR image in another region than the environment', base: 'dev', set: { appImage: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/payments/api:1.4.2' }, expect: 'spec.appImage: must be in the environment\'s region (<account>.dkr.ecr.<region>.amazonaws.com/...): Lambda pulls images only from its own Region', xrd: true },
  { reason: 'image with spaces', base: 'dev', set: { appImage: 'not an image' }, expect: 'spec.appImage: must be an Amazon ECR private image such as 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.4.2 or ...@sha256:<64 hex> (Lambda runs no other registry), got "not an image"', xrd: true },
  { reason: 'apiDomain never public (ACM cannot validate it)', base: 'dev', set: { apiDomain: 'api-dev.payments.internal' }, expect: 'spec.apiDomain: must be a public DNS name: ACM validates its certificate by a DNS record, and .internal, .local, .localhost, .test, .invalid, .example and .arpa names are never public', xrd: true },
  { reason: 'apiDomain not a DNS name', base: 'dev', set: { apiDomain: 'https://api' }, expect: 'spec.apiDomain: must be a lower-case DNS name such as api-dev.payments.example.com, got "https://api"', xrd: true },
  { reason: 'prod data classified internal', base: 'prod', set: { dataClassification: 'internal' }, expect: 'spec.dataClassification: must be confidential or restricted when tier is prod', xrd: true },
  { reason: 'unknown classification', base: 'dev', set: { dataClassification: 'secret' }, expect: 'spec.dataClassification: must be one of public, internal, confidential, restricted, got "secret"', xrd: true },
  { reason: 'staging without alarm e-mail', base: 'staging', set: { alarmEmail: undefined }, expect: 'spec.alarmEmail: required when tier is staging or prod', xrd: true },
  { reason: 'alarm e-mail malformed', base: 'staging', set: { alarmEmail: 'oncall' }, expect: 'spec.alarmEmail: must be an e-mail address, got "oncall"', xrd: true },
  { reason: 'missing required costCenter', base: 'dev', set: { costCenter: undefined }, expect: 'spec.costCenter: required', xrd: true },
  { reason: 'wrong type', base: 'dev', set: { region: 5 }, expect: 'spec.region: must be a string, got number 5', xrd: true },
  { reason: 'unknown field at top of spec', base: 'dev', set: { instanceClass: 'db.r6g.4xlarge' }, expect: 'spec.instanceClass: unknown field', xrd: true },
  { reason: 'unknown field nested in adminPeering', base: 'dev', set: { adminPeering: { vpcId: 'vpc-0123456789abcdef0', cidr: '10.255.0.0/16', routes: 'all' } }, expect: 'spec.adminPeering.routes: unknown field', xrd: true },
  { reason: 'adminPeering without vpcId', base: 'dev', set: { adminPeering: { cidr: '10.255.0.0/16' } }, expect: 'spec.adminPeering.vpcId: required', xrd: true },
  { reason: 'admin CIDR overlapping the VPC', base: 'dev', set: { adminPeering: { vpcId: 'vpc-0123456789abcdef0', cidr: '10.11.128.0/17' } }, expect: 'spec.adminPeering.cidr: must not overlap vpcCidr', xrd: true },
  { reason: 'admin CIDR with host bits', base: 'dev', set: { adminPeering: { vpcId: 'vpc-0123456789abcdef0', cidr: '10.255.1.0/16' } }, expect: 'spec.adminPeering.cidr: must have no host bits set', xrd: true },
  { reason: 'admin CIDR public', base: 'dev', set: { adminPeering: { vpcId: 'vpc-0123456789abcdef0', cidr: '100.64.0.0/16' } }, expect: 'spec.adminPeering.cidr: must be a private RFC 1918 IPv4 CIDR such as 10.255.0.0/16, got "100.64.0.0/16"', xrd: true },
  { reason: 'bad peer VPC id', base: 'dev', set: { adminPeering: { vpcId: 'vpc-xyz', cidr: '10.255.0.0/16' } }, expect: 'spec.adminPeering.vpcId: must be a VPC id such as vpc-0123456789abcdef0, got "vpc-xyz"', xrd: true },
];

export function badSpec(c: BadCase): Record<string, unknown> {
  const spec: Record<string, unknown> = { ...GOOD_SPECS[c.base] };
  for (const [k, v] of Object.entries(c.set)) {
    if (v === undefined) delete spec[k];
    else spec[k] = v;
  }
  return spec;
}
