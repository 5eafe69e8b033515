// `payenv parity`: compares the live composed resources of every pair of
// environments. A difference is explained only by the tier policy as the
// Composition itself applies it (a patch from spec.tier, or a resource that
// exists in some tiers or only with an optional variable); everything else
// is reported as unexplained. Between environments on different releases (a tier
// not yet promoted), a resource the two releases define differently is explained
// by the release.
import { composedResources as compositionResources, compositionProps, DIGEST_LABEL } from '../composition';
import { compositionOf, currentDigest } from '../releases';
import { Inventory } from './inventory';

export interface Difference {
  readonly a: string;
  readonly b: string;
  readonly resource: string;
  readonly path: string;
  readonly valueA: unknown;
  readonly valueB: unknown;
  readonly explained: boolean;
  readonly because?: string;
}

/**
 * Per composed resource, from the Composition: the fields mapped from spec.tier
 * (the tier policy), and the fields filled from other resources' outputs
 * (XR status: IDs and ARNs that differ between environments by nature).
 */
function compositionFields(): { tier: Map<string, string[]>; outputs: Map<string, string[]> } {
  const pt = (compositionProps().spec!.pipeline as any[])[0].input;
  const sets = new Map<string, any[]>(pt.patchSets.map((s: any) => [s.name, s.patches]));
  const tier = new Map<string, string[]>();
  const outputs = new Map<string, string[]>();
  for (const r of pt.resources) {
    const patches = r.patches.flatMap((p: any) => (p.type === 'PatchSet' ? sets.get(p.patchSetName) ?? [] : [p]));
    tier.set(r.name, patches.filter((p: any) => p.fromFieldPath === 'spec.tier').map((p: any) => p.toFieldPath));
    outputs.set(r.name, patches.filter((p: any) => p.type === 'FromCompositeFieldPath' && p.fromFieldPath.startsWith('status.')).map((p: any) => p.toFieldPath));
  }
  return { tier, outputs };
}

/** Drops what providers resolve from selectors (vpcIdSelector -> vpcId, vpcIdRef): IDs, not configuration. */
function withoutResolvedReferences(v: any): any {
  if (Array.isArray(v)) return v.map(withoutResolvedReferences);
  if (!v || typeof v !== 'object') return v;
  const drop = new Set<string>();
  for (const k of Object.keys(v)) {
    if (!k.endsWith('Selector')) continue;
    const base = k.slice(0, -'Selector'.length);
    for (const x of [base, `${base}s`, `${base}Ref`, `${base}Refs`]) drop.add(x);
  }
  return Object.fromEntries(Object.entries(v).filter(([k]) => !drop.has(k)).map(([k, x]) => [k, withoutResolvedReferences(x)]));
}

/** Replaces each environment's own values (name, region, CIDR, domain...) by placeholders, in string values only. */
function normalizer(xr: any): (v: unknown) => unknown {
  const spec = xr.spec ?? {};
  const hash = xr.metadata.annotations?.['paymentenv.io/config-hash'];
  // Inside strings: values distinctive enough to replace wherever they appear.
  const inside = ([
    [spec.appImage, '<appImage>'], [spec.apiDomain, '<apiDomain>'], [spec.alarmEmail, '<alarmEmail>'],
    [spec.vpcCidr ? `${spec.vpcCidr.split('.').slice(0, 2).join('.')}.` : undefined, '<vpcNet>.'],
    [spec.drRegion, '<drRegion>'], [spec.region, '<region>'], [hash, '<configHash>'],
    [spec.adminPeering?.vpcId, '<peerVpc>'], [spec.adminPeering?.cidr, '<peerCidr>'],
  ].filter(([v]) => typeof v === 'string' && v.length > 0) as [string, string][]).sort((x, y) => y[0].length - x[0].length);
  // Whole values only: tag values that may be ordinary words (e.g. "internal").
  const whole = new Map<string, string>([[spec.costCenter, '<costCenter>'], [spec.owner, '<owner>'], [spec.dataClassification, '<dataClassification>']]
    .filter(([v]) => typeof v === 'string') as [string, string][]);
  const env = new RegExp(`(^|[-/:"=.])${xr.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[-/:".])`, 'g');
  const str = (s: string): string => {
    if (whole.has(s)) return whole.get(s)!;
    let out = s;
    for (const [v, p] of inside) out = out.split(v).join(p);
    // The environment name inside AWS names: payment-x-<env>, /payments/<env>/, <env>-role ...
    return out.replace(env, '$1<env>');
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      // JSON documents in strings (policies, container definitions, dashboards) compare field by field.
      if (/^[[{]/.test(v)) {
        try {
          return walk(JSON.parse(v));
        } catch {
          // not JSON
        }
      }
      return str(v);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk;
}

/** Flattens to field-path syntax: a.b[0].c, map keys with dots as a[key.with.dots]. */
function flatten(v: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(v)) v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) flatten(x, /[./]/.test(k) ? `${path}[${k}]` : `${path}.${k}`, out);
  } else out.set(path, v);
}

function fields(obj: any, norm: (v: unknown) => unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  flatten(norm(withoutResolvedReferences({ forProvider: obj.spec?.forProvider ?? {}, managementPolicies: obj.spec?.managementPolicies })), 'spec', out);
  return out;
}

/** The release an XR composes with: the digest its claim selects. */
const releaseOfXr = (xr: any): string => xr.spec?.crossplane?.compositionRevisionSelector?.matchLabels?.[DIGEST_LABEL] ?? currentDigest();

/**
 * How a release defines one composed resource: its patch-and-transform entry, the patch
 * sets it uses and its tier filter. Undefined when the release is not kept here.
 */
function definitionIn(digest: string, name: string, cache: Map<string, any>, lookup: (digest: string) => any): string | undefined {
  if (!cache.has(digest)) cache.set(digest, lookup(digest));
  const comp = cache.get(digest);
  if (!comp) return undefined;
  const [pt, cel] = comp.spec.pipeline;
  const entry = pt.input.resources.find((r: any) => r.name === name);
  const sets = (entry?.patches ?? []).filter((p: any) => p.type === 'PatchSet').map((p: any) => pt.input.patchSets.find((x: any) => x.name === p.patchSetName));
  const filter = (cel?.input?.filters ?? []).find((f: any) => new RegExp(f.name).test(name));
  return JSON.stringify({ entry, sets, filter });
}

export function parity(invs: Inventory[], releaseComposition: (digest: string) => any = compositionOf): Difference[] {
  const { tier: tiers, outputs } = compositionFields();
  const releases = new Map<string, any>();
  /** Why A and B may differ in this resource: their releases define it differently. */
  const byRelease = (A: Inventory, B: Inventory, name: string): string | undefined => {
    const [da, db] = [releaseOfXr(A.xr), releaseOfXr(B.xr)];
    if (da === db) return undefined;
    const [x, y] = [definitionIn(da, name, releases, releaseComposition), definitionIn(db, name, releases, releaseComposition)];
    return x !== undefined && y !== undefined && x !== y ? `releases ${da} and ${db} define it differently` : undefined;
  };
  const defs = new Map(compositionResources().map((r) => [r.name, r]));
  const diffs: Difference[] = [];
  for (let i = 0; i < invs.length; i++) {
    for (let j = i + 1; j < invs.length; j++) {
      const [A, B] = [invs[i], invs[j]];
      const sameTier = A.xr.spec?.tier === B.xr.spec?.tier;
      const [na, nb] = [normalizer(A.xr), normalizer(B.xr)];
      const byName = (inv: Inventory) => new Map(inv.resources.map((r) => [r.name, r]));
      const [ra, rb] = [byName(A), byName(B)];
      for (const name of [...new Set([...ra.keys(), ...rb.keys()])].sort()) {
        const [x, y] = [ra.get(name), rb.get(name)];
        const def = defs.get(name);
        if (!x || !y) {
          const because = def?.tiers && !sameTier ? `exists only in tiers ${def.tiers.join(', ')}`
            : def?.when ? `exists only when ${def.when.replace('observed.composite.resource.', '')}` : byRelease(A, B, name);
          diffs.push({ a: A.env, b: B.env, resource: name, path: '(resource)', valueA: x ? 'present' : 'absent', valueB: y ? 'present' : 'absent', explained: !!because, because });
          continue;
        }
        const [fa, fb] = [fields(x.obj, na), fields(y.obj, nb)];
        const mapped = tiers.get(name) ?? [];
        const under = (path: string, fieldPaths: string[]) => fieldPaths.find((m) => path === m || path.startsWith(`${m}.`) || path.startsWith(`${m}[`));
        for (const path of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
          const [va, vb] = [fa.get(path), fb.get(path)];
          if (JSON.stringify(va) === JSON.stringify(vb) || under(path, outputs.get(name) ?? [])) continue;
          const policy = under(path, mapped);
          const tierTag = path === 'spec.forProvider.tags.Tier';
          const byTier = !sameTier && (!!policy || tierTag);
          const because = byTier ? `tier policy (${policy ?? 'Tier tag'})` : byRelease(A, B, name);
          diffs.push({ a: A.env, b: B.env, resource: name, path, valueA: va, valueB: vb, explained: !!because, because });
        }
      }
    }
  }
  return diffs;
}

export function parityText(diffs: Difference[], all: boolean): string {
  const unexplained = diffs.filter((d) => !d.explained);
  const shown = all ? diffs : unexplained;
  const lines = shown.map((d) => `${d.explained ? 'policy ' : 'DIFFERS'} ${d.a} vs ${d.b}  ${d.resource}  ${d.path}: ${JSON.stringify(d.valueA)} vs ${JSON.stringify(d.valueB)}${d.because ? `  (${d.because})` : ''}`);
  lines.push(`${diffs.length} difference(s): ${diffs.length - unexplained.length} explained by the tier policy or the release, ${unexplained.length} not`);
  return `${lines.join('\n')}\n`;
}
