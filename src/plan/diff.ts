// What a change does to one environment's managed resources: the converged render of
// each side, matched by composition resource name, each resource judged create, update,
// replace or delete like terraform plan does. Pure: no files, no processes.
import { K8sObject, RESOURCE_NAME_ANNOTATION } from '../render';
import { EXTERNAL_NAME } from '../composition/resource';
import { replacementOf } from './replacements';

export type Action = 'create' | 'update' | 'replace' | 'delete';

export interface FieldChange {
  /** Where, from the managed resource's root: `spec.forProvider.cidrBlock`; inside a JSON string after `#`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** The field's change replaces the resource (`forces`), or may, decided by the provider at plan time (`may`). */
  readonly replace?: 'forces' | 'may';
}

export interface ResourceChange {
  /** Composition resource name (`db-cluster`). */
  readonly name: string;
  /** `<family>/<Kind>` (`rds/Cluster`). */
  readonly kind: string;
  readonly action: Action;
  /** For replace and update: the fields that differ (AWS-facing first). */
  readonly fields: readonly FieldChange[];
  /** Only Kubernetes changes (labels, create-time `initProvider`, policies): nothing is sent to AWS. */
  readonly kubernetesOnly?: boolean;
  /** For a replace: why (the fields, the external name, the kind). */
  readonly reason?: string;
  /** A replace that may not happen: the provider decides when it plans. */
  readonly maybe?: boolean;
}

/** The deployment marker every composed resource carries (`tags.ConfigHash`): summarised, not listed. */
export const MARKER_PATH = 'spec.forProvider.tags.ConfigHash';

/** Adoption mode (src/names.ts ADOPT_ANNOTATION) turns every managed resource Observe-only: summarised, not listed. */
const POLICIES_PATH = 'spec.managementPolicies';
const observeOnly = (v: unknown) => JSON.stringify(v) === '["Observe"]';

export interface EnvironmentDiff {
  readonly changes: ResourceChange[];
  /** Resources whose only AWS change is the marker tag; from → to. */
  readonly marker?: { from: string; to: string; resources: number };
  /** Resources entering (Observe-only from here) or leaving adoption mode (managed again). */
  readonly adoption?: { entering: boolean; resources: number };
}

export const kindOf = (o: K8sObject): string => `${o.apiVersion.split('.')[0]}/${o.kind}`;
const fullKind = (o: K8sObject): string => `${o.apiVersion.split('/')[0]}/${o.kind}`;

/**
 * A string holding a JSON object or array (a policy, container definitions): compared as JSON.
 * Not an empty one: `{}` is also the CEL map an admission policy's variable becomes when its
 * last entry goes, and the expression's path should not change with it.
 */
function asJson(v: unknown): unknown {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return undefined;
  try {
    const json = JSON.parse(v);
    return Object.keys(json).length ? json : undefined;
  } catch {
    return undefined;
  }
}

/** Leaf paths of a value: `a.b[0].c` (a list of plain values is one leaf); JSON strings expanded after `#`. */
export function flatten(v: unknown, path: string, out: Map<string, unknown>, inJson = false): Map<string, unknown> {
  const json = inJson ? undefined : asJson(v);
  if (json !== undefined) return flatten(json, `${path}#`, out, true);
  if (Array.isArray(v)) {
    // A list of plain values (management policies, activated kinds) reads best as one value.
    if (v.every((x) => x === null || typeof x !== 'object')) { out.set(path, v); return out; }
    v.forEach((x, i) => flatten(x, `${path}[${i}]`, out, inJson));
  } else if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    if (!keys.length) out.set(path, {});
    for (const k of keys) flatten((v as Record<string, unknown>)[k], path.endsWith('#') ? `${path}${k}` : `${path}.${k}`, out, inJson);
  } else {
    out.set(path, v);
  }
  return out;
}

/** What of a managed resource the plan compares (status is the provider's, not ours). */
function comparable(o: K8sObject): Record<string, unknown> {
  const { [RESOURCE_NAME_ANNOTATION]: _n, ...annotations } = o.metadata.annotations ?? {};
  return { metadata: { labels: o.metadata.labels ?? {}, annotations }, spec: o.spec ?? {} };
}

/** The field of the CRD a rendered path sets: `spec.forProvider.vpcConfig[0].subnetIdSelector.matchLabels.a` -> `vpcConfig.subnetId`. */
export function crdField(path: string): string | undefined {
  const m = /^spec\.forProvider\.([^#]*)/.exec(path);
  if (!m) return undefined;
  const segs = m[1].replace(/\[\d+\]/g, '').split('.');
  const out: string[] = [];
  for (const s of segs) {
    const ref = /^(.*?)(Selector|Refs|Ref)$/.exec(s);
    out.push(ref ? ref[1] : s);
    if (ref) break;
  }
  return out.join('.');
}

function fieldChanges(before: K8sObject, after: K8sObject): FieldChange[] {
  const a = flatten(comparable(before), '', new Map());
  const b = flatten(comparable(after), '', new Map());
  const out: FieldChange[] = [];
  const kind = fullKind(after);
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [x, y] = [a.get(path), b.get(path)];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const p = path.replace(/^\./, '');
    const field = crdField(p);
    const replace = field === undefined ? undefined : replacementOf(kind, field);
    out.push({ path: p, ...(a.has(path) ? { before: x } : {}), ...(b.has(path) ? { after: y } : {}), ...(replace ? { replace } : {}) });
  }
  return out;
}

/** An AWS-facing field: what the provider sends (forProvider) or which object it is (external name). */
// trackLatest is how Terraform reads a task definition (adoption mode sets it): nothing is sent to AWS.
const TRACK_LATEST_PATH = 'spec.forProvider.trackLatest';
const awsFacing = (f: FieldChange) => (f.path.startsWith('spec.forProvider.') && f.path !== TRACK_LATEST_PATH) || f.path === `metadata.annotations.${EXTERNAL_NAME}`;

function judge(name: string, before: K8sObject, after: K8sObject): ResourceChange | undefined {
  const kind = kindOf(after);
  if (fullKind(before) !== fullKind(after)) {
    return { name, kind, action: 'replace', fields: [], reason: `kind changes from ${fullKind(before)} to ${fullKind(after)}: the old one is deleted, a new one created` };
  }
  const fields = fieldChanges(before, after);
  if (!fields.length) return undefined;
  const ext = fields.find((f) => f.path === `metadata.annotations.${EXTERNAL_NAME}`);
  const forcing = fields.filter((f) => f.replace === 'forces');
  const may = fields.filter((f) => f.replace === 'may');
  if (ext || forcing.length) {
    const reason = ext
      ? `external name ${JSON.stringify(ext.before)} -> ${JSON.stringify(ext.after)}: the provider looks for the new name and creates it; the old one stays in AWS, unmanaged`
      : `forces replacement: ${forcing.map((f) => crdField(f.path)).filter((v, i, s) => s.indexOf(v) === i).join(', ')}`;
    return { name, kind, action: 'replace', fields, reason };
  }
  if (may.length) {
    return { name, kind, action: 'replace', fields, maybe: true, reason: `may replace (the provider decides when it plans): ${may.map((f) => crdField(f.path)).join(', ')}` };
  }
  return { name, kind, action: 'update', fields, ...(fields.some(awsFacing) ? {} : { kubernetesOnly: true }) };
}

/** Compares the composed resources of one environment at base and head (either may be absent). */
export function diffResources(base: Map<string, K8sObject>, head: Map<string, K8sObject>): EnvironmentDiff {
  const changes: ResourceChange[] = [];
  let marker: EnvironmentDiff['marker'];
  let adoption: EnvironmentDiff['adoption'];
  for (const name of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const [b, h] = [base.get(name), head.get(name)];
    if (!b) { changes.push({ name, kind: kindOf(h!), action: 'create', fields: [] }); continue; }
    if (!h) { changes.push({ name, kind: kindOf(b), action: 'delete', fields: [] }); continue; }
    const c = judge(name, b, h);
    if (!c) continue;
    const tag = c.fields.find((f) => f.path === MARKER_PATH);
    const mode = c.fields.find((f) => f.path === POLICIES_PATH && observeOnly(f.after) !== observeOnly(f.before));
    const rest = c.fields.filter((f) => f !== tag && f !== mode && !(mode && f.path === TRACK_LATEST_PATH));
    if (tag) marker = { from: String(tag.before), to: String(tag.after), resources: (marker?.resources ?? 0) + 1 };
    if (mode) adoption = { entering: observeOnly(mode.after), resources: (adoption?.resources ?? 0) + 1 };
    if (c.action === 'update' && (tag || mode) && !rest.length) continue;
    changes.push(c.action === 'update' && (tag || mode) ? { ...c, fields: rest, kubernetesOnly: !rest.some(awsFacing) } : c);
  }
  return { changes, ...(marker ? { marker } : {}), ...(adoption ? { adoption } : {}) };
}
