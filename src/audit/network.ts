// The real-account audit of the network kinds (docs/aws.md "What AWS enforces").
import { AwsRule } from './rule';

// AWS documentation pages the rules below follow.
const VPC_CIDR = 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html';
const VPC_QUOTAS = 'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html';
const VPC_SERVICE_QUOTAS = 'https://docs.aws.amazon.com/general/latest/gr/vpc-service.html';
const SUBNET_SIZING = 'https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html';
const AVAILABILITY_ZONES = 'https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html';
const AZ_IDS = 'https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html';
const ALLOCATE_ADDRESS = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html';
const CREATE_NAT_GATEWAY = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html';
const NAT_GATEWAY = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html';
const NAT_GATEWAYS_GUIDE = 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html';
const ROUTE_TABLES = 'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html';
const CREATE_ROUTE = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html';
const EC2_ERRORS = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html';
const ASSOCIATE_ROUTE_TABLE = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateRouteTable.html';
const CREATE_SECURITY_GROUP = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html';
const IP_PERMISSION = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html';
const SECURITY_GROUP_RULES = 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html';
const PEER_SECURITY_GROUPS = 'https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html';
const GATEWAY_ENDPOINTS = 'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html';
const CREATE_VPC_ENDPOINT = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html';
const MODIFY_VPC_ENDPOINT = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html';
const CREATE_INTERFACE_ENDPOINT = 'https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html';
const ECR_ENDPOINTS = 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html';
const CREATE_PEERING = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcPeeringConnection.html';
const PEERING_ROUTES = 'https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html';
const EC2_TAGS = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions';

/** A test of test/audit-network.test.ts, by its name as written there. */
const audit = (name: string) => `test/audit-network.test.ts: ${name}`;
const SUBNET_CIDRS = audit('Subnet: every subnet is a /16 to /28 inside the VPC CIDR, and no two subnets of the VPC overlap');
const ZONES = audit('Availability Zones: each zone slot is one AZ ID of the claim region (src/zones.ts) with one public and one private subnet, zone names come from the own subnets, and a region without zone IDs is refused');
const INTERNET_GATEWAY = audit('Internet gateway: exactly one, attached to the environment VPC, and the public default route goes through it');
const PUBLIC_NAT = audit('NAT gateways: each is public, in a subnet routed to the internet gateway, with a VPC Elastic IP of its own');
const NAT_PER_ZONE = audit('NAT gateways: with one per zone, each private route table sends 0.0.0.0/0 to the NAT gateway of its own zone');
const ROUTE_TABLE_ROUTES = audit('Route tables: of the environment VPC, one route per destination, no destination inside the VPC CIDR, within 50 routes');
const SUBNET_ASSOCIATIONS = audit('Route table associations: every subnet is associated with exactly one route table, of its own VPC');
const GROUP_NAMES = audit('Security groups: names and descriptions of at most 255 allowed characters, names unique in the VPC and not starting with sg-');
const RULE_PORTS = audit('Security group rules: TCP with 0 <= fromPort <= toPort <= 65535 and exactly one peer, a CIDR list or a group');
const RULE_PEERS = audit('Security group rules: peer groups are groups of this VPC (the admin network by CIDR), no rule twice, at most 60 per group and direction');
const ENDPOINT_SERVICES = audit('VPC endpoints: S3 and DynamoDB as Gateway endpoints, ECR as Interface endpoints, each named com.amazonaws.<region>.<service> for the claim region');
const ENDPOINT_PRIVATE_DNS = audit('VPC endpoints: private DNS only on Interface endpoints in a VPC with DNS support and DNS hostnames');
const ECR_PATHS = audit('ECR endpoints: the S3 gateway endpoint serves the route tables of their subnets, and their group admits HTTPS from the VPC');
const ENDPOINT_ROUTE_TABLES = audit('Gateway endpoint route tables: only Gateway endpoints take route tables, of their own VPC');
const ENDPOINT_SUBNETS = audit('Interface endpoint subnets: only Interface endpoints take subnets, of their own VPC, one subnet per zone');
const ENDPOINT_GROUPS = audit('Interface endpoint security groups: only Interface endpoints take security groups, groups of their own VPC');
const NAT_AFTER_IGW = audit('NAT gateways: composed only once the internet gateway is observed, tagged with its id');
const PEERING = audit('VPC peering: the admin VPC is peered in the request Region (no peerRegion), accepted by its owner, and routed from every private route table');
const TAGS = audit('Tags: at most 50 per resource with the three the provider adds, keys of at most 128 and values of at most 256 characters, none starting with aws:');
const QUOTAS = audit('VPC quotas: environments sharing an account and Region stay within the default VPCs, internet gateways, Elastic IPs, NAT gateways per zone and gateway endpoints');

/** The network kinds the Composition tags (the others have no tags in the provider's schema). */
const TAGGED = ['ec2/VPC', 'ec2/Subnet', 'ec2/InternetGateway', 'ec2/EIP', 'ec2/NATGateway', 'ec2/RouteTable', 'ec2/SecurityGroup', 'ec2/VPCEndpoint', 'ec2/VPCPeeringConnection'];

export const NETWORK: readonly AwsRule[] = [
  // VPC
  {
    subject: 'ec2/VPC', fields: ['cidrBlock'],
    rule: 'The allowed IPv4 block size of a VPC is between a /16 netmask (65,536 addresses) and a /28 netmask (16 addresses).',
    source: VPC_CIDR, emulator: 'enforces', check: 'validation: vpcCidr',
  },
  {
    subject: 'ec2/VPC', fields: ['enableDnsSupport', 'enableDnsHostnames'],
    rule: 'To use the private hosted zone of an interface endpoint (PrivateDnsEnabled), the VPC attributes enableDnsHostnames and enableDnsSupport must both be true.',
    source: CREATE_VPC_ENDPOINT, emulator: 'forgives', check: ENDPOINT_PRIVATE_DNS,
  },
  {
    subject: 'ec2/VPC', fields: ['region'],
    rule: 'VPCs per Region: 5 by default (adjustable). The default VPC counts, and so does the admin VPC when it is in the same account and Region.',
    source: VPC_QUOTAS, emulator: 'forgives', check: QUOTAS,
  },

  // Subnet
  {
    subject: 'ec2/Subnet', fields: ['cidrBlock'],
    rule: 'A subnet\'s IPv4 CIDR block is a subset of the VPC CIDR block, and the CIDR blocks of the subnets in a VPC cannot overlap.',
    source: SUBNET_SIZING, emulator: 'enforces', check: SUBNET_CIDRS,
  },
  {
    subject: 'ec2/Subnet', fields: ['cidrBlock'],
    rule: 'The allowed block size of a subnet is between a /28 netmask and a /16 netmask.',
    source: SUBNET_SIZING, emulator: 'forgives', check: SUBNET_CIDRS,
  },
  {
    subject: 'ec2/Subnet', fields: ['availabilityZoneId'],
    rule: 'A subnet goes into a zone the Region offers the account, and Regions differ: not every Region has zones a, b and c (ca-central-1 has a, b and d; us-west-1 offers an account two zones), and the AZ IDs that exist differ per Region.',
    source: AVAILABILITY_ZONES, emulator: 'enforces', check: ZONES,
    finding: 'fixed: subnets are placed by AZ ID from src/zones.ts (availabilityZoneId), and synth refuses an environment in a region not listed there (src/zones.ts zoneProblems; test/validate.test.ts: a region without zone IDs in src/zones.ts is refused at synth, naming the file). The Composition composed the zone names <region>a, <region>b and <region>c for any region the XRD pattern admits, which CreateSubnet refuses where the account has no such zone (ca-central-1c, us-west-1 with two zones, ap-northeast-1b in most accounts). payenv validate and the XRD still admit such a region; synth is where it is refused.',
  },
  {
    subject: 'ec2/Subnet', fields: ['availabilityZoneId'],
    rule: 'In the older Regions zone names are mapped to physical zones independently for each account (us-east-1a of one account need not be another\'s); AZ IDs name the same zone in every account.',
    source: AZ_IDS, emulator: 'not-applicable', check: ZONES,
  },

  // InternetGateway
  {
    subject: 'ec2/InternetGateway', fields: ['vpcIdSelector'],
    rule: 'You can attach only one internet gateway to a VPC at a time.',
    source: VPC_QUOTAS, emulator: 'forgives', check: INTERNET_GATEWAY,
  },
  {
    subject: 'ec2/InternetGateway', fields: ['region'],
    rule: 'Internet gateways per Region: 5 by default, raised only with the VPCs per Region quota (the default VPC\'s gateway counts).',
    source: VPC_QUOTAS, emulator: 'forgives', check: QUOTAS,
  },

  // EIP
  {
    subject: 'ec2/EIP', fields: ['domain'],
    rule: 'Domain is vpc or standard; a NAT gateway takes an address allocated for use in a VPC.',
    source: ALLOCATE_ADDRESS, emulator: 'forgives', check: PUBLIC_NAT,
  },
  {
    subject: 'ec2/EIP', fields: ['region'],
    rule: 'Elastic IP addresses per Region: 5 by default (adjustable). With every tier in one account and Region (SETTINGS.accounts empty), dev 1 + staging 1 + prod 3 use all 5.',
    source: VPC_QUOTAS, emulator: 'forgives', check: QUOTAS,
  },

  // NATGateway
  {
    subject: 'ec2/NATGateway', fields: ['allocationIdSelector', 'subnetIdSelector'],
    rule: 'A public NAT gateway (the default connectivity) needs the allocation ID of an Elastic IP that no other resource holds, and serves private subnets only from a subnet that routes to an internet gateway.',
    source: CREATE_NAT_GATEWAY, emulator: 'forgives', check: PUBLIC_NAT,
  },
  {
    subject: 'ec2/NATGateway', fields: ['subnetIdSelector'],
    rule: 'A public NAT gateway created while its VPC has no internet gateway attached fails: state failed, failureCode Gateway.NotAttached ("Network vpc-xxxxxxxx has no Internet gateway attached").',
    source: NAT_GATEWAY, emulator: 'forgives', check: NAT_AFTER_IGW,
    finding: 'fixed: each nat-* takes the XR\'s status.network.internetGatewayId (as its tag InternetGateway, a Required patch), which the igw writes once created and attached, so no NAT gateway is composed before the internet gateway exists (src/composition/network.ts; test/audit-network.test.ts: NAT gateways: composed only once the internet gateway is observed, tagged with its id). Nothing ordered them before: a NAT gateway could be created first and fail for good with Gateway.NotAttached (moto creates NAT gateways without checking).',
  },
  {
    subject: 'ec2/NATGateway', fields: ['subnetIdSelector'],
    rule: 'NAT gateways per Availability Zone: 5 by default (adjustable); pending, active and deleting ones count.',
    source: VPC_QUOTAS, emulator: 'forgives', check: QUOTAS,
  },
  {
    subject: 'ec2/NATGateway', fields: ['subnetIdSelector'],
    rule: 'For zone independence, create a NAT gateway in each Availability Zone and route each zone\'s resources to the NAT gateway in the same zone (a recommendation, not a refusal).',
    source: NAT_GATEWAYS_GUIDE, emulator: 'not-applicable', check: NAT_PER_ZONE,
  },

  // RouteTable
  {
    subject: 'ec2/RouteTable', fields: ['vpcIdSelector'],
    rule: 'Routes per route table: 50 by default; route tables per VPC: 200.',
    source: VPC_QUOTAS, emulator: 'forgives', check: ROUTE_TABLE_ROUTES,
  },

  // Route
  {
    subject: 'ec2/Route', fields: ['routeTableIdSelector', 'destinationCidrBlock'],
    rule: 'A route table holds one route per destination: another route for the same CIDR block is refused (RouteAlreadyExists).',
    source: EC2_ERRORS, emulator: 'enforces', check: ROUTE_TABLE_ROUTES,
  },
  {
    subject: 'ec2/Route', fields: ['destinationCidrBlock'],
    rule: 'Every route table has the local route for the VPC CIDR; a route to a peering connection or gateway for a destination inside the VPC CIDR is refused.',
    source: ROUTE_TABLES, emulator: 'forgives', check: ROUTE_TABLE_ROUTES,
  },
  {
    subject: 'ec2/Route', fields: ['gatewayIdSelector', 'natGatewayIdSelector'],
    rule: 'GatewayId is an internet gateway attached to the route table\'s VPC; NatGatewayId a NAT gateway (routes to a NAT gateway in the same zone, see NATGateway).',
    source: CREATE_ROUTE, emulator: 'forgives', check: INTERNET_GATEWAY,
  },
  {
    subject: 'ec2/Route', fields: ['vpcPeeringConnectionIdSelector', 'destinationCidrBlock'],
    rule: 'A route to a peering connection that is still pending-acceptance has the state blackhole and no effect until the connection is active (accepted by the owner of the accepter VPC).',
    source: PEERING_ROUTES, emulator: 'forgives', check: PEERING,
  },

  // RouteTableAssociation
  {
    subject: 'ec2/RouteTableAssociation', fields: ['subnetIdSelector'],
    rule: 'Each subnet is associated with one route table at a time (without an explicit association, the main route table); a second association of the same subnet is refused.',
    source: ROUTE_TABLES, emulator: 'forgives', check: SUBNET_ASSOCIATIONS,
  },
  {
    subject: 'ec2/RouteTableAssociation', fields: ['subnetIdSelector', 'routeTableIdSelector'],
    rule: 'The subnet and the route table are in the same VPC.',
    source: ASSOCIATE_ROUTE_TABLE, emulator: 'forgives', check: SUBNET_ASSOCIATIONS,
  },

  // SecurityGroup
  {
    subject: 'ec2/SecurityGroup', fields: ['name', 'description'],
    rule: 'GroupName and Description: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*; the name cannot start with sg-.',
    source: CREATE_SECURITY_GROUP, emulator: 'forgives', check: GROUP_NAMES,
  },
  {
    subject: 'ec2/SecurityGroup', fields: ['name', 'vpcIdSelector'],
    rule: 'Group names are case-insensitive and unique within the VPC (InvalidGroup.Duplicate).',
    source: CREATE_SECURITY_GROUP, emulator: 'enforces', check: GROUP_NAMES,
  },

  // SecurityGroupRule
  {
    subject: 'ec2/SecurityGroupRule', fields: ['protocol', 'fromPort', 'toPort'],
    rule: 'For TCP, FromPort is the start and ToPort the end of a port range within 0-65535.',
    source: IP_PERMISSION, emulator: 'forgives', check: RULE_PORTS,
  },
  {
    subject: 'ec2/SecurityGroupRule', fields: ['cidrBlocks', 'sourceSecurityGroupIdSelector'],
    rule: 'A rule\'s source (inbound) or destination (outbound) is one of: an IPv4 or IPv6 CIDR range, a prefix list, or a security group.',
    source: SECURITY_GROUP_RULES, emulator: 'forgives', check: RULE_PORTS,
  },
  {
    subject: 'ec2/SecurityGroupRule', fields: ['sourceSecurityGroupIdSelector', 'cidrBlocks'],
    rule: 'A rule may name a group of its own VPC, or of a peer VPC only over an active peering connection in the same Region; otherwise the peer VPC\'s CIDR block is used.',
    source: PEER_SECURITY_GROUPS, emulator: 'forgives', check: RULE_PEERS,
  },
  {
    subject: 'ec2/SecurityGroupRule', fields: ['securityGroupIdSelector', 'type', 'protocol', 'fromPort', 'toPort'],
    rule: 'The same rule cannot be added twice to a group (InvalidPermission.Duplicate).',
    source: EC2_ERRORS, emulator: 'enforces', check: RULE_PEERS,
  },
  {
    subject: 'ec2/SecurityGroupRule', fields: ['securityGroupIdSelector', 'type'],
    rule: 'Inbound or outbound rules per security group: 60 each by default (each CIDR of a rule counts).',
    source: VPC_QUOTAS, emulator: 'enforces', check: RULE_PEERS,
  },

  // VPCEndpoint
  {
    subject: 'ec2/VPCEndpoint', fields: ['serviceName', 'vpcEndpointType'],
    rule: 'Gateway endpoints exist for Amazon S3 and DynamoDB only (other services are Interface endpoints); the service name is com.amazonaws.<region>.<service> of the endpoint\'s own Region.',
    source: GATEWAY_ENDPOINTS, emulator: 'forgives', check: ENDPOINT_SERVICES,
  },
  {
    subject: 'ec2/VPCEndpoint', fields: ['privateDnsEnabled'],
    rule: '(Interface endpoint) PrivateDnsEnabled needs the VPC attributes enableDnsHostnames and enableDnsSupport set to true.',
    source: CREATE_VPC_ENDPOINT, emulator: 'forgives', check: ENDPOINT_PRIVATE_DNS,
  },
  {
    subject: 'ec2/VPCEndpoint', fields: ['serviceName'],
    rule: 'Pulling from Amazon ECR over its endpoints also needs Amazon S3 (image layers) through an S3 gateway endpoint on the pulling subnets\' route tables, and the endpoints\' security group must allow HTTPS (443) from the private subnets.',
    source: ECR_ENDPOINTS, emulator: 'not-applicable', check: ECR_PATHS,
  },
  {
    subject: 'ec2/VPCEndpoint', fields: ['vpcEndpointType', 'region'],
    rule: 'Gateway VPC endpoints per Region: 20 by default.',
    source: VPC_SERVICE_QUOTAS, emulator: 'forgives', check: QUOTAS,
  },

  // VPCEndpointRouteTableAssociation
  {
    subject: 'ec2/VPCEndpointRouteTableAssociation', fields: ['vpcEndpointIdSelector', 'routeTableIdSelector'],
    rule: 'Route tables are associated with Gateway endpoints only (ModifyVpcEndpoint AddRouteTableId: "(Gateway endpoint)"), route tables of the endpoint\'s VPC.',
    source: MODIFY_VPC_ENDPOINT, emulator: 'forgives', check: ENDPOINT_ROUTE_TABLES,
  },

  // VPCEndpointSubnetAssociation
  {
    subject: 'ec2/VPCEndpointSubnetAssociation', fields: ['vpcEndpointIdSelector', 'subnetIdSelector'],
    rule: 'Subnets are associated with Interface (and Gateway Load Balancer) endpoints only, subnets of the endpoint\'s VPC, at most one subnet per Availability Zone.',
    source: CREATE_INTERFACE_ENDPOINT, emulator: 'forgives', check: ENDPOINT_SUBNETS,
  },

  // VPCEndpointSecurityGroupAssociation
  {
    subject: 'ec2/VPCEndpointSecurityGroupAssociation', fields: ['vpcEndpointIdSelector', 'securityGroupIdSelector'],
    rule: 'Security groups are associated with Interface endpoints only (ModifyVpcEndpoint AddSecurityGroupId: "(Interface endpoint)"), groups of the endpoint\'s VPC. An interface endpoint created without groups gets the VPC\'s default security group, which stays associated unless replaced.',
    source: MODIFY_VPC_ENDPOINT, emulator: 'forgives', check: ENDPOINT_GROUPS,
  },

  // VPCPeeringConnection
  {
    subject: 'ec2/VPCPeeringConnection', fields: ['peerVpcId'],
    rule: 'The requester VPC and accepter VPC cannot have overlapping CIDR blocks (the connection goes to failed).',
    source: CREATE_PEERING, emulator: 'forgives', check: 'validation: adminPeering.cidr',
  },
  {
    subject: 'ec2/VPCPeeringConnection', fields: ['peerVpcId', 'region'],
    rule: 'PeerRegion defaults to the Region of the request: without it the accepter VPC must be in the requester\'s Region.',
    source: CREATE_PEERING, emulator: 'enforces', check: PEERING,
  },
  {
    subject: 'ec2/VPCPeeringConnection', fields: ['peerOwnerId', 'autoAccept'],
    rule: 'The owner of the accepter VPC must accept the request: the requester can accept it itself only when it owns the accepter VPC (same account).',
    source: CREATE_PEERING, emulator: 'enforces', check: PEERING,
  },

  // VPCPeeringConnectionAccepter
  {
    subject: 'ec2/VPCPeeringConnectionAccepter', fields: ['vpcPeeringConnectionIdSelector', 'autoAccept', 'region'],
    rule: 'The owner of the accepter VPC accepts the request (for an inter-Region connection, in the accepter\'s Region); the request expires after 7 days.',
    source: CREATE_PEERING, emulator: 'enforces',
    check: 'test/render.test.ts: another account: the accepter is composed and accepts; the requester does not auto-accept',
  },
  {
    subject: 'ec2/VPCPeeringConnectionAccepter', fields: ['vpcPeeringConnectionIdSelector'],
    rule: 'For traffic to flow, the owner of each VPC adds a route to the other VPC\'s CIDR through the peering connection to its own route tables.',
    source: PEERING_ROUTES, emulator: 'not-applicable', check: 'none',
    finding: 'documented: the admin VPC\'s side is the admin network team\'s: they add a route to the environment\'s vpcCidr through the peering connection to the admin route tables (docs/aws.md, What AWS enforces). Only the environment side is composed (route-private-*-admin); the accepter role may only accept and tag, so until that route exists admin hosts cannot reach the database that sg-db-in-5432-admin opens to them. AWS refuses nothing here: the traffic just has no way back.',
  },

  // Tags of every tagged network kind (Route, the associations and the rules take none).
  ...TAGGED.flatMap((subject): AwsRule[] => [
    {
      subject, fields: ['tags'],
      rule: 'At most 50 user tags per resource (aws: tags do not count); the provider adds crossplane-kind, crossplane-name and crossplane-providerconfig.',
      source: EC2_TAGS, emulator: 'enforces', check: TAGS,
    },
    {
      subject, fields: ['tags'],
      rule: 'Tag keys at most 128 and values at most 256 Unicode characters; the aws: prefix is reserved.',
      source: EC2_TAGS, emulator: 'forgives', check: TAGS,
    },
  ]),
];
