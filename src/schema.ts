// The allowed variables of a PaymentEnvironment, defined once.
//
// From this file come both the XRD's OpenAPI schema (types, enums, patterns and
// CEL `x-kubernetes-validations`) and the synth-time validation of
// environments/*.yaml (src/validate.ts). Every rule carries its CEL expression
// and the TypeScript predicate that enforces the same thing; test/schema.test.ts
// runs the same bad inputs through both and `crossplane resource validate`.

export const TIERS = ['dev', 'staging', 'prod'] as const;
export type Tier = (typeof TIERS)[number];

export const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;

export interface AdminPeering {
  readonly vpcId: string;
  readonly cidr: string;
}

/** The spec of one environment: the only things an environment may choose. */
export interface EnvironmentSpec {
  readonly tier: Tier;
  readonly region: string;
  readonly drRegion?: string;
  readonly vpcCidr: string;
  readonly appImage: string;
  readonly apiDomain: string;
  readonly costCenter: string;
  readonly owner: string;
  readonly dataClassification: (typeof DATA_CLASSIFICATIONS)[number];
  readonly alarmEmail?: string;
  readonly adminPeering?: AdminPeering;
}

/** One scalar field of the spec: its OpenAPI shape and its description. */
export interface FieldSchema {
  readonly type: 'string';
  readonly description: string;
  readonly enum?: readonly string[];
  /** RE2-compatible (CEL `matches`, OpenAPI `pattern`) and JavaScript-compatible. */
  readonly pattern?: string;
  /** Human words for the pattern, used in error messages. */
  readonly patternHint?: string;
  readonly maxLength?: number;
}

export interface ObjectSchema {
  readonly type: 'object';
  readonly description: string;
  readonly properties: Record<string, FieldSchema>;
  readonly required: readonly string[];
}

const AWS_REGION: FieldSchema = {
  type: 'string',
  description: 'AWS region, e.g. us-east-1.',
  pattern: '^[a-z]{2}(-gov)?-(central|north|south|east|west|northeast|northwest|southeast|southwest)-[1-9]$',
  patternHint: 'an AWS region name such as us-east-1',
  maxLength: 20,
};

// A private RFC 1918 IPv4 network (any prefix), no host bits is checked by rule.
const PRIVATE_CIDR =
  '^(10\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/(8|9|[12][0-9]|3[0-2])' +
  '|172\\.(1[6-9]|2[0-9]|3[01])\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/(1[2-9]|2[0-9]|3[0-2])' +
  '|192\\.168\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/(1[6-9]|2[0-9]|3[0-2]))$';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';

/** The fields under spec, in the order people write them. */
export const SPEC_FIELDS: Record<keyof EnvironmentSpec, FieldSchema | ObjectSchema> = {
  tier: {
    type: 'string',
    description: 'Tier of the environment; every sizing and policy value follows from it (src/policy.ts).',
    enum: TIERS,
  },
  region: AWS_REGION,
  drRegion: { ...AWS_REGION, description: 'Disaster-recovery region for replicated data. Required for prod; must differ from region.' },
  vpcCidr: {
    type: 'string',
    description: 'The VPC network: a private RFC 1918 IPv4 /16 with no host bits, not overlapping any other environment.',
    pattern: `^(10\\.${OCTET}\\.0\\.0|172\\.(1[6-9]|2[0-9]|3[01])\\.0\\.0|192\\.168\\.0\\.0)/16$`,
    patternHint: 'a private RFC 1918 IPv4 /16 with no host bits, e.g. 10.1.0.0/16',
    maxLength: 18,
  },
  // Lambda runs container images from Amazon ECR private repositories only, in the function's
  // Region (any account; not ecr-fips): https://docs.aws.amazon.com/lambda/latest/dg/images-create.html
  appImage: {
    type: 'string',
    description: 'Container image of the payment service (ECS task and Lambda function): an Amazon ECR private image in the environment\'s region, by tag or digest (prod: by @sha256: digest).',
    pattern: '^[0-9]{12}\\.dkr\\.ecr\\.[a-z]{2}(-gov)?-[a-z]+-[1-9]\\.amazonaws\\.com/[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$',
    patternHint: 'an Amazon ECR private image such as 111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.4.2 or ...@sha256:<64 hex> (Lambda runs no other registry)',
    maxLength: 255,
  },
  apiDomain: {
    type: 'string',
    description: 'DNS name of the payment API custom domain, e.g. api-dev.payments.example.com.',
    pattern: '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$',
    patternHint: 'a lower-case DNS name such as api-dev.payments.example.com',
    // ACM issues the TLS certificate for it: the first domain name is at most 64 characters
    // (https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
    maxLength: 64,
  },
  costCenter: {
    type: 'string',
    description: 'Cost center tag value, e.g. CC-1234.',
    pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/=+@-]{0,62}$',
    patternHint: 'a tag value of letters, digits and _.:/=+@- (max 63)',
    maxLength: 63,
  },
  owner: {
    type: 'string',
    description: 'Owning team, tagged as Owner, e.g. payments-platform.',
    pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/=+@-]{0,62}$',
    patternHint: 'a tag value of letters, digits and _.:/=+@- (max 63)',
    maxLength: 63,
  },
  dataClassification: {
    type: 'string',
    description: 'Data classification tag. prod must be confidential or restricted.',
    enum: DATA_CLASSIFICATIONS,
  },
  alarmEmail: {
    type: 'string',
    description: 'E-mail address subscribed to the alarm SNS topic. Required for staging and prod.',
    pattern: '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,63}$',
    patternHint: 'an e-mail address',
    maxLength: 254,
  },
  adminPeering: {
    type: 'object',
    description: 'Optional VPC peering to the admin network.',
    properties: {
      vpcId: {
        type: 'string',
        description: 'ID of the admin VPC to peer with.',
        pattern: '^vpc-([0-9a-f]{8}|[0-9a-f]{17})$',
        patternHint: 'a VPC id such as vpc-0123456789abcdef0',
        maxLength: 21,
      },
      cidr: {
        type: 'string',
        description: 'CIDR of the admin VPC: private RFC 1918, must not overlap vpcCidr.',
        pattern: PRIVATE_CIDR,
        patternHint: 'a private RFC 1918 IPv4 CIDR such as 10.255.0.0/16',
        maxLength: 18,
      },
    },
    required: ['vpcId', 'cidr'],
  },
};

export const REQUIRED_FIELDS: readonly (keyof EnvironmentSpec)[] = [
  'tier', 'region', 'vpcCidr', 'appImage', 'apiDomain', 'costCenter', 'owner', 'dataClassification',
];

/** A rule across fields of the spec, enforced by the API server (CEL) and by synth. */
export interface SpecRule {
  /** The field the message is about, as a path under the object the rule sits on. */
  readonly field: string;
  readonly message: string;
  /** CEL on `self` = spec (or on the sub-object named by `on`). */
  readonly cel: string;
  /** The same rule in TypeScript: true when the spec is valid. */
  readonly check: (spec: EnvironmentSpec) => boolean;
}

function cidrRange(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const n = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return [n - (n % size), n - (n % size) + size - 1];
}

/** True when two IPv4 CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [a0, a1] = cidrRange(a);
  const [b0, b1] = cidrRange(b);
  return a0 <= b1 && b0 <= a1;
}

/** True when the CIDR's address has no bits set past its prefix. */
export function cidrHasNoHostBits(cidr: string): boolean {
  const [ip, bits] = cidr.split('/');
  const n = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  return n % 2 ** (32 - Number(bits)) === 0;
}

export const SPEC_RULES: readonly SpecRule[] = [
  {
    field: 'drRegion',
    message: 'required when tier is prod',
    cel: "self.tier != 'prod' || has(self.drRegion)",
    check: (s) => s.tier !== 'prod' || s.drRegion !== undefined,
  },
  {
    field: 'drRegion',
    message: 'must differ from region',
    cel: '!has(self.drRegion) || self.drRegion != self.region',
    check: (s) => s.drRegion === undefined || s.drRegion !== s.region,
  },
  {
    field: 'appImage',
    message: 'must be in the environment\'s region (<account>.dkr.ecr.<region>.amazonaws.com/...): Lambda pulls images only from its own Region',
    cel: "self.appImage.matches('^[0-9]{12}\\\\.dkr\\\\.ecr\\\\.' + self.region + '\\\\.amazonaws\\\\.com/')",
    check: (s) => s.appImage.split('.')[3] === s.region,
  },
  {
    field: 'appImage',
    message: 'must be pinned by @sha256: digest when tier is prod',
    cel: "self.tier != 'prod' || self.appImage.matches('@sha256:[a-f0-9]{64}$')",
    check: (s) => s.tier !== 'prod' || /@sha256:[a-f0-9]{64}$/.test(s.appImage),
  },
  {
    field: 'dataClassification',
    message: 'must be confidential or restricted when tier is prod',
    cel: "self.tier != 'prod' || self.dataClassification in ['confidential', 'restricted']",
    check: (s) => s.tier !== 'prod' || ['confidential', 'restricted'].includes(s.dataClassification),
  },
  {
    field: 'alarmEmail',
    message: 'required when tier is staging or prod',
    cel: "self.tier == 'dev' || has(self.alarmEmail)",
    check: (s) => s.tier === 'dev' || s.alarmEmail !== undefined,
  },
  {
    field: 'adminPeering.cidr',
    message: 'must not overlap vpcCidr',
    // Kubernetes CEL CIDR library (k8s >= 1.31): two networks overlap iff one contains the other.
    cel: '!has(self.adminPeering) || !(cidr(self.vpcCidr).containsCIDR(self.adminPeering.cidr) || cidr(self.adminPeering.cidr).containsCIDR(self.vpcCidr))',
    check: (s) => s.adminPeering === undefined || !cidrsOverlap(s.vpcCidr, s.adminPeering.cidr),
  },
];

/**
 * Fields an existing environment cannot change: every resource placed by them would be
 * replaced, which provider-upjet-aws refuses. The XRD refuses the update (a CEL
 * transition rule, self == oldSelf); `payenv plan` shows the replacements and the way
 * to migrate instead.
 */
export const IMMUTABLE_FIELDS: readonly { field: keyof EnvironmentSpec; migrate: string }[] = [
  { field: 'region', migrate: 'add a new environment in the new region, move traffic and data to it, then retire this one' },
  { field: 'vpcCidr', migrate: 'add a new environment with the new CIDR, move traffic and data to it, then retire this one' },
];
export const IMMUTABLE_MESSAGE = 'cannot change once the environment exists';

/** Rules on a single field that need more than a pattern. */
export const FIELD_RULES: readonly { field: string; message: string; cel: string; check: (v: string) => boolean }[] = [
  {
    // ACM validates the certificate by a record in public DNS; names under these are never public
    // (RFC 6761, RFC 8375, ICANN's .internal): https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
    field: 'apiDomain',
    message: 'must be a public DNS name: ACM validates its certificate by a DNS record, and .internal, .local, .localhost, .test, .invalid, .example and .arpa names are never public',
    cel: "!self.matches('[.](internal|local|localhost|test|invalid|example|arpa)$')",
    check: (v) => !/[.](internal|local|localhost|test|invalid|example|arpa)$/.test(v),
  },
  {
    field: 'adminPeering.cidr',
    message: 'must have no host bits set',
    cel: 'cidr(self) == cidr(self).masked()',
    check: cidrHasNoHostBits,
  },
];

/** Names an environment may have: a DNS label short enough for every AWS name it becomes. */
// No '--': RDS identifiers (payment-db-<env>) refuse two hyphens in a row (API_CreateDBCluster).
export const ENV_NAME_PATTERN = /^(?!.*--)[a-z][a-z0-9-]{0,14}[a-z0-9]$/;
export const ENV_NAME_HINT = 'a lower-case DNS label of 2-16 characters without "--" (it becomes part of AWS names)';
