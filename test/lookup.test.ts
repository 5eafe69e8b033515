// payenv adopt --lookup (src/ops/lookup.ts): the ids the provider records are made the way
// Terraform makes them (vectors from npm run e2e:aws's converged dev, 2026-12-07; routes and
// endpoint associations in the form the provider keeps once it has observed them), and dev's
// network, built by hand in the real moto emulator as another tool would, is found from the
// real render of dev: every AWS-picked id found, two candidates refused, children wait for parents.
import { ChildProcess, spawn } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  AssociateRouteTableCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateRouteTableCommand, CreateSecurityGroupCommand,
  CreateSubnetCommand, CreateVpcCommand, DeleteVpcCommand, EC2Client,
} from '@aws-sdk/client-ec2';
import { EXTERNAL_NAME } from '../src/composition/resource';
import type { Inventory } from '../src/ops/inventory';
import { Clients, lookup, securityGroupRuleId } from '../src/ops/lookup';
import { renderEnvironment } from '../src/render';
import { freePort, FunctionServers, startFunctions, waitForPort } from '../src/tools';
import { ROOT_DIR } from '../src/versions';

const PYTHON = join(ROOT_DIR, '.tools', 'moto', 'bin', 'python');
let emulator: ChildProcess;
let servers: FunctionServers;
let inv: Inventory;

beforeAll(async () => {
  const port = await freePort();
  process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID = 'adopt';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  emulator = spawn(PYTHON, [join(ROOT_DIR, 'scripts', 'emulator.py'), '127.0.0.1', String(port)], { env: { ...process.env, MOTO_ACCOUNT_ID: '111122223333' }, stdio: 'ignore' });
  servers = await startFunctions(readFileSync(join(ROOT_DIR, 'dist/platform/functions.yaml'), 'utf8'));
  const rendered = await renderEnvironment('dev', { servers });
  inv = {
    env: 'dev', xr: rendered.xr as never,
    resources: [...rendered.resources.entries()].map(([name, o]) => ({ name, area: 'other', obj: { ...o, metadata: { name: `dev-${name}`, namespace: 'payments-dev', ...o.metadata } } as never })),
  };
  await waitForPort(port, 60_000);
}, 120_000);

afterAll(async () => { emulator?.kill('SIGKILL'); await servers?.stop(); });

test('ids are made as Terraform makes them (values the provider recorded in a converged dev)', () => {
  expect(securityGroupRuleId('sg-93669215da2ab56d1', { type: 'ingress', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] })).toBe('sgrule-2594317358');
  expect(securityGroupRuleId('sg-928604512f3e39c89', { type: 'ingress', protocol: 'tcp', fromPort: 8080, toPort: 8080 }, 'sg-93669215da2ab56d1')).toBe('sgrule-3211235014');
  expect(securityGroupRuleId('sg-93669215da2ab56d1', { type: 'egress', protocol: 'tcp', fromPort: 8080, toPort: 8080 }, 'sg-928604512f3e39c89')).toBe('sgrule-856485380');
});

test('dev\'s network, built by another tool, is found from the render: VPC by CIDR, subnets, tables by their subnets, groups by name', async () => {
  const ec2 = new EC2Client({ region: 'us-east-1' });
  const fp = (name: string) => inv.resources.find((r) => r.name === name)!.obj.spec.forProvider;
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: fp('vpc').cidrBlock }))).Vpc!.VpcId!;
  const subnets = new Map<string, string>();
  for (const r of inv.resources.filter((x) => x.obj.kind === 'Subnet')) {
    subnets.set(r.name, (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: r.obj.spec.forProvider.cidrBlock }))).Subnet!.SubnetId!);
  }
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const tables = new Map<string, string>();
  const associations = new Map<string, string>();
  for (const r of inv.resources.filter((x) => x.obj.kind === 'RouteTableAssociation')) {
    const table = r.obj.spec.forProvider.routeTableIdSelector.matchLabels['paymentenv.io/component'];
    if (!tables.has(table)) tables.set(table, (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!);
    const subnet = subnets.get(r.obj.spec.forProvider.subnetIdSelector.matchLabels['paymentenv.io/component'])!;
    associations.set(r.name, (await ec2.send(new AssociateRouteTableCommand({ RouteTableId: tables.get(table)!, SubnetId: subnet }))).AssociationId!);
  }
  const groups = new Map<string, string>();
  for (const r of inv.resources.filter((x) => x.obj.kind === 'SecurityGroup')) {
    groups.set(r.name, (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: r.obj.spec.forProvider.name, Description: 'built elsewhere' }))).GroupId!);
  }

  const named = new Map(inv.resources.filter((r) => r.obj.metadata.annotations?.[EXTERNAL_NAME]).map((r) => [r.name, r.obj.metadata.annotations![EXTERNAL_NAME]]));
  const found = await lookup(inv, named, new Clients());
  const name = (n: string) => { const f = found.get(n); return f && 'name' in f ? f.name : f; };
  expect(name('vpc')).toBe(vpc);
  expect(name('igw')).toBe(igw);
  for (const [n, id] of [...subnets, ...tables, ...associations, ...groups]) expect([n, name(n)]).toEqual([n, id]);
  // Children made of their parents' ids: a route by its table and destination, a rule by its groups.
  expect(name('route-public-default')).toBe(`${tables.get('rt-public')}_0.0.0.0/0`);
  const rule = inv.resources.find((r) => r.obj.kind === 'SecurityGroupRule' && r.obj.spec.forProvider.sourceSecurityGroupIdSelector)!;
  expect(name(rule.name)).toMatch(/^sgrule-\d+$/);
  // Not built: none there (created on leaving adoption mode), and what needs it waits.
  expect(found.get('eip-nat-a')).toEqual({ waits: 'its NAT gateway to be composed' }); // held back on a first render
  expect(found.get('queue')).toEqual({ missing: `no queue ${inv.resources.find((r) => r.name === 'queue')!.obj.spec.forProvider.name}` });

  // A second VPC of the same CIDR block (and no tag to tell them apart): refused, both named.
  const twin = (await ec2.send(new CreateVpcCommand({ CidrBlock: fp('vpc').cidrBlock }))).Vpc!.VpcId!;
  const again = await lookup(inv, named, new Clients());
  expect(again.get('vpc')).toEqual({ ambiguous: expect.arrayContaining([vpc, twin]) });
  expect(again.get('subnet-private-a')).toEqual({ waits: 'vpc' });
  await ec2.send(new DeleteVpcCommand({ VpcId: twin }));
}, 120_000);
