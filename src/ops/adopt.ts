// `payenv adopt <env>`: binds the managed resources of a claim in adoption mode to what
// exists in AWS, by giving each its external name. While the claim is in adoption mode
// every managed resource is Observe-only (src/names.ts ADOPT_ANNOTATION), so nothing is
// created, changed or deleted in AWS before or during the binding; leaving the mode is a
// commit, and only what is still unbound is created then.
//
// Where the names come from: the Composition gives name-keyed kinds theirs (already set);
// the others come from a backup, the `payenv manifest -o json` of the lost control plane,
// and, with --lookup, from AWS itself (src/ops/lookup.ts) for what the backup does not name.
import { existsSync, readFileSync } from 'fs';
import { EXTERNAL_NAME, RECONCILE_ANNOTATION } from '../composition/resource';
import { ADOPT_ANNOTATION, isAwsManaged } from '../names';
import { OpsError } from './errors';
import type { Inventory } from './inventory';
import type { Connection, Obj } from './kube';
import type { Clients, Found } from './lookup';

/** One composed resource as `payenv manifest` records it. */
export interface BackupEntry { readonly name: string; readonly apiVersion: string; readonly kind: string; readonly externalName: string | null }

export interface Backup { readonly file: string; readonly region?: string; readonly resources: Map<string, BackupEntry> }

export type Outcome = 'bound' | 'named' | 'missing' | 'refused';

export interface Binding {
  readonly name: string;
  readonly kind: string;
  /** The managed resource's object name in the environment's namespace. */
  readonly object: string;
  readonly outcome: Outcome;
  readonly externalName?: string;
  /** Where a bound name came from. */
  readonly source?: 'backup' | 'lookup';
  readonly reason?: string;
}

/** A field the observed AWS object holds otherwise than the Composition wants: full management changes it. */
export interface Difference { readonly name: string; readonly kind: string; readonly field: string; readonly observed: unknown; readonly desired: unknown }

export interface AdoptReport {
  readonly environment: string;
  readonly from?: string;
  readonly lookup: boolean;
  readonly dryRun: boolean;
  readonly bindings: Binding[];
  /** In the backup, not composed (yet): held back until what they wait for is observed. */
  readonly notComposed: string[];
  readonly counts: Record<Outcome, number>;
  /** What leaving adoption mode would change in AWS, on the resources observed so far. */
  readonly differences: Difference[];
  /** Observed once but never marked Ready (crossplane-runtime#791): asked to observe again. */
  readonly reobserved: string[];
}

const groupOf = (apiVersion: string) => apiVersion.split('/')[0];
/**
 * A new Observe-only resource's first reconcile sets Available, then adding the finalizer
 * (an Update) replaces the status with the server's and only Synced is written; the finalizer
 * change passes no event filter, so Ready waits for the next poll (--poll, 10m as shipped).
 * crossplane-runtime#791 (fix proposed in #804). Name-keyed kinds get no external-name patch
 * from adopt that would wake them, so adopt asks for a reconcile instead.
 */
const stuckUnready = (r: { obj: Obj; synced?: string; ready?: string }) => observeOnly(r.obj) && r.synced === 'True' && r.ready === undefined
  && !!r.obj.metadata.annotations?.[EXTERNAL_NAME];
/** An Observe-only resource whose name AWS does not have: crossplane-runtime's managed reconciler says so in Synced. */
const absent = (o: Obj) => (o.status?.conditions ?? []).some((c: { type: string; status: string; message?: string }) =>
  c.type === 'Synced' && c.status === 'False' && /external resource does not exist/.test(c.message ?? ''));
const observeOnly = (o: Obj) => JSON.stringify(o.spec?.managementPolicies ?? ['*']) === '["Observe"]';

/** Reads a `payenv manifest -o json` file for one environment; errors name the file, the field and the rule. */
export function readBackup(file: string, env: string): Backup {
  if (!existsSync(file)) throw new OpsError(`${file}: no such file (write one with payenv manifest -o json --out ${file})`);
  let doc: any;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new OpsError(`${file}: not JSON (${(e as Error).message}); expected the output of payenv manifest -o json`);
  }
  if (!Array.isArray(doc?.environments)) throw new OpsError(`${file}: environments: must be a list (the output of payenv manifest -o json)`);
  const i = doc.environments.findIndex((e: any) => e?.name === env);
  if (i < 0) throw new OpsError(`${file}: environments: no environment "${env}" (it has ${doc.environments.map((e: any) => e?.name).join(', ') || 'none'})`);
  const e = doc.environments[i];
  if (!Array.isArray(e.resources)) throw new OpsError(`${file}: environments[${i}].resources: must be a list`);
  const resources = new Map<string, BackupEntry>();
  e.resources.forEach((r: any, j: number) => {
    const at = `${file}: environments[${i}].resources[${j}]`;
    for (const f of ['name', 'apiVersion', 'kind'] as const) if (typeof r?.[f] !== 'string' || !r[f]) throw new OpsError(`${at}.${f}: must be a non-empty string`);
    if (r.externalName !== null && typeof r.externalName !== 'string') throw new OpsError(`${at}.externalName: must be a string or null`);
    if (resources.has(r.name)) throw new OpsError(`${at}.name: "${r.name}" appears twice`);
    resources.set(r.name, { name: r.name, apiVersion: r.apiVersion, kind: r.kind, externalName: r.externalName || null });
  });
  return { file, region: typeof e.region === 'string' ? e.region : undefined, resources };
}

/** What adopt would do to each managed resource of the environment; writes nothing. */
export function bindings(inv: Inventory, backup?: Backup, found?: Map<string, Found>): { bindings: Binding[]; notComposed: string[] } {
  const out: Binding[] = [];
  const unknown = backup ? `${backup.file} has no external name for it` : 'no backup given (--from)';
  for (const r of inv.resources) {
    if (!isAwsManaged(r.obj)) continue;
    const base = { name: r.name, kind: `${groupOf(r.obj.apiVersion).split('.')[0]}/${r.obj.kind}`, object: r.obj.metadata.name };
    const current = r.obj.metadata.annotations?.[EXTERNAL_NAME];
    if (current && observeOnly(r.obj) && absent(r.obj)) {
      out.push({ ...base, outcome: 'missing', externalName: current, reason: `in AWS: no ${r.obj.kind} ${current} (the provider observed it absent): it is created when ${inv.env} leaves adoption mode` });
      continue;
    }
    if (current) { out.push({ ...base, outcome: 'named', externalName: current }); continue; }
    if (!observeOnly(r.obj)) {
      out.push({ ...base, outcome: 'refused', reason: `managementPolicies is ${JSON.stringify(r.obj.spec?.managementPolicies ?? ['*'])}, not ["Observe"]: Crossplane has not applied adoption mode to it yet` });
      continue;
    }
    const b = backup?.resources.get(r.name);
    if (b?.externalName) {
      if (groupOf(b.apiVersion) !== groupOf(r.obj.apiVersion) || b.kind !== r.obj.kind) {
        out.push({ ...base, outcome: 'refused', reason: `${backup!.file} records ${r.name} as ${groupOf(b.apiVersion)}/${b.kind}, this is ${groupOf(r.obj.apiVersion)}/${r.obj.kind}` });
      } else out.push({ ...base, outcome: 'bound', externalName: b.externalName, source: 'backup' });
      continue;
    }
    const f = found?.get(r.name);
    if (!f) {
      out.push({ ...base, outcome: 'missing', reason: `${unknown}${found ? '' : ' and no --lookup'}: it is created when ${inv.env} leaves adoption mode` });
    } else if ('name' in f) {
      out.push({ ...base, outcome: 'bound', externalName: f.name, source: 'lookup' });
    } else if ('ambiguous' in f) {
      out.push({ ...base, outcome: 'refused', reason: `${f.ambiguous.length} candidates in AWS: ${f.ambiguous.join(', ')}; name the right one with kubectl annotate ${r.obj.kind.toLowerCase()}.${groupOf(r.obj.apiVersion)} -n ${r.obj.metadata.namespace} ${r.obj.metadata.name} ${EXTERNAL_NAME}=<id>` });
    } else if ('waits' in f) {
      out.push({ ...base, outcome: 'missing', reason: `waits for ${f.waits} to be named: run payenv adopt again once it is` });
    } else {
      out.push({ ...base, outcome: 'missing', reason: `${unknown}; in AWS: ${f.missing}: it is created when ${inv.env} leaves adoption mode` });
    }
  }
  const composed = new Set(inv.resources.map((r) => r.name));
  const notComposed = backup ? [...backup.resources.values()].filter((b) => b.externalName && isAwsManaged(b) && !composed.has(b.name)).map((b) => b.name).sort() : [];
  return { bindings: out, notComposed };
}

const parsedJson = (v: unknown) => {
  if (typeof v !== 'string' || !/^[[{]/.test(v.trim())) return v;
  try { return JSON.parse(v); } catch { return v; }
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const scalar = (v: unknown) => (typeof v === 'string' ? v.replace(/\.$/, '') : String(v));

/**
 * The observed value has what the Composition asks for. Only what it sets counts (AWS's defaults
 * and computed fields do not); JSON documents are compared parsed, lists of values as sets, DNS
 * names without the final dot; a field AWS does not report is not a difference.
 */
function has(observed: unknown, desired: unknown): boolean {
  [observed, desired] = [parsedJson(observed), parsedJson(desired)];
  if (observed === undefined || observed === null) return true;
  if (Array.isArray(desired) && Array.isArray(observed)) {
    if (desired.every((d) => !d || typeof d !== 'object')) return desired.every((d) => observed.some((o: unknown) => scalar(o) === scalar(d)));
    return desired.length === observed.length && desired.every((d, i) => has(observed[i], d));
  }
  if (isObject(desired) && isObject(observed)) return Object.keys(desired).filter((k) => !/(Selector|Ref|Refs)$/.test(k)).every((k) => has(observed[k], desired[k]));
  return scalar(observed) === scalar(desired);
}

/**
 * Where an observed resource (status.atProvider) lacks what the Composition asks (spec.forProvider),
 * by field (maps such as tags by key): what leaving adoption mode would change. A first look for
 * a person; the provider's own comparison decides.
 */
export function differences(o: Obj): { field: string; observed: unknown; desired: unknown }[] {
  const desired = o.spec?.forProvider ?? {};
  const observed = o.status?.atProvider;
  if (!observed) return [];
  const out: { field: string; observed: unknown; desired: unknown }[] = [];
  for (const k of Object.keys(desired).filter((x) => !/(Selector|Ref|Refs)$/.test(x))) {
    if (has(observed[k], desired[k])) continue;
    if (isObject(desired[k]) && isObject(observed[k]) && Object.values(desired[k]).every((v) => !v || typeof v !== 'object')) {
      for (const [key, v] of Object.entries(desired[k])) if (!has(observed[k][key], v)) out.push({ field: `${k}.${key}`, observed: observed[k][key], desired: v });
    } else out.push({ field: k, observed: observed[k], desired: desired[k] });
  }
  return out;
}

/**
 * Binds the environment: refuses unless its claim is in adoption mode; each binding is one
 * merge patch with the resource version read, so a resource that changed meanwhile is not touched.
 */
export async function adopt(c: Connection, inv: Inventory, backup: Backup | undefined, dryRun: boolean, aws?: Clients): Promise<AdoptReport> {
  if (inv.xr.metadata.annotations?.[ADOPT_ANNOTATION] !== 'true') {
    throw new OpsError(`${inv.env} is not in adoption mode: set metadata.annotations["${ADOPT_ANNOTATION}"]: "true" in environments/${inv.env}.yaml, `
      + 'commit, and run payenv adopt once Argo CD has synced it (until then its managed resources may create in AWS)');
  }
  if (backup?.region && inv.xr.spec?.region && backup.region !== inv.xr.spec.region) {
    throw new OpsError(`${backup.file}: ${inv.env} was in ${backup.region}, the claim says ${inv.xr.spec.region}: not the same environment`);
  }
  let found: Map<string, Found> | undefined;
  if (aws) {
    const names = new Map<string, string>();
    for (const r of inv.resources) {
      const n = r.obj.metadata.annotations?.[EXTERNAL_NAME] ?? backup?.resources.get(r.name)?.externalName;
      if (n) names.set(r.name, n);
    }
    // The AWS SDK clients load only when lookups are asked for.
    found = await (await import('./lookup')).lookup(inv, names, aws);
  }
  const planned = bindings(inv, backup, found);
  const done: Binding[] = [];
  for (const b of planned.bindings) {
    if (b.outcome !== 'bound' || dryRun) { done.push(b); continue; }
    const obj = inv.resources.find((r) => r.name === b.name)!.obj;
    try {
      await c.objects.patch(
        { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, resourceVersion: obj.metadata.resourceVersion, annotations: { [EXTERNAL_NAME]: b.externalName! } } },
        undefined, undefined, 'payenv-adopt', undefined, 'application/merge-patch+json',
      );
      done.push(b);
    } catch (e) {
      const err = e as { code?: number; body?: string; message?: string };
      const why = err.code === 409 ? 'it changed while adopt ran: run payenv adopt again' : String(err.body ?? err.message ?? e).slice(0, 300);
      done.push({ ...b, outcome: 'refused', reason: why });
    }
  }
  const reobserved: string[] = [];
  for (const r of inv.resources.filter((x) => isAwsManaged(x.obj) && stuckUnready(x))) {
    if (!dryRun) {
      try {
        await c.objects.patch(
          { apiVersion: r.obj.apiVersion, kind: r.obj.kind, metadata: { name: r.obj.metadata.name, namespace: r.obj.metadata.namespace, annotations: { [RECONCILE_ANNOTATION]: new Date().toISOString() } } },
          undefined, undefined, 'payenv-adopt', undefined, 'application/merge-patch+json',
        );
      } catch { continue; } // gone or changed meanwhile: the change itself wakes it
    }
    reobserved.push(r.name);
  }
  const counts = { bound: 0, named: 0, missing: 0, refused: 0 } as Record<Outcome, number>;
  for (const b of done) counts[b.outcome]++;
  const diffs = inv.resources.filter((r) => isAwsManaged(r.obj) && r.ready === 'True')
    .flatMap((r) => differences(r.obj).map((d) => ({ name: r.name, kind: `${groupOf(r.obj.apiVersion).split('.')[0]}/${r.obj.kind}`, ...d })));
  return { environment: inv.env, from: backup?.file, lookup: !!aws, dryRun, bindings: done, notComposed: planned.notComposed, counts, differences: diffs, reobserved };
}

export function adoptText(r: AdoptReport): string {
  const sources = [r.from && `names from ${r.from}`, r.lookup && 'lookups in AWS'].filter(Boolean).join(', then ');
  const out = [`${r.environment}: adoption mode${sources ? `, ${sources}` : ''}${r.dryRun ? ' (dry run: nothing written)' : ''}`];
  for (const b of r.bindings.filter((x) => x.outcome !== 'named')) {
    const from = b.source && r.from && r.lookup ? ` (${b.source})` : '';
    out.push(`  ${b.outcome.padEnd(8)} ${b.name} (${b.kind})${b.externalName ? ` -> ${b.externalName}${from}` : ''}${b.reason ? `: ${b.reason}` : ''}`);
  }
  if (r.notComposed.length) out.push(`  not composed yet (they wait for others to be observed; run payenv adopt again): ${r.notComposed.join(', ')}`);
  if (r.reobserved.length) out.push(`  ${r.dryRun ? 'would ask' : 'asked'} to observe again (observed, never marked Ready: crossplane-runtime#791): ${r.reobserved.join(', ')}`);
  if (r.differences.length) out.push('  leaving adoption mode would change in AWS (observed -> wanted):');
  for (const d of r.differences) out.push(`  ~ ${d.name} (${d.kind}) ${d.field}: ${JSON.stringify(d.observed)} -> ${JSON.stringify(d.desired)}`.slice(0, 400));
  const c = r.counts;
  out.push(`${r.dryRun ? 'Would bind' : 'Bound'} ${c.bound}, already named ${c.named}, missing ${c.missing} (created on leaving adoption mode), refused ${c.refused}.`);
  return `${out.join('\n')}\n`;
}
