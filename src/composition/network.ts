// Network: VPC over 3 AZs, public and private subnets, IGW, NAT (1 or per AZ),
// route tables, S3/DynamoDB gateway and ECR interface endpoints, security
// groups, optional admin peering. Subnets are generated from one AZ table.
import * as ec2 from '../../imports/ec2.aws.m.upbound.io';
import { COMMON, tiersWhere } from '../policy';
import { zoneIdByRegion } from '../zones';
import { ADMIN_ACCOUNT_ANNOTATION, ADMIN_PEERING_ACCEPTED_BY_ANNOTATION, ADMIN_PROVIDER_CONFIG_NAME, ComposedResource, format, fromXR, fromXRRequired, mapped, PATCHED, regexp, sel, tierValue, toXR } from './resource';

/** The three zone slots, a-c: the composed names' suffixes; each is placed by AZ ID (src/zones.ts). */
export const AZS = ['a', 'b', 'c'].slice(0, COMMON.azCount);

/** Private subnets carry this label so list selectors (DB subnet group) find all three. */
export const SUBNET_TIER_LABEL = 'paymentenv.io/subnet-tier';

/** The third octet of each subnet inside the /16: public /20s first, private /19s after. */
const PUBLIC_OCTET: Record<string, number> = { a: 0, b: 16, c: 32 };
const PRIVATE_OCTET: Record<string, number> = { a: 64, b: 96, c: 128 };

/** "10.1.0.0/16" -> "10.1.<octet>.0/<bits>" */
function subnetCidr(toFieldPath: string, octet: number, bits: number) {
  return fromXR('spec.vpcCidr', toFieldPath,
    regexp('^([0-9]+\\.[0-9]+)\\.', 1),
    format(`%s.${octet}.0/${bits}`));
}

/** The subnet's zone by AZ ID (src/zones.ts): the same physical zone in every account. */
function az(letter: string) {
  return fromXR('spec.region', 'spec.forProvider.availabilityZoneId', mapped(zoneIdByRegion(AZS.indexOf(letter))));
}

function subnets(): ComposedResource[] {
  return AZS.flatMap((l) => [
    {
      name: `subnet-public-${l}`,
      area: 'network' as const,
      base: ec2.Subnet.manifest({
        metadata: { labels: { [SUBNET_TIER_LABEL]: 'public' } },
        spec: { forProvider: { region: PATCHED, vpcIdSelector: sel('vpc'), mapPublicIpOnLaunch: false, tags: { Tier: 'public' } } },
      }),
      patches: [az(l), subnetCidr('spec.forProvider.cidrBlock', PUBLIC_OCTET[l], 20),
        toXR('status.atProvider.id', `status.network.publicSubnetIds[${AZS.indexOf(l)}]`)],
    },
    {
      name: `subnet-private-${l}`,
      area: 'network' as const,
      base: ec2.Subnet.manifest({
        metadata: { labels: { [SUBNET_TIER_LABEL]: 'private' } },
        spec: { forProvider: { region: PATCHED, vpcIdSelector: sel('vpc'), tags: { Tier: 'private' } } },
      }),
      patches: [az(l), subnetCidr('spec.forProvider.cidrBlock', PRIVATE_OCTET[l], 19),
        toXR('status.atProvider.id', `status.network.privateSubnetIds[${AZS.indexOf(l)}]`),
        // The zone's name in this account, for what is placed by name (an Aurora instance).
        toXR('status.atProvider.availabilityZone', `status.network.availabilityZones[${AZS.indexOf(l)}]`)],
    },
  ]);
}

/** NAT gateway per AZ; only AZ a in tiers with one NAT. */
function natGateways(): ComposedResource[] {
  return AZS.flatMap((l, i) => {
    const tiers = tiersWhere((p) => p.natGateways > i);
    return [
      {
        name: `eip-nat-${l}`,
        area: 'network' as const,
        tiers,
        base: ec2.Eip.manifest({ spec: { forProvider: { region: PATCHED, domain: 'vpc' } } }),
      },
      {
        name: `nat-${l}`,
        area: 'network' as const,
        tiers,
        base: ec2.NatGateway.manifest({
          spec: { forProvider: { region: PATCHED, allocationIdSelector: sel(`eip-nat-${l}`), subnetIdSelector: sel(`subnet-public-${l}`) } },
        }),
        // A public NAT gateway created while its VPC has no internet gateway attached fails for
        // good (state failed, Gateway.NotAttached: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html),
        // and nothing else orders the two: composed only once the gateway is (its id, as a tag).
        patches: [fromXRRequired('status.network.internetGatewayId', 'spec.forProvider.tags.InternetGateway')],
      },
    ];
  });
}

function routing(): ComposedResource[] {
  const publicTable: ComposedResource[] = [
    {
      name: 'igw', area: 'network',
      base: ec2.InternetGateway.manifest({ spec: { forProvider: { region: PATCHED, vpcIdSelector: sel('vpc') } } }),
      // Observed once created and attached (Terraform attaches on create): the NAT gateways wait for it.
      patches: [toXR('status.atProvider.id', 'status.network.internetGatewayId')],
    },
    { name: 'rt-public', area: 'network', base: ec2.RouteTable.manifest({ spec: { forProvider: { region: PATCHED, vpcIdSelector: sel('vpc') } } }) },
    {
      name: 'route-public-default',
      area: 'network',
      tagged: false,
      base: ec2.Route.manifest({
        spec: { forProvider: { region: PATCHED, routeTableIdSelector: sel('rt-public'), destinationCidrBlock: '0.0.0.0/0', gatewayIdSelector: sel('igw') } },
      }),
    },
  ];
  const perAz: ComposedResource[] = AZS.flatMap((l) => [
    {
      name: `rta-public-${l}`,
      area: 'network' as const,
      tagged: false,
      base: ec2.RouteTableAssociation.manifest({
        spec: { forProvider: { region: PATCHED, routeTableIdSelector: sel('rt-public'), subnetIdSelector: sel(`subnet-public-${l}`) } },
      }),
    },
    { name: `rt-private-${l}`, area: 'network' as const, base: ec2.RouteTable.manifest({ spec: { forProvider: { region: PATCHED, vpcIdSelector: sel('vpc') } } }) },
    {
      name: `route-private-${l}-default`,
      area: 'network' as const,
      tagged: false,
      base: ec2.Route.manifest({
        spec: { forProvider: { region: PATCHED, routeTableIdSelector: sel(`rt-private-${l}`), destinationCidrBlock: '0.0.0.0/0', natGatewayIdSelector: sel('nat-a') } },
      }),
      // With one NAT per AZ, each private table uses its own AZ's NAT.
      patches: [tierValue(`spec.forProvider.natGatewayIdSelector.matchLabels[paymentenv.io/component]`,
        (p) => (p.natGateways > AZS.indexOf(l) ? `nat-${l}` : 'nat-a'))],
    },
    {
      name: `rta-private-${l}`,
      area: 'network' as const,
      tagged: false,
      base: ec2.RouteTableAssociation.manifest({
        spec: { forProvider: { region: PATCHED, routeTableIdSelector: sel(`rt-private-${l}`), subnetIdSelector: sel(`subnet-private-${l}`) } },
      }),
    },
  ]);
  return [...publicTable, ...perAz];
}

function endpoints(): ComposedResource[] {
  const gateways = (['s3', 'dynamodb'] as const).flatMap((svc) => [
    {
      name: `vpce-${svc}`,
      area: 'network' as const,
      base: ec2.VpcEndpoint.manifest({ spec: { forProvider: { region: PATCHED, vpcIdSelector: sel('vpc'), vpcEndpointType: 'Gateway' } } }),
      patches: [fromXR('spec.region', 'spec.forProvider.serviceName', format(`com.amazonaws.%s.${svc}`))],
    },
    ...AZS.map((l) => ({
      name: `vpce-${svc}-rt-private-${l}`,
      area: 'network' as const,
      tagged: false,
      base: ec2.VpcEndpointRouteTableAssociation.manifest({
        spec: { forProvider: { region: PATCHED, vpcEndpointIdSelector: sel(`vpce-${svc}`), routeTableIdSelector: sel(`rt-private-${l}`) } },
      }),
    })),
  ]);
  const interfaces = (['ecr.api', 'ecr.dkr'] as const).map((svc) => ({
    name: `vpce-${svc.replace('.', '-')}`,
    area: 'network' as const,
    base: ec2.VpcEndpoint.manifest({
      spec: {
        forProvider: {
          region: PATCHED, vpcIdSelector: sel('vpc'), vpcEndpointType: 'Interface', privateDnsEnabled: true,
        },
      },
    }),
    patches: [fromXR('spec.region', 'spec.forProvider.serviceName', format(`com.amazonaws.%s.${svc}`))],
  }));
  // Interface endpoints sit in every private subnet behind the endpoints security group.
  const attachments = interfaces.flatMap((e) => [
    ...AZS.map((l) => ({
      name: `${e.name}-subnet-${l}`,
      area: 'network' as const,
      tagged: false,
      base: ec2.VpcEndpointSubnetAssociation.manifest({
        spec: { forProvider: { region: PATCHED, vpcEndpointIdSelector: sel(e.name), subnetIdSelector: sel(`subnet-private-${l}`) } },
      }),
    })),
    {
      name: `${e.name}-sg`,
      area: 'network' as const,
      tagged: false,
      immutable: true,
      base: ec2.VpcEndpointSecurityGroupAssociation.manifest({
        spec: { forProvider: { region: PATCHED, vpcEndpointIdSelector: sel(e.name), securityGroupIdSelector: sel('sg-endpoints') } },
      }),
    },
  ]);
  return [...gateways, ...interfaces, ...attachments];
}

/** Security groups and their rules: who may talk to whom, nothing wider. */
export const SECURITY_GROUPS = ['alb', 'app', 'lambda', 'db', 'endpoints'] as const;

interface Rule { sg: string; port: number; from: string | { cidrFromXR: string } | { cidr: string } }
const INGRESS: Rule[] = [
  { sg: 'alb', port: 443, from: { cidr: '0.0.0.0/0' } },
  { sg: 'alb', port: 80, from: { cidr: '0.0.0.0/0' } }, // only to redirect to HTTPS
  { sg: 'app', port: COMMON.containerPort, from: 'alb' },
  { sg: 'db', port: 5432, from: 'app' },
  { sg: 'db', port: 5432, from: 'lambda' },
  { sg: 'endpoints', port: 443, from: { cidrFromXR: 'spec.vpcCidr' } },
];

/** One TCP port of a security group, to or from another group or a CIDR (patched when neither). */
function sgRule(type: 'ingress' | 'egress', sg: string, port: number, peer: { sg?: string; cidr?: string }) {
  return ec2.SecurityGroupRule.manifest({
    spec: {
      forProvider: {
        region: PATCHED, type, securityGroupIdSelector: sel(`sg-${sg}`), protocol: 'tcp', fromPort: port, toPort: port,
        // For egress the "source" group is the destination (aws_security_group_rule).
        ...(peer.sg ? { sourceSecurityGroupIdSelector: sel(`sg-${peer.sg}`) } : {}),
        ...(peer.cidr ? { cidrBlocks: [peer.cidr] } : {}),
      },
    },
  });
}

function securityGroups(): ComposedResource[] {
  const groups: ComposedResource[] = SECURITY_GROUPS.map((sg) => ({
    name: `sg-${sg}`,
    area: 'network' as const,
    base: ec2.SecurityGroup.manifest({
      spec: { forProvider: { region: PATCHED, vpcIdSelector: sel('vpc'), description: `payments ${sg}` } },
    }),
    patches: [
      fromXR('metadata.name', 'spec.forProvider.name', format(`payment-${sg}-%s`)),
      // EC2's convention: the Name tag is what consoles and scanners show (ARNs carry only the id).
      fromXR('metadata.name', 'spec.forProvider.tags.Name', format(`payment-${sg}-%s`)),
    ],
  }));
  // SecurityGroupRule (aws_security_group_rule), not SecurityGroupIngressRule/EgressRule: with
  // the pinned provider (v2.5.0) those never get created ("Missing Resource Identity After
  // Read", provider-upjet-aws#2003, #2085), seen against the emulator by npm run e2e:aws.
  const ingress: ComposedResource[] = INGRESS.map((r) => {
    const source = typeof r.from === 'string' ? r.from : 'cidr' in r.from ? r.from.cidr.replace(/[./]/g, '-') : 'vpc';
    return {
      name: `sg-${r.sg}-in-${r.port}-${source}`,
      area: 'network' as const,
      tagged: false,
      base: sgRule('ingress', r.sg, r.port, typeof r.from === 'string' ? { sg: r.from } : 'cidr' in r.from ? { cidr: r.from.cidr } : {}),
      patches: typeof r.from === 'object' && 'cidrFromXR' in r.from ? [fromXR(r.from.cidrFromXR, 'spec.forProvider.cidrBlocks[0]')] : undefined,
    };
  });
  // Egress: the ALB only to the app port; app and Lambda to HTTPS (AWS APIs) and the DB.
  const egress: ComposedResource[] = [
    { sg: 'alb', port: COMMON.containerPort, to: 'app' },
    { sg: 'app', port: 443, to: undefined },
    { sg: 'app', port: 5432, to: 'db' },
    { sg: 'lambda', port: 443, to: undefined },
    { sg: 'lambda', port: 5432, to: 'db' },
  ].map((r) => ({
    name: `sg-${r.sg}-out-${r.port}-${r.to ?? 'https'}`,
    area: 'network' as const,
    tagged: false,
    base: sgRule('egress', r.sg, r.port, r.to ? { sg: r.to } : { cidr: '0.0.0.0/0' }),
  }));
  return [...groups, ...ingress, ...egress];
}

/** Optional peering to the admin VPC, with routes from the private tables and DB access. */
const HAS_PEERING = 'has(observed.composite.resource.spec.adminPeering)';
function adminPeering(): ComposedResource[] {
  return [
    {
      name: 'peering-admin',
      area: 'network',
      when: HAS_PEERING,
      // The requester side. AWS accepts on the requester's autoAccept only within one account
      // and region; an admin VPC in another account accepts with its own role (peering-admin-accepter).
      base: ec2.VpcPeeringConnection.manifest({ spec: { forProvider: { region: PATCHED, vpcIdSelector: sel('vpc') } } }),
      patches: [
        fromXR('spec.adminPeering.vpcId', 'spec.forProvider.peerVpcId'),
        fromXR(`metadata.annotations[${ADMIN_ACCOUNT_ANNOTATION}]`, 'spec.forProvider.peerOwnerId'),
        fromXR(`metadata.annotations[${ADMIN_PEERING_ACCEPTED_BY_ANNOTATION}]`, 'spec.forProvider.autoAccept',
          mapped({ requester: true, accepter: false })),
      ],
    },
    {
      // Only across accounts: in one account requester and accepter are one AWS object, and upjet
      // writes its crossplane-kind/name/providerconfig tags into each managed resource, so the two
      // re-tagged the connection on every poll (e2e:aws, the provider's debug diff).
      name: 'peering-admin-accepter',
      area: 'network',
      when: `${HAS_PEERING} && observed.composite.resource.metadata.annotations['${ADMIN_PEERING_ACCEPTED_BY_ANNOTATION}'] == 'accepter'`,
      // Managed in the admin VPC's account, with the accepter role (dist/bootstrap/iam-peering-accepter.yaml).
      providerConfig: ADMIN_PROVIDER_CONFIG_NAME,
      base: ec2.VpcPeeringConnectionAccepter.manifest({
        spec: { forProvider: { region: PATCHED, autoAccept: true, vpcPeeringConnectionIdSelector: sel('peering-admin') } },
      }),
    },
    ...AZS.map((l) => ({
      name: `route-private-${l}-admin`,
      area: 'network' as const,
      when: HAS_PEERING,
      tagged: false,
      base: ec2.Route.manifest({
        spec: { forProvider: { region: PATCHED, routeTableIdSelector: sel(`rt-private-${l}`), vpcPeeringConnectionIdSelector: sel('peering-admin') } },
      }),
      patches: [fromXR('spec.adminPeering.cidr', 'spec.forProvider.destinationCidrBlock')],
    })),
    {
      name: 'sg-db-in-5432-admin',
      area: 'network',
      when: HAS_PEERING,
      tagged: false,
      base: sgRule('ingress', 'db', 5432, {}),
      patches: [fromXR('spec.adminPeering.cidr', 'spec.forProvider.cidrBlocks[0]')],
    },
  ];
}

export function network(): ComposedResource[] {
  return [
    {
      name: 'vpc',
      area: 'network',
      base: ec2.Vpc.manifest({ spec: { forProvider: { region: PATCHED, enableDnsHostnames: true, enableDnsSupport: true } } }),
      patches: [
        fromXR('spec.vpcCidr', 'spec.forProvider.cidrBlock'),
        toXR('status.atProvider.id', 'status.network.vpcId'),
        // The config hash the live resources were last composed from.
        toXR('spec.forProvider.tags.ConfigHash', 'status.configHash'),
      ],
    },
    ...subnets(),
    ...natGateways(),
    ...routing(),
    ...endpoints(),
    ...securityGroups(),
    ...adminPeering(),
  ];
}
