// `payenv adopt --lookup`: the AWS object each managed resource is, found without a backup.
// The Composition describes every resource by names, CIDR blocks and its relations to the
// others; each rule below turns that, plus the ids already found (a subnet's VPC, a route's
// table), into the resource's external name: by one read of AWS, or by no call at all where
// the provider's id is made of known parts (Terraform's ID formats, as provider-upjet-aws
// v2.5.0 config/externalname.go maps them). A rule that finds two candidates refuses and
// names both; one that finds none says the resource would be created.
import { crc32 } from 'zlib';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { APIGatewayClient, GetResourcesCommand, GetRestApisCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { BackupClient, ListBackupPlansCommand, ListBackupSelectionsCommand } from '@aws-sdk/client-backup';
import {
  DescribeInternetGatewaysCommand, DescribeNatGatewaysCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand, DescribeVpcPeeringConnectionsCommand, DescribeVpcsCommand, EC2Client, Filter,
} from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { ListSubscriptionsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ListWebACLsCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { EXTERNAL_NAME } from '../composition/resource';
import type { Inventory } from './inventory';
import type { Obj } from './kube';

/** What a rule found: the external name, or why there is none (yet). */
export type Found = { name: string } | { missing: string } | { ambiguous: string[] } | { waits: string };

/** A parent the rule needs has no external name yet: try again once it has. */
class Waits extends Error {}

const COMPONENT = 'paymentenv.io/component';
const kindOf = (o: Obj) => `${o.apiVersion.split('.')[0]}/${o.kind}`;
const one = <T>(xs: T[], id: (x: T) => string, what: string): Found => (xs.length === 1 ? { name: id(xs[0]) }
  : xs.length ? { ambiguous: xs.map(id) } : { missing: `no ${what}` });
const filters = (f: Record<string, string>): Filter[] => Object.entries(f).map(([Name, v]) => ({ Name, Values: [v] }));
/** Terraform's create.StringHashcode: CRC-32 (IEEE) of the string. */
const hashcode = (s: string) => crc32(s);

/** Everything a rule may use about one composed resource. */
export interface Subject {
  readonly env: string;
  readonly name: string;
  readonly fp: any;
  readonly region: string;
  /** The external name of the resource `field`'s selector (or `field` itself) points at. */
  ref(field: string): string;
  /** The same for another composed resource. */
  refIn(o: Obj, field: string): string;
  /** The composed resource `field`'s selector points at. */
  parent(field: string): Obj;
  /** Composed resources whose `field` selector points at this one. */
  children(kind: string, field: string): Obj[];
  aws: Clients;
}

/** AWS clients by service and region, made on first use (the SDK's default credentials and endpoints). */
export class Clients {
  private readonly made = new Map<string, unknown>();
  private get<T>(key: string, make: () => T): T {
    if (!this.made.has(key)) this.made.set(key, make());
    return this.made.get(key) as T;
  }
  ec2 = (region: string) => this.get(`ec2 ${region}`, () => new EC2Client({ region }));
  elbv2 = (region: string) => this.get(`elbv2 ${region}`, () => new ElasticLoadBalancingV2Client({ region }));
  apigateway = (region: string) => this.get(`apigateway ${region}`, () => new APIGatewayClient({ region }));
  acm = (region: string) => this.get(`acm ${region}`, () => new ACMClient({ region }));
  backup = (region: string) => this.get(`backup ${region}`, () => new BackupClient({ region }));
  kms = (region: string) => this.get(`kms ${region}`, () => new KMSClient({ region }));
  sns = (region: string) => this.get(`sns ${region}`, () => new SNSClient({ region }));
  sqs = (region: string) => this.get(`sqs ${region}`, () => new SQSClient({ region }));
  lambda = (region: string) => this.get(`lambda ${region}`, () => new LambdaClient({ region }));
  wafv2 = (region: string) => this.get(`wafv2 ${region}`, () => new WAFV2Client({ region }));
}

type Rule = (s: Subject) => Found | Promise<Found>;

/** Go's time.Time.String() of a UTC instant, as Terraform records a certificate validation's id. */
function goTime(d: Date): string {
  const [date, time] = d.toISOString().replace('Z', '').split('T');
  return `${date} ${time.replace(/\.?0+$/, '')} +0000 UTC`;
}

/** Terraform's id of a security group rule (vpc_security_group_rule.go securityGroupRuleCreateID). */
export function securityGroupRuleId(sg: string, fp: { type: string; protocol: string; fromPort?: number; toPort?: number; cidrBlocks?: string[] }, source?: string): string {
  const protocol = ({ all: '-1', tcp: 'tcp', udp: 'udp', icmp: 'icmp', '6': 'tcp', '17': 'udp', '1': 'icmp' } as Record<string, string>)[String(fp.protocol).toLowerCase()] ?? String(fp.protocol);
  let s = `${sg}-`;
  if (protocol !== '-1' && (fp.fromPort ?? 0) > 0) s += `${fp.fromPort}-`;
  if (protocol !== '-1' && (fp.toPort ?? 0) > 0) s += `${fp.toPort}-`;
  s += `${protocol}-${fp.type}-`;
  for (const c of [...(fp.cidrBlocks ?? [])].sort()) s += `${c}-`;
  if (source) s += `${source}--`;
  return `sgrule-${hashcode(s)}`;
}

/** By kind (`<group>/<Kind>`): how its external name is found. */
export const RULES: Record<string, Rule> = {
  // --- ec2: ids AWS picks, found by the VPC, CIDR blocks, names and attachments.
  'ec2/VPC': async (s) => {
    const vpcs = (await s.aws.ec2(s.region).send(new DescribeVpcsCommand({ Filters: filters({ 'cidr-block': s.fp.cidrBlock }) }))).Vpcs ?? [];
    // The environment's tag where the platform built it; any VPC of the CIDR block where someone else did.
    const tagged = vpcs.filter((v) => v.Tags?.some((t) => t.Key === 'Environment' && t.Value === s.env));
    return one(tagged.length ? tagged : vpcs, (v) => v.VpcId!, `VPC with CIDR block ${s.fp.cidrBlock}`);
  },
  'ec2/Subnet': async (s) => one((await s.aws.ec2(s.region).send(new DescribeSubnetsCommand({ Filters: filters({ 'vpc-id': s.ref('vpcId'), 'cidr-block': s.fp.cidrBlock }) }))).Subnets ?? [],
    (x) => x.SubnetId!, `subnet ${s.fp.cidrBlock} in ${s.ref('vpcId')}`),
  // A route table is the one its subnets are associated with.
  'ec2/RouteTable': async (s) => {
    const subnets = s.children('ec2/RouteTableAssociation', 'routeTableId').map((a) => s.refIn(a, 'subnetId'));
    if (!subnets.length) throw new Waits('a subnet association of it to be composed');
    const tables = (await s.aws.ec2(s.region).send(new DescribeRouteTablesCommand({ Filters: filters({ 'vpc-id': s.ref('vpcId'), 'association.subnet-id': subnets[0] }) }))).RouteTables ?? [];
    return one(tables, (t) => t.RouteTableId!, `route table of ${subnets[0]}`);
  },
  'ec2/RouteTableAssociation': async (s) => {
    const [table, subnet] = [s.ref('routeTableId'), s.ref('subnetId')];
    const tables = (await s.aws.ec2(s.region).send(new DescribeRouteTablesCommand({ RouteTableIds: [table] }))).RouteTables ?? [];
    return one(tables.flatMap((t) => t.Associations ?? []).filter((a) => a.SubnetId === subnet), (a) => a.RouteTableAssociationId!, `association of ${subnet} with ${table}`);
  },
  // The provider's own form once it has observed one (config/externalname.go route(): table_destination).
  'ec2/Route': (s) => ({ name: `${s.ref('routeTableId')}_${s.fp.destinationCidrBlock}` }),
  'ec2/SecurityGroup': async (s) => one((await s.aws.ec2(s.region).send(new DescribeSecurityGroupsCommand({ Filters: filters({ 'vpc-id': s.ref('vpcId'), 'group-name': s.fp.name }) }))).SecurityGroups ?? [],
    (g) => g.GroupId!, `security group ${s.fp.name} in ${s.ref('vpcId')}`),
  'ec2/SecurityGroupRule': (s) => ({ name: securityGroupRuleId(s.ref('securityGroupId'), s.fp, s.fp.sourceSecurityGroupIdSelector || s.fp.sourceSecurityGroupId ? s.ref('sourceSecurityGroupId') : undefined) }),
  'ec2/InternetGateway': async (s) => one((await s.aws.ec2(s.region).send(new DescribeInternetGatewaysCommand({ Filters: filters({ 'attachment.vpc-id': s.ref('vpcId') }) }))).InternetGateways ?? [],
    (g) => g.InternetGatewayId!, `internet gateway attached to ${s.ref('vpcId')}`),
  'ec2/NATGateway': async (s) => one((await s.aws.ec2(s.region).send(new DescribeNatGatewaysCommand({ Filter: filters({ 'subnet-id': s.ref('subnetId'), state: 'available' }) }))).NatGateways ?? [],
    (g) => g.NatGatewayId!, `available NAT gateway in ${s.ref('subnetId')}`),
  // An Elastic IP is the one its NAT gateway holds.
  'ec2/EIP': async (s) => {
    const [nat] = s.children('ec2/NATGateway', 'allocationId');
    if (!nat) throw new Waits('its NAT gateway to be composed');
    const gateways = (await s.aws.ec2(s.region).send(new DescribeNatGatewaysCommand({ Filter: filters({ 'subnet-id': s.refIn(nat, 'subnetId'), state: 'available' }) }))).NatGateways ?? [];
    return one(gateways.flatMap((g) => g.NatGatewayAddresses ?? []).filter((a) => a.AllocationId), (a) => a.AllocationId!, 'address of its NAT gateway');
  },
  'ec2/VPCEndpoint': async (s) => one((await s.aws.ec2(s.region).send(new DescribeVpcEndpointsCommand({ Filters: filters({ 'vpc-id': s.ref('vpcId'), 'service-name': s.fp.serviceName }) })))
    .VpcEndpoints?.filter((e) => !['deleted', 'deleting', 'rejected', 'failed'].includes(String(e.State).toLowerCase())) ?? [], (e) => e.VpcEndpointId!, `${s.fp.serviceName} endpoint in ${s.ref('vpcId')}`),
  // endpoint/table and endpoint/subnet once observed (FormattedIdentifierFromProvider("/", ...)).
  'ec2/VPCEndpointRouteTableAssociation': (s) => ({ name: `${s.ref('vpcEndpointId')}/${s.ref('routeTableId')}` }),
  'ec2/VPCEndpointSubnetAssociation': (s) => ({ name: `${s.ref('vpcEndpointId')}/${s.ref('subnetId')}` }),
  'ec2/VPCEndpointSecurityGroupAssociation': (s) => ({ name: `a-${s.ref('vpcEndpointId')}${hashcode(s.ref('securityGroupId'))}` }),
  'ec2/VPCPeeringConnection': async (s) => one((await s.aws.ec2(s.region).send(new DescribeVpcPeeringConnectionsCommand({
    Filters: filters({ 'requester-vpc-info.vpc-id': s.ref('vpcId'), 'accepter-vpc-info.vpc-id': s.fp.peerVpcId, 'status-code': 'active' }),
  }))).VpcPeeringConnections ?? [], (p) => p.VpcPeeringConnectionId!, `active peering of ${s.ref('vpcId')} with ${s.fp.peerVpcId}`),

  // --- elbv2: by name, listeners by port.
  'elbv2/LB': async (s) => one((await s.aws.elbv2(s.region).send(new DescribeLoadBalancersCommand({ Names: [s.fp.name] })).catch(notFound)).LoadBalancers ?? [], (l: { LoadBalancerArn?: string }) => l.LoadBalancerArn!, `load balancer ${s.fp.name}`),
  'elbv2/LBTargetGroup': async (s) => one((await s.aws.elbv2(s.region).send(new DescribeTargetGroupsCommand({ Names: [s.fp.name] })).catch(notFound)).TargetGroups ?? [], (t: { TargetGroupArn?: string }) => t.TargetGroupArn!, `target group ${s.fp.name}`),
  'elbv2/LBListener': async (s) => one((await s.aws.elbv2(s.region).send(new DescribeListenersCommand({ LoadBalancerArn: s.ref('loadBalancerArn') }))).Listeners?.filter((l) => l.Port === s.fp.port) ?? [],
    (l) => l.ListenerArn!, `listener on port ${s.fp.port}`),

  // --- API Gateway: the API by name; its parts by path, stage and method.
  'apigateway/RestAPI': async (s) => one((await s.aws.apigateway(s.region).send(new GetRestApisCommand({ limit: 500 }))).items?.filter((a) => a.name === s.fp.name) ?? [], (a) => a.id!, `REST API ${s.fp.name}`),
  'apigateway/Resource': async (s) => one((await s.aws.apigateway(s.region).send(new GetResourcesCommand({ restApiId: s.ref('restApiId'), limit: 500 }))).items?.filter((r) => r.path === `/${s.fp.pathPart}`) ?? [],
    (r) => r.id!, `resource /${s.fp.pathPart}`),
  'apigateway/Method': (s) => ({ name: `${s.ref('restApiId')}/${s.ref('resourceId')}/${s.fp.httpMethod}` }),
  'apigateway/Integration': (s) => ({ name: `${s.ref('restApiId')}/${s.ref('resourceId')}/${s.parent('httpMethod').spec.forProvider.httpMethod}` }),
  'apigateway/Stage': (s) => ({ name: `${s.ref('restApiId')}/${s.fp.stageName}` }),
  'apigateway/MethodSettings': (s) => ({ name: `${s.ref('restApiId')}/${s.fp.stageName}/${s.fp.methodPath}` }),
  // The deployment is the one the API's stage runs.
  'apigateway/Deployment': async (s) => one((await s.aws.apigateway(s.region).send(new GetStagesCommand({ restApiId: s.ref('restApiId') }))).item?.filter((x) => x.deploymentId) ?? [],
    (x) => x.deploymentId!, 'stage running a deployment'),
  'apigateway/DomainName': (s) => ({ name: s.fp.domainName }),
  'apigateway/BasePathMapping': (s) => ({ name: `${s.ref('domainName')}/${s.fp.basePath ?? ''}` }),

  // --- what else AWS names: looked up by the name the Composition gives.
  'acm/Certificate': async (s) => one((await s.aws.acm(s.region).send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1', 'RSA_3072', 'RSA_4096'] } })))
    .CertificateSummaryList?.filter((c) => c.DomainName === s.fp.domainName) ?? [], (c) => c.CertificateArn!, `certificate for ${s.fp.domainName}`),
  'acm/CertificateValidation': async (s) => {
    const cert = (await s.aws.acm(s.region).send(new DescribeCertificateCommand({ CertificateArn: s.ref('certificateArn') }))).Certificate;
    return cert?.IssuedAt ? { name: goTime(cert.IssuedAt) } : { missing: `${s.ref('certificateArn')} is not issued` };
  },
  'route53/Record': (s) => ({ name: [s.ref('zoneId'), String(s.fp.name).toLowerCase(), s.fp.type, ...(s.fp.setIdentifier ? [s.fp.setIdentifier] : [])].join('_') }),
  'backup/Plan': async (s) => one((await s.aws.backup(s.region).send(new ListBackupPlansCommand({}))).BackupPlansList?.filter((p) => p.BackupPlanName === s.fp.name) ?? [],
    (p) => p.BackupPlanId!, `backup plan ${s.fp.name}`),
  'backup/Selection': async (s) => one((await s.aws.backup(s.region).send(new ListBackupSelectionsCommand({ BackupPlanId: s.ref('planId') }))).BackupSelectionsList?.filter((x) => x.SelectionName === s.fp.name) ?? [],
    (x) => x.SelectionId!, `selection ${s.fp.name}`),
  'backup/VaultLockConfiguration': (s) => ({ name: s.ref('backupVaultName') }),
  'sqs/Queue': async (s) => {
    const r = await s.aws.sqs(s.region).send(new GetQueueUrlCommand({ QueueName: s.fp.name })).catch(notFound);
    return r.QueueUrl ? { name: r.QueueUrl } : { missing: `no queue ${s.fp.name}` };
  },
  'sqs/QueuePolicy': (s) => ({ name: s.ref('queueUrl') }),
  'sqs/QueueRedrivePolicy': (s) => ({ name: s.ref('queueUrl') }),
  'sns/TopicSubscription': async (s) => {
    const topic = s.ref('topicArn');
    const subs = (await s.aws.sns(s.region).send(new ListSubscriptionsCommand({}))).Subscriptions ?? [];
    return one(subs.filter((x) => (x.TopicArn === topic || x.TopicArn?.endsWith(`:${topic}`)) && x.Protocol === s.fp.protocol && x.Endpoint === s.fp.endpoint),
      (x) => x.SubscriptionArn!, `${s.fp.protocol} subscription of ${s.fp.endpoint}`);
  },
  // Terraform's create id (events/target.go targetCreateResourceID), which the provider keeps.
  'cloudwatchevents/Target': (s) => ({ name: [...(s.fp.eventBusName && s.fp.eventBusName !== 'default' ? [s.fp.eventBusName] : []), s.ref('rule'), s.fp.targetId].join('-') }),
  'appautoscaling/Target': (s) => ({ name: s.fp.resourceId }),
  // The family: adoption mode reads its latest ACTIVE revision (trackLatest, src/composition/compute.ts).
  'ecs/TaskDefinition': (s) => ({ name: s.fp.family }),
  // A key is the one its alias names.
  'kms/Key': async (s) => {
    const [alias] = s.children('kms/Alias', 'targetKeyId');
    const name = alias?.metadata.annotations?.[EXTERNAL_NAME];
    if (!name) return { missing: 'no alias to find it by' };
    const r = await s.aws.kms(alias.spec.forProvider.region).send(new DescribeKeyCommand({ KeyId: `alias/${name.replace(/^alias\//, '')}` })).catch(notFound);
    return r.KeyMetadata?.KeyId ? { name: r.KeyMetadata.KeyId } : { missing: `no key behind alias/${name}` };
  },
  'lambda/Permission': (s) => ({ name: s.fp.statementId }),
  'lambda/EventSourceMapping': async (s) => one((await s.aws.lambda(s.region).send(new ListEventSourceMappingsCommand({ FunctionName: s.ref('functionName'), EventSourceArn: s.fp.eventSourceArn }))).EventSourceMappings ?? [],
    (m) => m.UUID!, `mapping of ${s.fp.eventSourceArn}`),
  'wafv2/WebACL': async (s) => one((await s.aws.wafv2(s.region).send(new ListWebACLsCommand({ Scope: s.fp.scope ?? 'REGIONAL' }))).WebACLs?.filter((w) => w.Name === s.fp.name) ?? [],
    (w) => w.Id!, `web ACL ${s.fp.name}`),
  'wafv2/WebACLAssociation': async (s) => {
    const acl = s.parent('webAclArn');
    const id = s.ref('webAclArn');
    const [w] = (await s.aws.wafv2(s.region).send(new ListWebACLsCommand({ Scope: acl.spec.forProvider.scope ?? 'REGIONAL' }))).WebACLs?.filter((x) => x.Id === id || x.ARN === id) ?? [];
    if (!w?.ARN) return { missing: `no web ACL ${id}` };
    if (!s.fp.resourceArn) throw new Waits('the resource ARN (from the environment\'s status)');
    return { name: `${w.ARN},${s.fp.resourceArn}` };
  },
};
// S3 bucket configurations are named by their bucket.
for (const k of ['BucketServerSideEncryptionConfiguration', 'BucketLifecycleConfiguration', 'BucketOwnershipControls', 'BucketPublicAccessBlock', 'BucketPolicy',
  'BucketVersioning', 'BucketLogging', 'BucketObjectLockConfiguration']) RULES[`s3/${k}`] = (s) => ({ name: s.ref('bucket') });

/** AWS's "not found" answers as an empty result. */
function notFound(e: any): any {
  if (/NotFound|NonExistent|does not exist|not found/i.test(`${e?.name} ${e?.message}`)) return {};
  throw e;
}

/**
 * Finds the external names of the environment's unnamed managed resources. `names` holds what is
 * already known (the Composition's names, a backup's); parents are found before their children.
 */
export async function lookup(inv: Inventory, names: Map<string, string>, aws = new Clients()): Promise<Map<string, Found>> {
  const known = new Map(names);
  const out = new Map<string, Found>();
  const byName = new Map(inv.resources.map((r) => [r.name, r.obj]));
  const todo = inv.resources.filter((r) => r.obj.apiVersion.includes('.aws.m.upbound.io/') && !known.has(r.name));
  for (let progress = true; progress;) {
    progress = false;
    for (const r of todo) {
      const prev = out.get(r.name);
      if (prev && !('waits' in prev)) continue;
      const rule = RULES[kindOf(r.obj)];
      if (!rule) { out.set(r.name, { missing: `no lookup for ${kindOf(r.obj)}` }); continue; }
      const found = await Promise.resolve().then(() => rule(subject(inv, byName, r.name, r.obj, aws, known))).catch((e): Found => {
        if (e instanceof Waits) return { waits: e.message };
        return { missing: `${(e as Error).name}: ${(e as Error).message}`.slice(0, 300) };
      });
      out.set(r.name, found);
      if ('name' in found) { known.set(r.name, found.name); progress = true; }
    }
  }
  return out;
}

function subject(inv: Inventory, byName: Map<string, Obj>, name: string, obj: Obj, aws: Clients, known: Map<string, string>): Subject {
  const target = (o: Obj, field: string): string | undefined => o.spec?.forProvider?.[`${field}Selector`]?.matchLabels?.[COMPONENT];
  const refIn = (o: Obj, field: string): string => {
    const v = o.spec?.forProvider?.[field];
    if (typeof v === 'string' && v) return v;
    const t = target(o, field);
    if (!t) throw new Waits(`${field} of ${o.metadata.annotations?.['crossplane.io/composition-resource-name']}`);
    const n = known.get(t);
    if (!n) throw new Waits(t);
    return n;
  };
  return {
    env: inv.env, name, fp: obj.spec?.forProvider ?? {}, region: obj.spec?.forProvider?.region, aws,
    ref: (field) => refIn(obj, field),
    refIn,
    parent: (field) => {
      const o = byName.get(target(obj, field) ?? '');
      if (!o) throw new Waits(`the resource of ${field}Selector`);
      return o;
    },
    children: (kind, field) => inv.resources.filter((r) => kindOf(r.obj) === kind && target(r.obj, field) === name).map((r) => r.obj),
  };
}
