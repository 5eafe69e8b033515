// `payenv plan`: what a change does to each environment's AWS before it merges.
// Both sides are dist/ trees: the base ref's committed dist/ (CI keeps it equal to a
// fresh synth) and the working tree synthesized afresh. Each environment is rendered
// with the release its claim selects on that side, converged with the same made-up
// observed state, and its composed resources compared (diff.ts); what Argo CD applies
// besides the claims, and the platform, are compared object by object.
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { parseAllDocuments } from 'yaml';
import { DIGEST_LABEL } from '../names';
import { K8sObject, compositionFileFor, environmentsInDist, parseRendered, Rendered } from '../render';
import { POLICY } from '../policy';
import { IMMUTABLE_FIELDS, IMMUTABLE_MESSAGE, Tier } from '../schema';
import { synth } from '../synth';
import { environmentFiles } from '../validate';
import { startFunctions, FunctionServers, ToolError } from '../tools';
import { ROOT_DIR } from '../versions';
import { converge } from './observe';
import { diffResources, EnvironmentDiff, flatten } from './diff';
import { acceptances, guard, Refusal } from './guard';

export interface Side {
  /** What the side is: a git ref and its commit, or "working tree". */
  readonly label: string;
  readonly dist: string;
}

export interface EnvironmentPlan {
  readonly env: string;
  readonly tier: Tier;
  readonly state: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The Composition release (digest) the claim selects on each side. */
  readonly release: { readonly base?: string; readonly head?: string };
  readonly diff: EnvironmentDiff;
  readonly refused: readonly Refusal[];
  readonly accepted: readonly Refusal[];
}

export interface ObjectChange {
  /** dist/ file it is in. */
  readonly file: string;
  /** kind/namespace/name. */
  readonly object: string;
  readonly action: 'create' | 'update' | 'delete';
  readonly fields: readonly string[];
  /** Of fields: those only the working tree has, and those only the base has. */
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
}

export interface Plan {
  readonly base: string;
  readonly head: string;
  readonly environments: readonly EnvironmentPlan[];
  /** What Argo CD applies besides the claims: Applications, AppProjects, namespaces, RBAC, ProviderConfigs. */
  readonly gitops: readonly ObjectChange[];
  /** The platform: XRD, provider and function packages, runtime config, bootstrap. */
  readonly platform: readonly ObjectChange[];
  readonly refused: readonly (Refusal & { env: string })[];
}

const git = (args: string[]) => execFileSync('git', args, { cwd: ROOT_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The default base: the merge base with main when this branch has commits of its own, else HEAD~1. */
export function defaultBase(): string {
  for (const main of ['origin/main', 'main']) {
    try {
      const mb = git(['merge-base', 'HEAD', main]);
      if (mb && mb !== git(['rev-parse', 'HEAD'])) return mb;
    } catch { /* no such branch */ }
  }
  return 'HEAD~1';
}

/** The dist/ committed at a git ref, extracted to a temporary directory. */
export function sideFromRef(ref: string): Side {
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', `${ref}^{commit}`]);
  } catch {
    throw new ToolError(`--base ${ref}: not a commit in ${ROOT_DIR}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'payenv-plan-base-'));
  try {
    execFileSync('bash', ['-c', `git archive --format=tar ${commit} dist | tar -x -C "${dir}"`], { cwd: ROOT_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new ToolError(`${ref} (${commit.slice(0, 12)}) has no dist/: ${(e as Error).message.split('\n')[0]}`);
  }
  return { label: `${ref} (${commit.slice(0, 12)})`, dist: join(dir, 'dist') };
}

/** The working tree, synthesized afresh (so an edit not yet synthesized is planned too). */
export function sideFromWorkingTree(files = environmentFiles()): Side {
  const dir = join(mkdtempSync(join(tmpdir(), 'payenv-plan-head-')), 'dist');
  synth(files, dir);
  return { label: 'working tree', dist: dir };
}

const readText = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined);
const claimOf = (dist: string, env: string): K8sObject | undefined => {
  const t = readText(join(dist, 'environments', env, 'paymentenvironment.yaml'));
  return t ? parseAllDocuments(t)[0].toJS() : undefined;
};
const DIGEST = (c?: K8sObject) => c?.spec?.crossplane?.compositionRevisionSelector?.matchLabels?.[DIGEST_LABEL] as string | undefined;

/** Bump when observe.ts or the render changes what a cached render holds. */
const CACHE_VERSION = '2';
const CACHE_DIR = join(ROOT_DIR, '.cache', 'plan');

/**
 * The converged render of one environment on one side, cached by the render's inputs. The head
 * side starts from the base side's converged state (`from`), as the live control plane does: what
 * the change composes can depend on what exists (the task definition slots take turns).
 */
async function rendered(side: Side, env: string, servers: () => Promise<FunctionServers>, from?: Rendered): Promise<Rendered> {
  const claim = join(side.dist, 'environments', env, 'paymentenvironment.yaml');
  const composition = compositionFileFor(env, side.dist);
  const key = createHash('sha256').update([CACHE_VERSION, readFileSync(claim), readFileSync(composition),
    readFileSync(join(side.dist, 'platform', 'functions.yaml')), from?.yaml ?? ''].join('\0')).digest('hex').slice(0, 24);
  const cached = join(CACHE_DIR, `${key}.yaml`);
  if (existsSync(cached)) return parseRendered(readFileSync(cached, 'utf8'));
  const { rendered: r } = await converge(env, claim, await servers(), {}, 6, composition, from);
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cached, r.yaml);
  return r;
}

/** Every object of the dist/ files a plan compares besides claims and Compositions, keyed by file and object. */
function objects(dist: string): Map<string, { file: string; object: string; value: unknown }> {
  const out = new Map<string, { file: string; object: string; value: unknown }>();
  const walk = (dir: string) => {
    for (const f of existsSync(dir) ? readdirSync(dir).sort() : []) {
      const full = join(dir, f);
      if (statSync(full).isDirectory()) { walk(full); continue; }
      const file = relative(dist, full);
      if (!f.endsWith('.yaml') || f === 'paymentenvironment.yaml' || file === join('platform', 'composition.yaml') || file.startsWith('releases/')) continue;
      for (const d of parseAllDocuments(readFileSync(full, 'utf8'))) {
        const o = d.toJS() as K8sObject;
        if (!o) continue;
        const id = `${o.kind ?? 'Template'}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? f}`;
        out.set(`${file} ${id}`, { file, object: id, value: o });
      }
    }
  };
  walk(dist);
  return out;
}

function objectChanges(base: Side, head: Side): ObjectChange[] {
  const [a, b] = [objects(base.dist), objects(head.dist)];
  const out: ObjectChange[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [x, y] = [a.get(key), b.get(key)];
    const { file, object } = (x ?? y)!;
    if (!x) { out.push({ file, object, action: 'create', fields: [] }); continue; }
    if (!y) { out.push({ file, object, action: 'delete', fields: [] }); continue; }
    const [fx, fy] = [flatten(x.value, '', new Map()), flatten(y.value, '', new Map())];
    const fields = [...new Set([...fx.keys(), ...fy.keys()])].filter((p) => JSON.stringify(fx.get(p)) !== JSON.stringify(fy.get(p))).map((p) => p.replace(/^\./, ''));
    const only = (m: Map<string, unknown>, other: Map<string, unknown>) => fields.filter((p) => m.has(`.${p}`) && !other.has(`.${p}`)).sort();
    if (fields.length) out.push({ file, object, action: 'update', fields: fields.sort(), added: only(fy, fx), removed: only(fx, fy) });
  }
  return out;
}

export async function plan(base: Side, head: Side, only: string[] = []): Promise<Plan> {
  const envs = [...new Set([...environmentsInDist(base.dist), ...environmentsInDist(head.dist)])].sort();
  const unknown = only.filter((e) => !envs.includes(e));
  if (unknown.length) throw new ToolError(`no environment ${unknown.join(', ')} on either side (known: ${envs.join(', ')})`);
  let started: Promise<FunctionServers> | undefined;
  // Functions start once, only when something must be rendered (the head's pinned binaries).
  const servers = () => (started ??= startFunctions(readFileSync(join(head.dist, 'platform', 'functions.yaml'), 'utf8')));
  const environments: EnvironmentPlan[] = [];
  const objs = objectChanges(base, head);
  try {
    // Every environment's two sides render at once: crossplane render is one process each, and
    // the function servers take concurrent requests.
    const chosen = envs.filter((e) => !only.length || only.includes(e));
    const claims = new Map(chosen.map((env) => [env, [claimOf(base.dist, env), claimOf(head.dist, env)] as const]));
    const diffs = await Promise.all(chosen.map(async (env) => {
      const [bc, hc] = claims.get(env)!;
      const same = bc && hc && readText(join(base.dist, 'environments', env, 'paymentenvironment.yaml')) === readText(join(head.dist, 'environments', env, 'paymentenvironment.yaml'))
        && readText(compositionFileFor(env, base.dist)) === readText(compositionFileFor(env, head.dist))
        && readText(join(base.dist, 'platform', 'functions.yaml')) === readText(join(head.dist, 'platform', 'functions.yaml'));
      if (same) return { changes: [] } as EnvironmentDiff;
      const b = bc ? await rendered(base, env, servers) : undefined;
      const h = hc ? await rendered(head, env, servers, b) : undefined;
      return diffResources(b?.resources ?? new Map(), h?.resources ?? new Map());
    }));
    for (const [i, env] of chosen.entries()) {
      const [bc, hc] = claims.get(env)!;
      const tier = (hc ?? bc)!.spec.tier as Tier;
      const diff = diffs[i];
      const removedObjects = objs.filter((o) => o.action === 'delete' && o.file.startsWith(`environments/${env}/`));
      const { refused, accepted } = guard(env, POLICY[tier], diff.changes, removedObjects, !hc,
        acceptances(hc ?? bc!), hc ? undefined : acceptances(bc!));
      // The XRD refuses these in every tier: no annotation accepts them.
      for (const { field, migrate } of IMMUTABLE_FIELDS) {
        if (bc && hc && bc.spec[field] !== hc.spec[field]) {
          refused.push({ subject: `spec.${field}`, reason: `${JSON.stringify(bc.spec[field])} -> ${JSON.stringify(hc.spec[field])}: the API server refuses the update (XRD: ${IMMUTABLE_MESSAGE}); to migrate, ${migrate}` });
        }
      }
      environments.push({
        env, tier,
        state: !bc ? 'added' : !hc ? 'removed' : diff.changes.length || diff.marker || diff.adoption ? 'changed' : 'unchanged',
        release: { ...(bc ? { base: DIGEST(bc) } : {}), ...(hc ? { head: DIGEST(hc) } : {}) },
        diff, refused, accepted,
      });
    }
  } finally {
    if (started) await (await started).stop();
  }
  const gitops = objs.filter((o) => o.file.startsWith('argocd/') || o.file.startsWith('environments/'));
  const platform = objs.filter((o) => !gitops.includes(o));
  return {
    base: base.label, head: head.label, environments, gitops, platform,
    refused: environments.flatMap((e) => e.refused.map((r) => ({ ...r, env: e.env }))),
  };
}
