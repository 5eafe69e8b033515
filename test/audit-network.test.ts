// The real-account audit of the network kinds (src/audit/network.ts): AWS's documented rules
// for the fields the Composition sets, checked on the rendered output of every tier (the
// emulator accepts most of these broken). Each test names the AWS documentation page it follows.
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { claimFile, K8sObject, renderEnvironment } from '../src/render';
import { cidrHasNoHostBits, cidrsOverlap } from '../src/schema';
import { ZONE_IDS, zoneProblems } from '../src/zones';
import { DESIGN_TIERS } from './design-table';
import { atProvider, component, renderedTiers, observe } from './observe';

const ENVS = DESIGN_TIERS;
const { rendered, res, fp, has, all } = renderedTiers(ENVS);

const ofKind = (env: string, kind: string) => all(env).filter(([, o]) => o.apiVersion.startsWith('ec2.aws.m.upbound.io/') && o.kind === kind);
const claim = (env: string) => parse(readFileSync(claimFile(env), 'utf8'));
const prefix = (cidr: string) => Number(cidr.split('/')[1]);
/** The route table a subnet is associated with (exactly one association is asserted elsewhere). */
const tableOf = (env: string, subnet: string) =>
  component(ofKind(env, 'RouteTableAssociation').find(([, a]) => component(a.spec.forProvider.subnetIdSelector) === subnet)?.[1].spec.forProvider.routeTableIdSelector);
const routesOf = (env: string, table: string) => ofKind(env, 'Route').filter(([, r]) => component(r.spec.forProvider.routeTableIdSelector) === table);
const AZ_LETTERS = ['a', 'b', 'c'];
/** The zone a subnet is placed in: its AZ ID, or its zone name when placed by name. */
const zoneOf = (env: string, subnet: string): string => fp(env, subnet).availabilityZoneId ?? fp(env, subnet).availabilityZone;

describe.each(ENVS)('%s', (env) => {
  // https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html: a subnet's IPv4 CIDR is a
  // subset of the VPC's, a /16 to /28, and the subnets of a VPC do not overlap.
  test('Subnet: every subnet is a /16 to /28 inside the VPC CIDR, and no two subnets of the VPC overlap', () => {
    const vpc = fp(env, 'vpc').cidrBlock;
    expect(vpc).toBe(claim(env).spec.vpcCidr);
    const subnets = ofKind(env, 'Subnet');
    expect(subnets).toHaveLength(2 * AZ_LETTERS.length);
    for (const [name, o] of subnets) {
      const cidr = o.spec.forProvider.cidrBlock;
      const inside = cidrsOverlap(vpc, cidr) && prefix(vpc) <= prefix(cidr);
      expect([name, cidr, prefix(cidr) >= 16 && prefix(cidr) <= 28, cidrHasNoHostBits(cidr), inside]).toEqual([name, cidr, true, true, true]);
      expect([name, component(o.spec.forProvider.vpcIdSelector)]).toEqual([name, 'vpc']);
    }
    const overlapping = subnets.flatMap(([a, x], i) => subnets.slice(i + 1)
      .filter(([, y]) => cidrsOverlap(x.spec.forProvider.cidrBlock, y.spec.forProvider.cidrBlock)).map(([b]) => `${a} ${b}`));
    expect(overlapping).toEqual([]);
  });

  // https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html (the
  // zones differ per Region: us-west-1 offers an account two) and
  // https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html (zone names are mapped
  // per account in the older Regions; an AZ ID is the same zone in every account).
  test('Availability Zones: each zone slot is one AZ ID of the claim region (src/zones.ts) with one public and one private subnet, zone names come from the own subnets, and a region without zone IDs is refused', () => {
    const region = claim(env).spec.region;
    const ids = ZONE_IDS[region];
    expect([region, ids?.length]).toEqual([region, AZ_LETTERS.length]);
    expect(new Set(ids).size).toBe(AZ_LETTERS.length);
    AZ_LETTERS.forEach((l, i) => {
      for (const subnet of [`subnet-public-${l}`, `subnet-private-${l}`]) {
        expect([subnet, fp(env, subnet).availabilityZoneId, fp(env, subnet).availabilityZone]).toEqual([subnet, ids[i], undefined]);
      }
    });
    // A zone name means a zone only in the account that resolves it: whatever is placed by name
    // takes one of the names this environment's own subnets report (status.network.availabilityZones).
    const names: string[] = rendered.get(env)!.xr.status?.network?.availabilityZones ?? [];
    for (const [name, o] of all(env).filter(([, x]) => x.spec?.forProvider?.availabilityZone !== undefined)) {
      expect([name, names.includes(o.spec.forProvider.availabilityZone), o.spec.providerConfigRef?.name]).toEqual([name, true, 'aws']);
    }
    // us-west-1 offers an account two zones: no environment there.
    expect(zoneProblems([{ file: 'x.yaml', spec: { region: 'us-west-1' } }]).map((p) => `${p.file}: ${p.path}`)).toEqual(['x.yaml: spec.region']);
  });

  // https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html ("You can attach only
  // one internet gateway to a VPC at a time") and
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html (GatewayId: an
  // internet gateway attached to your VPC).
  test('Internet gateway: exactly one, attached to the environment VPC, and the public default route goes through it', () => {
    expect(ofKind(env, 'InternetGateway').map(([n]) => n)).toEqual(['igw']);
    expect(component(fp(env, 'igw').vpcIdSelector)).toBe('vpc');
    const routes = ofKind(env, 'Route').filter(([, r]) => r.spec.forProvider.gatewayIdSelector);
    expect(routes.map(([n]) => n)).toEqual(['route-public-default']);
    const route = fp(env, 'route-public-default');
    expect(route.destinationCidrBlock).toBe('0.0.0.0/0');
    expect(component(route.gatewayIdSelector)).toBe('igw');
    expect(component(fp(env, component(route.routeTableIdSelector)!).vpcIdSelector)).toBe(component(fp(env, 'igw').vpcIdSelector));
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html: a public NAT
  // gateway takes the allocation ID of an Elastic IP that no other resource holds, in a subnet
  // whose traffic reaches the internet gateway; https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html (Domain: vpc).
  test('NAT gateways: each is public, in a subnet routed to the internet gateway, with a VPC Elastic IP of its own', () => {
    const nats = ofKind(env, 'NATGateway');
    expect(nats.length).toBeGreaterThan(0);
    const eips = new Set<string>();
    for (const [name, o] of nats) {
      const f = o.spec.forProvider;
      expect([name, f.connectivityType ?? 'public']).toEqual([name, 'public']);
      const eip = component(f.allocationIdSelector)!;
      expect([name, res(env, eip).kind, fp(env, eip).domain]).toEqual([name, 'EIP', 'vpc']);
      eips.add(eip);
      const subnet = component(f.subnetIdSelector)!;
      expect([name, res(env, subnet).kind]).toEqual([name, 'Subnet']);
      const defaults = routesOf(env, tableOf(env, subnet)!).filter(([, r]) => r.spec.forProvider.destinationCidrBlock === '0.0.0.0/0');
      expect([name, defaults.map(([, r]) => res(env, component(r.spec.forProvider.gatewayIdSelector)!).kind)]).toEqual([name, ['InternetGateway']]);
    }
    expect(eips.size).toBe(nats.length);
    for (const [name, e] of ofKind(env, 'EIP')) expect([name, e.spec.forProvider.domain]).toEqual([name, 'vpc']);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html: a public NAT gateway
  // created while its VPC has no internet gateway attached fails for good (state failed, failureCode
  // Gateway.NotAttached). Each nat-* takes the id the igw writes to the XR once it exists.
  test('NAT gateways: tagged with the id of the observed internet gateway, which the XR carries', () => {
    const igw = String(atProvider(res(env, 'igw'), env).id);
    expect(rendered.get(env)!.xr.status.network.internetGatewayId).toBe(igw);
    const nats = ofKind(env, 'NATGateway');
    expect(nats.length).toBeGreaterThan(0);
    for (const [name, o] of nats) expect([name, o.spec.forProvider.tags?.InternetGateway]).toEqual([name, igw]);
  });

  // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html: "create a NAT gateway in
  // each Availability Zone and configure your routing to ensure that resources use the NAT gateway
  // in the same Availability Zone".
  test('NAT gateways: with one per zone, each private route table sends 0.0.0.0/0 to the NAT gateway of its own zone', () => {
    const zoneOfNat = (nat: string) => zoneOf(env, component(fp(env, nat).subnetIdSelector)!);
    const natZones = new Set(ofKind(env, 'NATGateway').map(([n]) => zoneOfNat(n)));
    for (const l of AZ_LETTERS) {
      const zone = zoneOf(env, `subnet-private-${l}`);
      const defaults = routesOf(env, tableOf(env, `subnet-private-${l}`)!).filter(([, r]) => r.spec.forProvider.destinationCidrBlock === '0.0.0.0/0');
      expect(defaults).toHaveLength(1);
      const nat = component(defaults[0][1].spec.forProvider.natGatewayIdSelector)!;
      expect([l, res(env, nat).kind]).toEqual([l, 'NATGateway']);
      if (natZones.has(zone)) expect([l, zoneOfNat(nat)]).toEqual([l, zone]);
    }
  });

  // https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html (routes per route table:
  // 50, counted here with the local route and each gateway endpoint's prefix-list route; route tables per VPC: 200),
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html (RouteAlreadyExists)
  // and https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html (the local route covers the VPC CIDR).
  test('Route tables: of the environment VPC, one route per destination, no destination inside the VPC CIDR, within 50 routes', () => {
    const vpc = fp(env, 'vpc').cidrBlock;
    const tables = ofKind(env, 'RouteTable');
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.length).toBeLessThanOrEqual(200);
    for (const [table, t] of tables) {
      expect([table, component(t.spec.forProvider.vpcIdSelector)]).toEqual([table, 'vpc']);
      const destinations = routesOf(env, table).map(([, r]) => r.spec.forProvider.destinationCidrBlock as string);
      expect([table, destinations.length, new Set(destinations).size]).toEqual([table, destinations.length, destinations.length]);
      for (const d of destinations) expect([table, d, cidrsOverlap(d, vpc) && prefix(d) >= prefix(vpc)]).toEqual([table, d, false]);
      const endpointRoutes = ofKind(env, 'VPCEndpointRouteTableAssociation').filter(([, a]) => component(a.spec.forProvider.routeTableIdSelector) === table);
      expect(1 + destinations.length + endpointRoutes.length).toBeLessThanOrEqual(50); // 1: the local route
    }
    // Every route sits in a composed route table.
    for (const [name, r] of ofKind(env, 'Route')) expect([name, res(env, component(r.spec.forProvider.routeTableIdSelector)!).kind]).toEqual([name, 'RouteTable']);
  });

  // https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html (a subnet is associated
  // with one route table at a time) and https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateRouteTable.html
  // (a subnet in your VPC with a route table in your VPC).
  test('Route table associations: every subnet is associated with exactly one route table, of its own VPC', () => {
    const associations = ofKind(env, 'RouteTableAssociation');
    for (const [subnet, s] of ofKind(env, 'Subnet')) {
      const mine = associations.filter(([, a]) => component(a.spec.forProvider.subnetIdSelector) === subnet);
      expect([subnet, mine.length]).toEqual([subnet, 1]);
      const table = component(mine[0][1].spec.forProvider.routeTableIdSelector)!;
      expect([subnet, res(env, table).kind, component(fp(env, table).vpcIdSelector)]).toEqual([subnet, 'RouteTable', component(s.spec.forProvider.vpcIdSelector)]);
    }
    for (const [name, a] of associations) expect([name, res(env, component(a.spec.forProvider.subnetIdSelector)!).kind]).toEqual([name, 'Subnet']);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html: GroupName and
  // Description up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*; the name
  // cannot start with sg- and is unique (case-insensitive) within the VPC.
  test('Security groups: names and descriptions of at most 255 allowed characters, names unique in the VPC and not starting with sg-', () => {
    const allowed = /^[a-zA-Z0-9 ._\-:\/()#,@[\]+=&;{}!$*]{1,255}$/;
    const groups = ofKind(env, 'SecurityGroup');
    expect(groups.length).toBeGreaterThan(0);
    for (const [name, o] of groups) {
      const f = o.spec.forProvider;
      expect([name, f.name, allowed.test(f.name), /^sg-/i.test(f.name)]).toEqual([name, f.name, true, false]);
      expect([name, f.description, allowed.test(f.description)]).toEqual([name, f.description, true]);
      expect([name, component(f.vpcIdSelector)]).toEqual([name, 'vpc']);
    }
    const names = groups.map(([, o]) => String(o.spec.forProvider.name).toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html (for TCP, FromPort and
  // ToPort bound the port range) and https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
  // (a rule's source or destination: a CIDR range, a prefix list or a security group).
  test('Security group rules: TCP with 0 <= fromPort <= toPort <= 65535 and exactly one peer, a CIDR list or a group', () => {
    const rules = ofKind(env, 'SecurityGroupRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const [name, o] of rules) {
      const f = o.spec.forProvider;
      expect([name, f.type === 'ingress' || f.type === 'egress', f.protocol]).toEqual([name, true, 'tcp']);
      expect([name, Number.isInteger(f.fromPort) && Number.isInteger(f.toPort) && f.fromPort >= 0 && f.fromPort <= f.toPort && f.toPort <= 65535]).toEqual([name, true]);
      const peers = [
        (f.cidrBlocks ?? []).length > 0, (f.ipv6CidrBlocks ?? []).length > 0, (f.prefixListIds ?? []).length > 0,
        Boolean(f.sourceSecurityGroupIdSelector || f.sourceSecurityGroupId), f.self === true,
      ].filter(Boolean);
      expect([name, peers.length]).toEqual([name, 1]);
      for (const c of f.cidrBlocks ?? []) expect([name, c, /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c) && cidrHasNoHostBits(c)]).toEqual([name, c, true]);
    }
  });

  // https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html (a group of a peer
  // VPC only over an active peering in the same Region; otherwise the peer's CIDR),
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html (InvalidPermission.Duplicate)
  // and https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html (60 inbound and 60 outbound rules per group).
  test('Security group rules: peer groups are groups of this VPC (the admin network by CIDR), no rule twice, at most 60 per group and direction', () => {
    const rules = ofKind(env, 'SecurityGroupRule');
    const keys: string[] = [];
    const perDirection = new Map<string, number>();
    for (const [name, o] of rules) {
      const f = o.spec.forProvider;
      const group = component(f.securityGroupIdSelector)!;
      expect([name, res(env, group).kind, component(fp(env, group).vpcIdSelector)]).toEqual([name, 'SecurityGroup', 'vpc']);
      const peer = component(f.sourceSecurityGroupIdSelector);
      if (peer) expect([name, res(env, peer).kind, component(fp(env, peer).vpcIdSelector)]).toEqual([name, 'SecurityGroup', 'vpc']);
      expect([name, f.sourceSecurityGroupId]).toEqual([name, undefined]); // never a group outside the stack
      keys.push([group, f.type, f.protocol, f.fromPort, f.toPort, peer ?? [...(f.cidrBlocks ?? [])].sort().join(',')].join(' '));
      perDirection.set(`${group} ${f.type}`, (perDirection.get(`${group} ${f.type}`) ?? 0) + (peer ? 1 : (f.cidrBlocks ?? []).length));
    }
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    for (const [k, n] of perDirection) expect([k, n <= 60]).toEqual([k, true]);
    const admin = claim(env).spec.adminPeering;
    if (admin) expect(fp(env, 'sg-db-in-5432-admin').cidrBlocks).toEqual([admin.cidr]);
  });

  // https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html: gateway endpoints are
  // for Amazon S3 and DynamoDB only, in the Region of the VPC; the service name is com.amazonaws.<region>.<service>.
  test('VPC endpoints: S3 and DynamoDB as Gateway endpoints, ECR as Interface endpoints, each named com.amazonaws.<region>.<service> for the claim region', () => {
    const region = claim(env).spec.region;
    const want: Record<string, [string, string]> = {
      'vpce-s3': ['s3', 'Gateway'], 'vpce-dynamodb': ['dynamodb', 'Gateway'], 'vpce-ecr-api': ['ecr.api', 'Interface'], 'vpce-ecr-dkr': ['ecr.dkr', 'Interface'],
    };
    const endpoints = ofKind(env, 'VPCEndpoint');
    expect(endpoints.map(([n]) => n).sort()).toEqual(Object.keys(want).sort());
    for (const [name, o] of endpoints) {
      const f = o.spec.forProvider;
      expect([name, f.serviceName, f.vpcEndpointType, f.region]).toEqual([name, `com.amazonaws.${region}.${want[name][0]}`, want[name][1], region]);
      expect([name, component(f.vpcIdSelector)]).toEqual([name, 'vpc']);
    }
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html (PrivateDnsEnabled:
  // "To use a private hosted zone, you must set the following VPC attributes to true: enableDnsHostnames and enableDnsSupport").
  test('VPC endpoints: private DNS only on Interface endpoints in a VPC with DNS support and DNS hostnames', () => {
    const privateDns = ofKind(env, 'VPCEndpoint').filter(([, o]) => o.spec.forProvider.privateDnsEnabled === true);
    expect(privateDns.length).toBeGreaterThan(0);
    for (const [name, o] of privateDns) {
      const vpc = fp(env, component(o.spec.forProvider.vpcIdSelector)!);
      expect([name, o.spec.forProvider.vpcEndpointType, vpc.enableDnsSupport, vpc.enableDnsHostnames]).toEqual([name, 'Interface', true, true]);
    }
  });

  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html: image layers come from
  // Amazon S3 (an S3 gateway endpoint on the route tables of the pulling subnets), and the group of
  // the ECR endpoints must allow HTTPS (443) from the VPC's private subnets.
  test('ECR endpoints: the S3 gateway endpoint serves the route tables of their subnets, and their group admits HTTPS from the VPC', () => {
    const vpc = fp(env, 'vpc').cidrBlock;
    const s3Tables = new Set(ofKind(env, 'VPCEndpointRouteTableAssociation')
      .filter(([, a]) => component(a.spec.forProvider.vpcEndpointIdSelector) === 'vpce-s3').map(([, a]) => component(a.spec.forProvider.routeTableIdSelector)));
    for (const ecr of ['vpce-ecr-api', 'vpce-ecr-dkr']) {
      const subnets = ofKind(env, 'VPCEndpointSubnetAssociation').filter(([, a]) => component(a.spec.forProvider.vpcEndpointIdSelector) === ecr)
        .map(([, a]) => component(a.spec.forProvider.subnetIdSelector)!);
      expect([ecr, subnets.length]).toEqual([ecr, AZ_LETTERS.length]);
      for (const s of subnets) expect([ecr, s, s3Tables.has(tableOf(env, s))]).toEqual([ecr, s, true]);
      const groups = ofKind(env, 'VPCEndpointSecurityGroupAssociation').filter(([, a]) => component(a.spec.forProvider.vpcEndpointIdSelector) === ecr)
        .map(([, a]) => component(a.spec.forProvider.securityGroupIdSelector)!);
      expect(groups.length).toBeGreaterThan(0);
      const https = ofKind(env, 'SecurityGroupRule').filter(([, r]) => groups.includes(component(r.spec.forProvider.securityGroupIdSelector)!)
        && r.spec.forProvider.type === 'ingress' && r.spec.forProvider.fromPort <= 443 && r.spec.forProvider.toPort >= 443);
      expect([ecr, https.some(([, r]) => (r.spec.forProvider.cidrBlocks ?? []).includes(vpc))]).toEqual([ecr, true]);
    }
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html (AddRouteTableId: Gateway endpoint).
  test('Gateway endpoint route tables: only Gateway endpoints take route tables, of their own VPC', () => {
    const associations = ofKind(env, 'VPCEndpointRouteTableAssociation');
    expect(associations.length).toBeGreaterThan(0);
    for (const [name, a] of associations) {
      const endpoint = fp(env, component(a.spec.forProvider.vpcEndpointIdSelector)!);
      const table = component(a.spec.forProvider.routeTableIdSelector)!;
      expect([name, endpoint.vpcEndpointType, res(env, table).kind, component(fp(env, table).vpcIdSelector)])
        .toEqual([name, 'Gateway', 'RouteTable', component(endpoint.vpcIdSelector)]);
    }
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html (AddSubnetId: Interface
  // and Gateway Load Balancer endpoints) and https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
  // (one subnet per Availability Zone).
  test('Interface endpoint subnets: only Interface endpoints take subnets, of their own VPC, one subnet per zone', () => {
    const associations = ofKind(env, 'VPCEndpointSubnetAssociation');
    expect(associations.length).toBeGreaterThan(0);
    const zonesByEndpoint = new Map<string, string[]>();
    for (const [name, a] of associations) {
      const endpointName = component(a.spec.forProvider.vpcEndpointIdSelector)!;
      const endpoint = fp(env, endpointName);
      const subnetName = component(a.spec.forProvider.subnetIdSelector)!;
      const subnet = fp(env, subnetName);
      expect([name, endpoint.vpcEndpointType, component(subnet.vpcIdSelector)]).toEqual([name, 'Interface', component(endpoint.vpcIdSelector)]);
      zonesByEndpoint.set(endpointName, [...(zonesByEndpoint.get(endpointName) ?? []), zoneOf(env, subnetName)]);
    }
    for (const [endpoint, zones] of zonesByEndpoint) expect([endpoint, new Set(zones).size]).toEqual([endpoint, zones.length]);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html (AddSecurityGroupId:
  // Interface endpoint; the groups of the endpoint network interfaces, in the endpoint's VPC).
  test('Interface endpoint security groups: only Interface endpoints take security groups, groups of their own VPC', () => {
    const associations = ofKind(env, 'VPCEndpointSecurityGroupAssociation');
    expect(associations.length).toBeGreaterThan(0);
    for (const [name, a] of associations) {
      const endpoint = fp(env, component(a.spec.forProvider.vpcEndpointIdSelector)!);
      const group = component(a.spec.forProvider.securityGroupIdSelector)!;
      expect([name, endpoint.vpcEndpointType, res(env, group).kind, component(fp(env, group).vpcIdSelector)])
        .toEqual([name, 'Interface', 'SecurityGroup', component(endpoint.vpcIdSelector)]);
    }
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcPeeringConnection.html (PeerRegion
  // defaults to the Region of the request; the owner of the accepter VPC must accept) and
  // https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html (a route to a connection
  // not yet active is a blackhole until it is accepted).
  test('VPC peering: the admin VPC is peered in the request Region (no peerRegion), accepted by its owner, and routed from every private route table', () => {
    const c = claim(env);
    const peering = all(env).filter(([, o]) => /^VPCPeeringConnection/.test(o.kind));
    if (!c.spec.adminPeering) return expect(peering).toEqual([]);
    const f = fp(env, 'peering-admin');
    expect([f.peerRegion, f.region, f.peerVpcId, component(f.vpcIdSelector)]).toEqual([undefined, c.spec.region, c.spec.adminPeering.vpcId, 'vpc']);
    const account = c.metadata.annotations['paymentenv.io/aws-account-id'];
    const admin = c.metadata.annotations['paymentenv.io/admin-account-id'];
    expect(f.peerOwnerId).toBe(admin);
    // Exactly one side accepts: the requester only when it owns the admin VPC too, else the accepter.
    const accepter = rendered.get(env)!.resources.get('peering-admin-accepter');
    if (admin === account) {
      expect([f.autoAccept, accepter]).toEqual([true, undefined]);
    } else {
      expect([f.autoAccept, accepter?.spec.forProvider.autoAccept, accepter?.spec.forProvider.region]).toEqual([false, true, f.region]);
    }
    for (const l of AZ_LETTERS) {
      const admins = routesOf(env, tableOf(env, `subnet-private-${l}`)!).filter(([, r]) => component(r.spec.forProvider.vpcPeeringConnectionIdSelector) === 'peering-admin');
      expect([l, admins.map(([, r]) => r.spec.forProvider.destinationCidrBlock)]).toEqual([l, [c.spec.adminPeering.cidr]]);
    }
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions: at most 50
  // tags per resource, keys of at most 128 and values of at most 256 characters, aws: reserved.
  // The provider adds crossplane-kind, crossplane-name and crossplane-providerconfig to each.
  test('Tags: at most 50 per resource with the three the provider adds, keys of at most 128 and values of at most 256 characters, none starting with aws:', () => {
    const tagged = all(env).filter(([, o]) => o.apiVersion.startsWith('ec2.aws.m.upbound.io/') && o.spec?.forProvider?.tags);
    expect(tagged.length).toBeGreaterThan(0);
    for (const [name, o] of tagged) {
      const tags: Record<string, unknown> = o.spec.forProvider.tags;
      expect([name, Object.keys(tags).length + 3 <= 50]).toEqual([name, true]);
      for (const [k, v] of Object.entries(tags)) {
        expect([name, k, k.length >= 1 && k.length <= 128 && !/^aws:/i.test(k)]).toEqual([name, k, true]);
        expect([name, k, typeof v === 'string' && v.length <= 256 && !/^aws:/i.test(v)]).toEqual([name, k, true]);
      }
    }
  });
});

// https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html (defaults per account and
// Region: 5 VPCs, 5 internet gateways, 5 Elastic IPs, 5 NAT gateways per Availability Zone) and
// https://docs.aws.amazon.com/general/latest/gr/vpc-service.html (20 gateway VPC endpoints per Region).
// The default VPC AWS creates in each Region counts, with its internet gateway, and so does the
// admin VPC when it is in the same account (peered without peerRegion, so in the same Region).
test('VPC quotas: environments sharing an account and Region stay within the default VPCs, internet gateways, Elastic IPs, NAT gateways per zone and gateway endpoints', () => {
  const groups = new Map<string, string[]>();
  for (const env of ENVS) {
    const c = claim(env);
    const key = `${c.metadata.annotations['paymentenv.io/aws-account-id']}/${c.spec.region}`;
    groups.set(key, [...(groups.get(key) ?? []), env]);
  }
  expect(groups.size).toBeGreaterThan(0);
  for (const [key, envs] of groups) {
    const account = key.split('/')[0];
    const count = (kind: string) => envs.reduce((n, env) => n + ofKind(env, kind).length, 0);
    const adminHere = envs.some((env) => claim(env).spec.adminPeering && claim(env).metadata.annotations['paymentenv.io/admin-account-id'] === account) ? 1 : 0;
    const natsPerZone = new Map<string, number>();
    for (const env of envs) {
      for (const [nat] of ofKind(env, 'NATGateway')) {
        const zone = zoneOf(env, component(fp(env, nat).subnetIdSelector)!);
        natsPerZone.set(zone, (natsPerZone.get(zone) ?? 0) + 1);
      }
    }
    const gatewayEndpoints = envs.reduce((n, env) => n + ofKind(env, 'VPCEndpoint').filter(([, o]) => o.spec.forProvider.vpcEndpointType === 'Gateway').length, 0);
    expect({
      key,
      vpcs: count('VPC') + 1 + adminHere <= 5,
      internetGateways: count('InternetGateway') + 1 + adminHere <= 5,
      elasticIps: count('EIP') <= 5,
      natGatewaysPerZone: [...natsPerZone.values()].every((n) => n <= 5),
      gatewayEndpoints: gatewayEndpoints <= 20,
    }).toEqual({ key, vpcs: true, internetGateways: true, elasticIps: true, natGatewaysPerZone: true, gatewayEndpoints: true });
  }
});

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html (Gateway.NotAttached, above):
// while the internet gateway is not there yet, no NAT gateway is composed at all. One tier, rendered
// with every other resource observed as its provider reports it and the XR without the gateway's id.
test('NAT gateways: composed only once the internet gateway is observed, tagged with its id', async () => {
  const env = ENVS[0];
  const before = rendered.get(env)!;
  const dir = mkdtempSync(join(tmpdir(), 'payenv-no-igw-'));
  const notYet = (o: K8sObject) => /^(igw|nat-[a-z])$/.test(o.metadata.annotations?.['crossplane.io/composition-resource-name'] ?? '');
  const observed = observe(before, env).filter((o) => !notYet(o));
  expect(observed.length).toBe(before.resources.size - 1 - ofKind(env, 'NATGateway').length);
  writeFileSync(join(dir, 'observed.yaml'), observed.map((o) => stringify(o)).join('---\n'));
  const status = structuredClone(before.xr.status);
  delete status.network.internetGatewayId;
  const xrFile = join(dir, 'xr.yaml');
  writeFileSync(xrFile, stringify({ ...claim(env), status }));
  const r = await renderEnvironment(env, { xrFile, observed: dir });
  expect(r.resources.has('igw')).toBe(true);
  expect([...r.resources.keys()].filter((n) => /^nat-/.test(n))).toEqual([]);
  expect(r.resources.has('eip-nat-a')).toBe(true);
}, 300_000);
