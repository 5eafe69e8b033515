// The emulator's fault controls (scripts/emulator.py, class Faults), which the AWS cases of
// npm run e2e:faults stand on, and its fixes of moto where a provider looped: against the real
// moto server behind the front, called with the
// AWS SDK for JavaScript where the project depends on it and as raw protocol requests elsewhere.
import { ChildProcess, spawn } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { AllocateAddressCommand, CreateNatGatewayCommand, CreateSubnetCommand, CreateVpcCommand, DescribeNatGatewaysCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateListenerCommand, CreateLoadBalancerCommand, DescribeListenersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { freePort, waitForPort } from '../src/tools';
import { ROOT_DIR } from '../src/versions';
import { SETTINGS } from '../src/platform';

const PYTHON = join(ROOT_DIR, '.tools', 'moto', 'bin', 'python');
const ACCOUNT = '111122223333';
let emulator: ChildProcess;
let endpoint = '';

const creds = { accessKeyId: 'dev', secretAccessKey: 'testing' };
const sqs = (extra: object = {}) => new SQSClient({ endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1, ...extra });
const faults = async (method: string, body?: object) =>
  (await fetch(`${endpoint}/_emulator/faults`, { method, body: body ? JSON.stringify(body) : undefined })).json() as Promise<any>;
/** A request as a service's protocol sends it; the front reads service and caller from the SigV4 scope. */
const raw = (service: string, path: string, init: RequestInit = {}) => fetch(`${endpoint}${path}`, {
  ...init,
  headers: { Authorization: `AWS4-HMAC-SHA256 Credential=dev/20261202/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`, ...(init.headers ?? {}) },
});

/** An API Gateway REST call and its JSON answer (none for 202 and 204). */
const apigw = async (method: string, path: string, body?: object) => {
  const res = await raw('apigateway', path, { method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: res.status === 202 || res.status === 204 ? null : await res.json() as any };
};

/** An AWS JSON 1.1 call (ACM, ...): X-Amz-Target names the operation. */
const json11 = async (service: string, target: string, body: object) => {
  const res = await raw(service, '/', { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as any };
};
const describeCertificate = async (arn: string) => (await json11('acm', 'CertificateManager.DescribeCertificate', { CertificateArn: arn })).body.Certificate;
/** Route 53 UPSERT of one record in a zone (REST XML). */
const upsertRecord = (zoneId: string, rr: { Name: string; Type: string; Value: string }) => raw('route53', `/2013-04-01/hostedzone/${zoneId}/rrset/`, {
  method: 'POST', headers: { 'Content-Type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet><Name>${rr.Name}</Name><Type>${rr.Type}</Type><TTL>300</TTL><ResourceRecords><ResourceRecord><Value>${rr.Value}</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`,
});
/** The team's zone (SETTINGS.dnsZones), seeded with its id as the e2e does. */
const seedZone = async () => {
  const [name, id] = Object.entries(SETTINGS.dnsZones)[0];
  await fetch(`${endpoint}/_emulator/hosted-zone`, { method: 'POST', body: JSON.stringify({ id, name, account: ACCOUNT }) });
  return id;
};
/** A DNS-validated certificate, issued: its validation record written as the Composition writes it. */
async function issuedCertificate(domain: string): Promise<string> {
  const arn = (await json11('acm', 'CertificateManager.RequestCertificate', { DomainName: domain, ValidationMethod: 'DNS' })).body.CertificateArn;
  await upsertRecord(await seedZone(), (await describeCertificate(arn)).DomainValidationOptions[0].ResourceRecord);
  return arn;
}

beforeAll(async () => {
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  // moto would mark a certificate issued at once (its wait: 0 s); the front holds it until DNS says so.
  emulator = spawn(PYTHON, [join(ROOT_DIR, 'scripts', 'emulator.py'), '127.0.0.1', String(port)], { env: { ...process.env, MOTO_ACCOUNT_ID: ACCOUNT, MOTO_ACM_VALIDATION_WAIT: '0' }, stdio: 'ignore' });
  await waitForPort(port, 60_000);
}, 90_000);

afterAll(() => { emulator?.kill('SIGKILL'); });
afterEach(async () => { await faults('DELETE'); });

test('a held create is carried out by AWS and its answer never reaches the caller', async () => {
  await faults('POST', { hold: { service: 'sqs', operation: 'CreateQueue', caller: 'dev' } });
  // The caller gives up (as a killed provider would) once the answer is withheld.
  const abort = new AbortController();
  const call = sqs().send(new CreateQueueCommand({ QueueName: 'held-once' }), { abortSignal: abort.signal });
  let state: any;
  for (let i = 0; i < 50 && !state?.held; i++) { await new Promise((r) => setTimeout(r, 100)); state = await faults('GET'); }
  abort.abort();
  await expect(call).rejects.toThrow();
  expect(state.held).toMatchObject({ caller: 'dev', service: 'sqs', operation: 'CreateQueue', status: '200 OK' });
  await faults('DELETE');
  // The queue exists once; a later call is answered again (the hold is one-shot and cleared).
  const listed = await sqs().send(new ListQueuesCommand({ QueueNamePrefix: 'held-' }));
  expect(listed.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['held-once']);
});

test('a call of another caller or operation is not held', async () => {
  await faults('POST', { hold: { service: 'sqs', operation: 'CreateQueue', caller: 'prod' } });
  await sqs().send(new CreateQueueCommand({ QueueName: 'not-held' }));
  expect((await faults('GET')).held).toBeNull();
});

// Each code is one the AWS SDKs' retryers treat as throttling (aws-sdk-go-v2 aws/retry
// DefaultThrottleErrorCodes, which the providers use; @smithy/core THROTTLING_ERROR_CODES).
test('throttling is refused as each protocol spells it', async () => {
  await faults('POST', { throttle: { share: 1, seconds: 60 } });
  const err: any = await sqs().send(new ListQueuesCommand({})).catch((e) => e);
  expect(err.name).toBe('ThrottlingException');
  expect(err.$metadata.httpStatusCode).toBe(400);

  const ec2 = await raw('ec2', '/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=DescribeVpcs&Version=2016-11-15' });
  expect(ec2.status).toBe(503);
  expect(await ec2.text()).toContain('<Code>RequestLimitExceeded</Code>');
  const iam = await raw('iam', '/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=ListRoles&Version=2010-05-08' });
  expect(iam.status).toBe(400);
  expect(await iam.text()).toContain('<Code>Throttling</Code>');
  const s3 = await raw('s3', '/some-bucket?versioning');
  expect(s3.status).toBe(503);
  expect(await s3.text()).toContain('<Code>SlowDown</Code>');
  const lambda = await raw('lambda', '/2015-03-31/functions/');
  expect(lambda.status).toBe(429);
  expect(lambda.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');

  const state = await faults('GET');
  expect(state.throttle.refused.map((r: any) => r.service).sort()).toEqual(['ec2', 'iam', 'lambda', 's3', 'sqs']);
});

test('a share of calls is throttled, deterministically', async () => {
  await faults('POST', { throttle: { share: 0.5, seconds: 60 } });
  const results = [];
  for (let i = 0; i < 10; i++) results.push(await sqs().send(new ListQueuesCommand({})).then(() => 'ok', (e) => e.name));
  expect(results.filter((r) => r === 'ThrottlingException')).toHaveLength(5);
  expect(results.filter((r) => r === 'ok')).toHaveLength(5);
});

test('throttling ends when its time is up', async () => {
  await faults('POST', { throttle: { share: 1, seconds: 1 } });
  await new Promise((r) => setTimeout(r, 1200));
  await expect(sqs().send(new ListQueuesCommand({}))).resolves.toBeDefined();
});

test('with strictAssumeRole, STS refuses a role that does not exist and allows one that does', async () => {
  const viaRole = (role: string) => sqs({ credentials: fromTemporaryCredentials({ params: { RoleArn: `arn:aws:iam::${ACCOUNT}:role/${role}` }, masterCredentials: creds, clientConfig: { endpoint, region: 'us-east-1' } }) });
  // moto alone hands out credentials for any role ARN.
  await expect(viaRole('nobody').send(new ListQueuesCommand({}))).resolves.toBeDefined();

  await faults('POST', { strictAssumeRole: true });
  const err: any = await viaRole('nobody').send(new ListQueuesCommand({})).catch((e) => e);
  expect(err.name).toBe('AccessDenied');
  expect(err.message).toContain('is not authorized to perform: sts:AssumeRole');

  const trust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] }));
  const created = await raw('iam', '/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `Action=CreateRole&Version=2010-05-08&RoleName=somebody&Path=%2Fpayments%2F&AssumeRolePolicyDocument=${trust}` });
  expect(created.status).toBe(200);
  await expect(viaRole('payments/somebody').send(new ListQueuesCommand({}))).resolves.toBeDefined();
  expect((await faults('GET')).refusedRoles).toEqual({ [`arn:aws:iam::${ACCOUNT}:role/nobody`]: 1 });
});

test('the stand-in credentials resolve to the account the Composition\'s ARNs name, so e2e:aws validates them as the shipped ProviderConfig does', async () => {
  // provider-aws templates ARN-shaped Terraform IDs with the account STS names; with
  // skip_credentials_validation it uses 000000000000 instead, and a restarted provider
  // looked for a topic under that account, found none and created it again.
  const res = await raw('sts', '/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
  expect(await res.text()).toContain(`<Account>${SETTINGS.awsAccountId}</Account>`);
  expect(readFileSync(join(ROOT_DIR, 'src', 'dev', 'e2e-aws.ts'), 'utf8')).not.toMatch(/skip_credentials_validation:\s*true/);
});

// AWS's documented defaults for a parameter another tool left out (brownfield adoption, issue 38):
// moto 5.2.5 omits them, so the provider read "" and refused the replacement "" -> default asks for.
test('a key created without KeyUsage and a NAT gateway without ConnectivityType read back with AWS\'s defaults', async () => {
  const kms = new KMSClient({ endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  const key = (await kms.send(new CreateKeyCommand({ Description: 'made elsewhere' }))).KeyMetadata!.KeyId!;
  expect((await kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata!.KeyUsage).toBe('ENCRYPT_DECRYPT');
  const ec2 = new EC2Client({ endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.9.0.0/24' }))).Subnet!.SubnetId!;
  const eip = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
  const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnet, AllocationId: eip }))).NatGateway!.NatGatewayId!;
  expect((await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat] }))).NatGateways![0].ConnectivityType).toBe('public');
});

// What the front fixes in moto because a provider looped on it (scripts/emulator.py, 1c).
const ecs = async (op: string, body: object) => (await raw('ecs', '/', {
  method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AmazonEC2ContainerServiceV20141113.${op}` }, body: JSON.stringify(body),
})).json() as Promise<any>;

test('ECS lists a family\'s revisions newest first with sort DESC (moto ignores sort)', async () => {
  for (let i = 0; i < 3; i++) await ecs('RegisterTaskDefinition', { family: 'sorted', containerDefinitions: [{ name: 'a', image: 'x', memory: 128 }] });
  const list = async (sort: string) => (await ecs('ListTaskDefinitions', { familyPrefix: 'sorted', status: 'ACTIVE', sort })).taskDefinitionArns.map((a: string) => a.split(':').pop());
  expect(await list('ASC')).toEqual(['1', '2', '3']);
  expect(await list('DESC')).toEqual(['3', '2', '1']);
});

test('ECS keeps a service\'s deploymentConfiguration and answers the rest with AWS\'s defaults (strategy ROLLING)', async () => {
  await ecs('CreateCluster', { clusterName: 'c' });
  const created = await ecs('CreateService', { cluster: 'c', serviceName: 's', desiredCount: 1, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } });
  const want = { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100, strategy: 'ROLLING' };
  expect(created.service.deploymentConfiguration).toEqual(want);
  const described = async () => (await ecs('DescribeServices', { cluster: 'c', services: ['s'], include: ['TAGS'] })).services[0].deploymentConfiguration;
  expect(await described()).toEqual(want);
  // UpdateService changes what it names and keeps the rest.
  await ecs('UpdateService', { cluster: 'c', service: 's', deploymentConfiguration: { maximumPercent: 150 } });
  expect(await described()).toEqual({ ...want, maximumPercent: 150 });
});

test('API Gateway tags a REST API and a custom domain name by ARN, and their Get returns the tags (moto: stages only)', async () => {
  // The ARN as the Go SDK sends it: one URI label, so ':' and '/' percent-encoded.
  const tags = (arn: string) => `/tags/${encodeURIComponent(arn)}`;
  const api = (await apigw('POST', '/restapis', { name: 'tagged', tags: { Owner: 'a', ConfigHash: 'one' } })).body;
  const apiArn = `arn:aws:apigateway:us-east-1::/restapis/${api.id}`;
  expect((await apigw('PUT', tags(apiArn), { tags: { ConfigHash: 'two', Tier: 'dev' } })).status).toBe(204);
  expect((await apigw('GET', `/restapis/${api.id}`)).body.tags).toEqual({ Owner: 'a', ConfigHash: 'two', Tier: 'dev' });
  expect((await apigw('DELETE', `${tags(apiArn)}?tagKeys=Tier&tagKeys=Owner`)).status).toBe(204);
  expect((await apigw('GET', tags(apiArn))).body).toEqual({ tags: { ConfigHash: 'two' } });

  const created = await apigw('POST', '/domainnames', { domainName: 'api-dev.payments.example.com', regionalCertificateArn: await issuedCertificate('api-dev.payments.example.com'), tags: { ConfigHash: 'one' } });
  expect(created.status).toBe(201);
  const domainArn = 'arn:aws:apigateway:us-east-1::/domainnames/api-dev.payments.example.com';
  await apigw('PUT', tags(domainArn), { tags: { ConfigHash: 'two' } });
  expect((await apigw('GET', '/domainnames/api-dev.payments.example.com')).body.tags).toEqual({ ConfigHash: 'two' });
  expect((await apigw('GET', tags('arn:aws:apigateway:us-east-1::/restapis/missing'))).status).toBe(404);
});

test('API Gateway refuses to delete a deployment a stage points to, and a deleted one is 404 (moto: 500 KeyError)', async () => {
  const api = (await apigw('POST', '/restapis', { name: 'deployed' })).body;
  const root = (await apigw('GET', `/restapis/${api.id}/resources`)).body.item[0].id;
  await apigw('PUT', `/restapis/${api.id}/resources/${root}/methods/GET`, { authorizationType: 'NONE' });
  await apigw('PUT', `/restapis/${api.id}/resources/${root}/methods/GET/integration`, { type: 'MOCK' });
  const first = (await apigw('POST', `/restapis/${api.id}/deployments`, { description: 'first' })).body.id;
  const second = (await apigw('POST', `/restapis/${api.id}/deployments`, { description: 'second' })).body.id;
  // The stage is created on the first and moved to the second, as the provider does.
  await apigw('POST', `/restapis/${api.id}/stages`, { stageName: 'v1', deploymentId: first });
  await apigw('PATCH', `/restapis/${api.id}/stages/v1`, { patchOperations: [{ op: 'replace', path: '/deploymentId', value: second }] });
  const refused = await apigw('DELETE', `/restapis/${api.id}/deployments/${second}`);
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.body)).toContain('Active stages pointing to this deployment must be moved or deleted');
  expect((await apigw('DELETE', `/restapis/${api.id}/deployments/${first}`)).status).toBe(202);
  const gone = await apigw('GET', `/restapis/${api.id}/deployments/${first}`);
  expect(gone.status).toBe(404);
  expect(JSON.stringify(gone.body)).toContain('Invalid Deployment identifier specified');
});

// What the real-account audit found AWS refusing and moto accepting (docs/aws.md "What AWS enforces").

const lambdaCreate = (name: string, imageUri: string) => raw('lambda', '/2015-03-31/functions', {
  method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ FunctionName: name, Role: `arn:aws:iam::${ACCOUNT}:role/dev-lambda`, PackageType: 'Image', Code: { ImageUri: imageUri } }),
});

// https://docs.aws.amazon.com/lambda/latest/dg/images-create.html: an Amazon ECR private image in the function's Region.
test('Lambda refuses a container image outside Amazon ECR, or in another Region\'s ECR', async () => {
  // The function's role exists (moto checks that much).
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  await raw('iam', '/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `Action=CreateRole&Version=2010-05-08&RoleName=dev-lambda&AssumeRolePolicyDocument=${encodeURIComponent(trust)}` });
  const other = await lambdaCreate('img-elsewhere', 'registry.example.com/payments/api:1.4.2');
  expect(other.status).toBe(400);
  expect(await other.json()).toMatchObject({ message: 'Source image registry.example.com/payments/api:1.4.2 is not valid. Provide a valid source image.' });
  expect((await lambdaCreate('img-west', `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/payments/api:1.4.2`)).status).toBe(400);
  expect((await lambdaCreate('img-ecr', `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.4.2`)).status).toBe(201);
});

// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
test('API Gateway refuses stage logging until the account names a CloudWatch Logs role (aws-account.yaml)', async () => {
  const api = (await apigw('POST', '/restapis', { name: 'logging' })).body;
  const root = (await apigw('GET', `/restapis/${api.id}/resources`)).body.item[0];
  await apigw('PUT', `/restapis/${api.id}/resources/${root.id}/methods/GET`, { authorizationType: 'NONE' });
  await apigw('PUT', `/restapis/${api.id}/resources/${root.id}/methods/GET/integration`, { type: 'MOCK' });
  const dep = (await apigw('POST', `/restapis/${api.id}/deployments`, { stageName: 'v1' })).body;
  expect(dep.id).toBeDefined();
  const logging = { patchOperations: [{ op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/payments/dev/api` }] };
  const refused = await apigw('PATCH', `/restapis/${api.id}/stages/v1`, logging);
  expect(refused.status).toBe(400);
  expect(refused.body.message).toBe('CloudWatch Logs role ARN must be set in account settings to enable logging');
  await apigw('PATCH', '/account', { patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: `arn:aws:iam::${ACCOUNT}:role/paymentenv-apigateway-logs-us-east-1` }] });
  expect((await apigw('PATCH', `/restapis/${api.id}/stages/v1`, logging)).status).toBe(200);
});

// https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html: issued once the CNAME is in DNS.
test('ACM issues a DNS-validated certificate only once Route 53 holds its validation record; a listener refuses it before', async () => {
  const arn = (await json11('acm', 'CertificateManager.RequestCertificate', { DomainName: 'api-staging.payments.example.com', ValidationMethod: 'DNS' })).body.CertificateArn;
  await new Promise((r) => setTimeout(r, 1100));
  const pending = await describeCertificate(arn);
  expect(pending.Status).toBe('PENDING_VALIDATION');
  // An HTTPS listener on the pending certificate is refused.
  const lb = await raw('elasticloadbalancing', '/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `Action=CreateListener&Version=2015-12-01&LoadBalancerArn=${encodeURIComponent(`arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/none/1`)}&Protocol=HTTPS&Port=443&Certificates.member.1.CertificateArn=${encodeURIComponent(arn)}&DefaultActions.member.1.Type=fixed-response&DefaultActions.member.1.FixedResponseConfig.StatusCode=200` });
  expect(lb.status).toBe(400);
  expect(await lb.text()).toContain('CertificateNotFound');
  // The record the Composition writes, in the team's zone.
  expect((await upsertRecord(await seedZone(), pending.DomainValidationOptions[0].ResourceRecord)).status).toBe(200);
  expect((await describeCertificate(arn)).Status).toBe('ISSUED');
});

test('ELB CreateListener is idempotent for the same settings and refuses another listener on the port (moto: a second one)', async () => {
  const ec2 = new EC2Client({ endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  const elb = new ElasticLoadBalancingV2Client({ endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
  const subnets = await Promise.all(['a', 'b'].map(async (az, i) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.9.${i}.0/24`, AvailabilityZone: `us-east-1${az}` }))).Subnet!.SubnetId!));
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'listener-test', Subnets: subnets, Type: 'application' }))).LoadBalancers![0].LoadBalancerArn!;
  const redirect = { LoadBalancerArn: lb, Protocol: 'HTTP' as const, Port: 80, DefaultActions: [{ Type: 'redirect' as const, RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' as const } }] };
  const first = (await elb.send(new CreateListenerCommand(redirect))).Listeners![0].ListenerArn;
  expect((await elb.send(new CreateListenerCommand(redirect))).Listeners![0].ListenerArn).toBe(first);
  await expect(elb.send(new CreateListenerCommand({ ...redirect, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] })))
    .rejects.toMatchObject({ name: 'DuplicateListenerException' }); // the SDK's name for the code DuplicateListener
  expect((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb }))).Listeners!.map((l) => l.ListenerArn)).toEqual([first]);
});

test('S3 Control calls are recorded by path and query keys, the spellings test/replay.ts resolves to Tag/Untag/ListTagsForResource', async () => {
  // A general purpose bucket's ARN, as terraform-provider-aws tags it: arn:aws:s3:::<bucket>.
  const arn = `arn:aws:s3:::payments-dev-audit-us-east-1-${ACCOUNT}`;
  const control = (method: string, query = '') => raw('s3', `/v20180820/tags/${arn}${query}`, { method, headers: { 'x-amz-account-id': ACCOUNT } });
  await fetch(`${endpoint}/_emulator/calls`, { method: 'DELETE' });
  for (const [method, query] of [['GET', ''], ['POST', ''], ['DELETE', '?tagKeys=Owner']]) await control(method, query);
  const recorded = ((await (await fetch(`${endpoint}/_emulator/calls`)).json()) as { caller: string; service: string; operation: string }[])
    .filter((c) => c.caller === 'dev' && c.service === 's3').map((c) => c.operation).sort();
  expect(recorded).toEqual(['DELETE /{id}/tags/{id}?tagKeys', 'GET /{id}/tags/{id}', 'POST /{id}/tags/{id}']);
});

test('SetQueueAttributes changes only the attributes it is given: a queue keeps its policy when its retention is written (moto dropped it)', async () => {
  const QueueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: 'keeps-policy' }))).QueueUrl!;
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'EventBridgeRuleSends', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:keeps-policy` }] });
  await sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } }));
  await sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MessageRetentionPeriod: '172800' } }));
  const a = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  expect(a.MessageRetentionPeriod).toBe('172800');
  expect(JSON.parse(a.Policy ?? 'null')).toEqual(JSON.parse(Policy));
  // Given, it changes: an empty Policy removes it, as AWS does.
  await sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: '' } }));
  expect((await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!.Policy).toBeUndefined();
});
