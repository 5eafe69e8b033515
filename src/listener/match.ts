// The drift listener's decision for one AWS change event (a CloudTrail management event as
// EventBridge delivers it, "AWS API Call via CloudTrail"): which managed resource owns what
// the call changed (request a reconcile of exactly that one), none (an unmanaged change in
// one of the environments' accounts), or nothing to do. Pure: the daemon feeds it events and
// the live managed resources, and acts on the answer.
// Event shape: https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html and
// CloudTrail's record contents: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
import { EVENT_SOURCES } from '../composition/events';

/** The Kubernetes events the listener records (`payenv drift` reads them), and the annotation naming the AWS event. */
export const LISTENER_EVENT = { reconcile: 'DriftEventReconcile', unmanaged: 'UnmanagedChange', awsEventIdAnnotation: 'paymentenv.io/aws-event-id' } as const;

/** What the listener needs of one change event. */
export interface ChangeEvent {
  readonly id: string;
  readonly time: string;
  readonly account: string;
  readonly region: string;
  /** CloudTrail's eventSource, e.g. ec2.amazonaws.com. */
  readonly eventSource: string;
  readonly eventName: string;
  /** Who made the call (userIdentity.arn, or the session issuer's role for an assumed role). */
  readonly principal: string;
  readonly readOnly: boolean;
  /** Identifiers the call was made on (requestParameters, the event's resources). */
  readonly named: string[];
  /** Identifiers the call created (responseElements): a new resource, if any. */
  readonly created: string[];
  /** Tags the call set (EC2 TagSpecifications, Tags lists and maps): who the new resource claims to belong to. */
  readonly tags: Record<string, string>;
}

/** A managed resource the listener may ask to reconcile. */
export interface Target {
  readonly env: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The composition resource name (paymentenv.io/component). */
  readonly component: string;
}

export type Decision =
  | { readonly kind: 'reconcile'; readonly event: ChangeEvent; readonly targets: Target[]; readonly unmanaged: string[] }
  | { readonly kind: 'unmanaged'; readonly event: ChangeEvent; readonly env?: string; readonly unmanaged: string[] }
  | { readonly kind: 'ignored'; readonly event: ChangeEvent; readonly reason: string }
  /** Crossplane created these; settle() reports the ones no managed resource comes to own. */
  | { readonly kind: 'created'; readonly event: ChangeEvent; readonly env: string; readonly ids: string[] }
  | { readonly kind: 'malformed'; readonly reason: string };

const STRING_LIMIT = 2048;

/** Every string leaf of a JSON value (bounded: an event is at most 256 KiB). */
function strings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || out.length > 500) return out;
  if (typeof v === 'string') {
    if (v.length >= 3 && v.length <= STRING_LIMIT) out.push(v);
  } else if (Array.isArray(v)) {
    for (const x of v) strings(x, out, depth + 1);
  } else if (v && typeof v === 'object') {
    for (const x of Object.values(v)) strings(x, out, depth + 1);
  }
  return out;
}

/** Tags anywhere in a request: [{Key, Value}] / [{key, value}] lists and {Tags: {k: v}} maps. */
function tagsOf(v: unknown, out: Record<string, string> = {}, depth = 0): Record<string, string> {
  if (depth > 8 || !v || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    for (const x of v) tagsOf(x, out, depth + 1);
    return out;
  }
  const o = v as Record<string, unknown>;
  const k = o.Key ?? o.key;
  const val = o.Value ?? o.value;
  if (typeof k === 'string' && typeof val === 'string') out[k] = val;
  for (const [name, x] of Object.entries(o)) {
    if (/^tags$/i.test(name) && x && typeof x === 'object' && !Array.isArray(x)) {
      for (const [tk, tv] of Object.entries(x)) if (typeof tv === 'string') out[tk] = tv;
    } else tagsOf(x, out, depth + 1);
  }
  return out;
}

/**
 * Calls that can make something new (AWS API verbs), so their responses may name it. Others
 * answer with what they touched: a Revoke names the revoked rules' sgr- ids, and a Modify the
 * whole resource, ModifyDBCluster its master user secret and tag values (seen by npm run e2e:aws,
 * 2026-12-07, as a fourth unmanaged change where three were made).
 */
const MAKES = /^(Create|Register|Allocate|Request|Run|Subscribe|Import|Authorize|Associate|Copy)/;

/** The event in an SQS message body, or why it is not one. */
export function parseEvent(body: string): ChangeEvent | { error: string } {
  let e: any;
  try {
    e = JSON.parse(body);
  } catch {
    return { error: 'not JSON' };
  }
  if (!e || typeof e !== 'object') return { error: 'not an object' };
  if (e['detail-type'] !== 'AWS API Call via CloudTrail') return { error: `detail-type ${JSON.stringify(e['detail-type'])} is not "AWS API Call via CloudTrail"` };
  const d = e.detail;
  for (const [field, v] of [['id', e.id], ['account', e.account], ['region', e.region], ['detail.eventSource', d?.eventSource], ['detail.eventName', d?.eventName]] as const) {
    if (typeof v !== 'string' || !v) return { error: `${field} missing` };
  }
  if (!/^\d{12}$/.test(e.account)) return { error: `account ${JSON.stringify(e.account)} is not a 12-digit id` };
  const identity = d.userIdentity ?? {};
  return {
    id: e.id,
    time: typeof e.time === 'string' ? e.time : '',
    account: e.account,
    region: e.region,
    eventSource: d.eventSource,
    eventName: d.eventName,
    principal: String(identity.sessionContext?.sessionIssuer?.arn ?? identity.arn ?? ''),
    readOnly: d.readOnly === true || /^(Describe|Get|List|Head)/.test(d.eventName),
    named: [...strings(d.requestParameters), ...strings((e.resources ?? []).map((r: any) => r?.ARN ?? r))],
    created: MAKES.test(d.eventName) ? strings(d.responseElements) : [],
    tags: tagsOf(d.requestParameters),
  };
}

/** CloudTrail eventSource -> provider-upjet-aws API group family (the rule's own list, composition/events.ts). */
const FAMILY = new Map(Object.entries(EVENT_SOURCES).map(([family, source]) => [source, family]));
export const familyOf = (eventSource: string) => FAMILY.get(eventSource) ?? eventSource.split('.')[0];

/**
 * Calls that change one sub-resource of a bucket, a role, a queue or a security group, whose
 * managed resources all answer to the parent's name or id: the kinds that call belongs to (S3,
 * IAM, SQS and EC2 API references; the Composition's rules are aws_security_group_rule). SetQueueAttributes sets any attribute: the queue, its
 * redrive policy and its policy are each read again.
 */
const KIND_OF_CALL: [RegExp, string[]][] = [
  [/^(Put|Delete)BucketPolicy$/, ['BucketPolicy']],
  [/^(Put|Delete)(Bucket)?PublicAccessBlock$/, ['BucketPublicAccessBlock']],
  [/^PutBucketVersioning$/, ['BucketVersioning']],
  [/^(Put|Delete)BucketEncryption$/, ['BucketServerSideEncryptionConfiguration']],
  [/^(Put|Delete)BucketLifecycle/, ['BucketLifecycleConfiguration']],
  [/^(Put|Delete)BucketReplication$/, ['BucketReplicationConfiguration']],
  [/^PutBucketLogging$/, ['BucketLogging']],
  [/^PutObjectLockConfiguration$/, ['BucketObjectLockConfiguration']],
  [/^(Put|Delete)BucketOwnershipControls$/, ['BucketOwnershipControls']],
  [/^(Put|Delete)RolePolicy$/, ['RolePolicy']],
  [/^(Attach|Detach)RolePolicy$/, ['Role']],
  [/^SetQueueAttributes$/, ['Queue', 'QueueRedrivePolicy', 'QueuePolicy']],
  [/^(Authorize|Revoke)SecurityGroup(Ingress|Egress)$/, ['SecurityGroupRule']],
];

/** Calls that attach to a managed resource what no managed resource describes (the Role's MR does not manage attached policies). */
const ATTACHES_UNMANAGED = /^AttachRolePolicy$/;

const LOOKS_LIKE_RESOURCE = /^(arn:|[a-z]+-[0-9a-f]{8,}$)/;

/**
 * What kind of thing an identifier names: an ARN's service and resource type
 * (arn:aws:ecs:r:a:task-definition/f:3 -> ecs:task-definition), an EC2-style id's prefix (vpc-0a1b... -> vpc).
 */
export function idType(id: string): string {
  if (id.startsWith('arn:')) {
    const [, , service = '', , , ...resource] = id.split(':');
    return `${service}:${resource.join(':').split(/[/:]/)[0]}`;
  }
  return id.replace(/-[0-9a-f]{8,}$/, '');
}

/**
 * Application Auto Scaling's service-linked roles (one per scaled service, path
 * /aws-service-role/<service>.application-autoscaling.amazonaws.com/): a scale-out or
 * scale-in it makes (ecs:UpdateService desiredCount, dynamodb:UpdateTable capacity) is the
 * scaling the stack asks for, not drift; the Composition sets those values only at creation
 * (initProvider). https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html
 */
export const AUTOSCALING_ROLE = /:role\/aws-service-role\/[a-z0-9-]+\.application-autoscaling\.amazonaws\.com\//;

/** Calls that make a new resource (a provider's create: Terraform's Create of each kind). */
const CREATES = /^(Create|Register|Allocate|Request|Run|Subscribe|Import)/;

/** Managed resources by every identifier AWS knows them by: external name, ARN, id, URL. */
export class Index {
  private readonly byId = new Map<string, Target[]>();
  /** Per environment, each identifier type its managed resources hold (idType), and whether all of those are Ready. */
  private readonly types = new Map<string, Map<string, boolean>>();

  /**
   * objects: the live managed resources of each environment; envsByAccount: the environments in
   * each account (src/platform.ts accountId); deployers: each environment's deployer role ARN.
   */
  constructor(objects: { env: string; obj: any }[], readonly envsByAccount: Map<string, string[]>, private readonly deployers: Map<string, string> = new Map()) {
    for (const { env, obj } of objects) {
      if (!obj?.apiVersion?.includes('.aws.m.upbound.io/')) continue;
      const t: Target = {
        env, apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name,
        component: obj.metadata.labels?.['paymentenv.io/component'] ?? '',
      };
      const at = obj.status?.atProvider ?? {};
      // securityGroupId: a rule answers to its group's id too (calls name the group, not the rule);
      // securityGroupRuleId: the sgr- id AWS answers an authorize with (the Terraform id is not it).
      const ids = [obj.metadata.annotations?.['crossplane.io/external-name'], at.arn, at.id, at.url, at.keyId, at.securityGroupId, at.securityGroupRuleId]
        .filter((x): x is string => typeof x === 'string' && x.length >= 3);
      // Composite ids (WebACLAssociation "<acl arn>,<resource arn>", RolePolicy "<role>:<policy>"): each part names it too.
      const parts = ids.flatMap((id) => (id.startsWith('arn:') && !id.includes(',') ? [] : id.split(id.includes(',') ? ',' : ':'))).filter((x) => x.length >= 3);
      for (const id of new Set([...ids, ...parts])) this.byId.set(id, [...(this.byId.get(id) ?? []), t]);
      const ready = (obj.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      const types = this.types.get(env) ?? this.types.set(env, new Map()).get(env)!;
      for (const id of [obj.metadata.annotations?.['crossplane.io/external-name'], at.arn, at.id]) {
        if (typeof id === 'string' && LOOKS_LIKE_RESOURCE.test(id)) types.set(idType(id), (types.get(idType(id)) ?? true) && ready);
      }
    }
  }

  /** Undefined: no managed resource of the environment has an identifier of this type; else whether all that have one are Ready. */
  typeReady(env: string, type: string): boolean | undefined {
    return this.types.get(env)?.get(type);
  }

  owners(id: string): Target[] {
    return this.byId.get(id) ?? [];
  }

  /** The environment whose deployer made the call (a provider applying desired state is not drift). */
  crossplaneEnv(principal: string): string | undefined {
    return this.deployers.get(principal);
  }
}

/** Replayed and duplicated events (EventBridge delivers at least once) are acted on once. */
export class Seen {
  private readonly ids = new Map<string, true>();
  constructor(private readonly capacity = 10_000) {}
  /** True the first time an id is offered. */
  first(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value as string);
    return true;
  }
}

/**
 * Of the managed resources a call names, the ones it changes: the kind the call belongs to
 * (KIND_OF_CALL), else the kinds whose name the call's carries (ModifyDBCluster: the Cluster, not
 * the subnet group of the same name), longest first; else all of them.
 */
function narrowByCall(eventName: string, owned: Target[]): Target[] {
  const listed = KIND_OF_CALL.find(([re]) => re.test(eventName))?.[1];
  const byListed = listed ? owned.filter((t) => listed.includes(t.kind)) : [];
  if (byListed.length) return byListed;
  const call = eventName.toLowerCase();
  const named = owned.filter((t) => call.includes(t.kind.toLowerCase()));
  const longest = Math.max(0, ...named.map((t) => t.kind.length));
  return named.length ? named.filter((t) => t.kind.length === longest) : owned;
}

export function decide(parsed: ChangeEvent | { error: string }, index: Index, seen: Seen): Decision {
  if ('error' in parsed) return { kind: 'malformed', reason: parsed.error };
  const event = parsed;
  const envsHere = index.envsByAccount.get(event.account);
  if (!envsHere?.length) return { kind: 'ignored', event, reason: `account ${event.account} holds no environment` };
  if (!seen.first(event.id)) return { kind: 'ignored', event, reason: 'already handled (duplicate or replayed event)' };
  if (event.readOnly) return { kind: 'ignored', event, reason: 'read-only call' };
  if (AUTOSCALING_ROLE.test(event.principal)) return { kind: 'ignored', event, reason: `scaling by Application Auto Scaling (${event.principal})` };
  const deployerOf = index.crossplaneEnv(event.principal);
  if (deployerOf) {
    // A provider's create, made again after the provider died before it heard the answer, leaves
    // the first one owned by no managed resource where AWS picks the identifier (a VPC, a task
    // definition revision, a key): created ids of a type the environment manages are checked later.
    const ids = CREATES.test(event.eventName)
      ? event.created.filter((id) => LOOKS_LIKE_RESOURCE.test(id) && !event.named.includes(id) && index.typeReady(deployerOf, idType(id)) !== undefined && !index.owners(id).length)
      : [];
    if (ids.length) return { kind: 'created', event, env: deployerOf, ids: [...new Set(ids)] };
    return { kind: 'ignored', event, reason: `made by Crossplane (${event.principal})` };
  }
  const family = familyOf(event.eventSource);
  const owned = [...new Set(event.named.flatMap((id) => index.owners(id).filter((t) => t.apiVersion.startsWith(`${family}.`))))];
  const targets = narrowByCall(event.eventName, owned);
  // What the call created or attached that no managed resource describes: a rule added to a
  // managed security group, a policy attached to an environment's role.
  const created = event.created.filter((id) => LOOKS_LIKE_RESOURCE.test(id) && !index.owners(id).length && !event.named.includes(id));
  const attached = ATTACHES_UNMANAGED.test(event.eventName) && targets.length ? event.named.filter((id) => id.startsWith('arn:') && !index.owners(id).length) : [];
  const unmanaged = [...created, ...attached];
  if (targets.length) return { kind: 'reconcile', event, targets, unmanaged };
  // Nothing managed was touched: ours only if it claims an environment by its tag, or the
  // account holds exactly one environment.
  const env = event.tags.Environment && envsHere.includes(event.tags.Environment) ? event.tags.Environment : envsHere.length === 1 ? envsHere[0] : undefined;
  if (env) return { kind: 'unmanaged', event, env, unmanaged: created.length ? created : event.named.filter((id) => LOOKS_LIKE_RESOURCE.test(id)).slice(0, 5) };
  return { kind: 'ignored', event, reason: 'touches no environment\'s resource (shared account)' };
}

/** A provider's create the listener checks once that environment's managed resources of its type are Ready. */
export interface Pending { readonly env: string; readonly event: ChangeEvent; readonly ids: string[]; readonly seenAt: number }

/** Seconds a provider has to record what it created before an unowned id can be an orphan. */
export const ORPHAN_GRACE_SECONDS = 120;

/**
 * The provider's creates that no managed resource owns once every managed resource of that type
 * in the environment is Ready (so none is still waiting to record its id), and the ones to look
 * at again. Owned ids, and ids of a type the environment no longer manages, are dropped.
 */
export function settle(pending: Pending[], index: Index, now: number, graceMs = ORPHAN_GRACE_SECONDS * 1000): { orphans: Pending[]; keep: Pending[] } {
  const orphans: Pending[] = [];
  const keep: Pending[] = [];
  for (const p of pending) {
    const ids = p.ids.filter((id) => !index.owners(id).length && index.typeReady(p.env, idType(id)) !== undefined);
    if (!ids.length) continue;
    if (now - p.seenAt < graceMs || ids.some((id) => !index.typeReady(p.env, idType(id)))) keep.push({ ...p, ids });
    else orphans.push({ ...p, ids });
  }
  return { orphans, keep };
}
