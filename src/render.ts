// `payenv render` and `payenv check`: the real Crossplane CLI judges dist/.
// render runs `crossplane composition render` with the pinned core binary and
// the functions as local processes; check runs `crossplane resource validate`
// offline against the pinned provider CRDs, Crossplane's CRDs and our XRD.
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { DIGEST_LABEL } from './names';
import { DIST_DIR } from './versions';
import { CRD_DIR, FunctionServers, run, startFunctions, tool, ToolError } from './tools';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; generateName?: string };
  spec?: any;
  status?: any;
}

export const RESOURCE_NAME_ANNOTATION = 'crossplane.io/composition-resource-name';

export function environmentsInDist(dist = DIST_DIR): string[] {
  const dir = join(dist, 'environments');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export function claimFile(env: string, dist = DIST_DIR): string {
  const f = join(dist, 'environments', env, 'paymentenvironment.yaml');
  if (!existsSync(f)) {
    throw new ToolError(`no environment "${env}" in ${join(dist, 'environments')} (known: ${environmentsInDist(dist).join(', ') || 'none'}); run npm run synth`);
  }
  return f;
}

export interface Rendered {
  readonly yaml: string;
  readonly xr: K8sObject;
  /** Composed resources, keyed by their composition resource name. */
  readonly resources: Map<string, K8sObject>;
  /** Messages functions returned (kind: Result), e.g. resources held back by a Required patch. */
  readonly results: K8sObject[];
}

export function parseRendered(yaml: string): Rendered {
  const docs = parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject).filter(Boolean);
  const results = docs.filter((d) => d.kind === 'Result');
  const objects = docs.filter((d) => d.kind !== 'Result');
  const [xr, ...composed] = objects;
  const resources = new Map(composed.map((o) => [o.metadata.annotations?.[RESOURCE_NAME_ANNOTATION] ?? o.metadata.name ?? '', o]));
  return { yaml, xr, resources, results };
}

export interface RenderOptions {
  /** File or directory of observed composed resources (their status flows into the XR). */
  readonly observed?: string;
  /** Function processes to reuse across renders; started and stopped per call otherwise. */
  readonly servers?: FunctionServers;
  readonly dist?: string;
  /** A claim file to render instead of dist/environments/<env>. */
  readonly xrFile?: string;
  /** Include the functions' messages (kind: Result), e.g. resources held back by a Required patch. */
  readonly results?: boolean;
  /**
   * Render with the release the claim selects (an earlier one from dist/releases, as a live
   * control plane composes it) instead of dist/platform's current Composition.
   */
  readonly release?: boolean;
  /** A Composition file to render with, overriding both of the above. */
  readonly composition?: string;
}

/** The Composition file an environment composes with: the earlier release its claim selects (dist/releases), or dist/platform's. */
export function compositionFileFor(env: string, dist = DIST_DIR): string {
  const xr = parseAllDocuments(readFileSync(claimFile(env, dist), 'utf8'))[0]?.toJS();
  const digest = xr?.spec?.crossplane?.compositionRevisionSelector?.matchLabels?.[DIGEST_LABEL];
  const kept = join(dist, 'releases', `${digest}.yaml`);
  return digest && existsSync(kept) ? kept : join(dist, 'platform', 'composition.yaml');
}

export async function renderEnvironment(env: string, opts: RenderOptions = {}): Promise<Rendered> {
  const dist = opts.dist ?? DIST_DIR;
  const xrFile = opts.xrFile ?? claimFile(env, dist);
  const servers = opts.servers ?? await startFunctions(readFileSync(join(dist, 'platform', 'functions.yaml'), 'utf8'));
  try {
    const args = [
      'composition', 'render', xrFile, opts.composition ?? (opts.release ? compositionFileFor(env, dist) : join(dist, 'platform', 'composition.yaml')), servers.functionsFile,
      `--crossplane-binary=${tool('crossplane-core')}`, '--timeout=2m',
      ...(opts.results ? ['--include-function-results'] : []),
      ...(opts.observed ? [`--observed-resources=${opts.observed}`] : []),
    ];
    const r = await run(tool('crossplane'), args);
    if (r.code !== 0) throw new ToolError(`crossplane composition render failed for ${env}:\n${r.stderr.trim() || r.stdout.trim()}`);
    return parseRendered(r.stdout);
  } finally {
    if (!opts.servers) await servers.stop();
  }
}

/** Every environment in dist/, rendered with one set of function processes. */
export async function renderAll(opts: { dist?: string; observed?: (env: string) => string | undefined } = {}): Promise<Map<string, Rendered>> {
  const dist = opts.dist ?? DIST_DIR;
  const servers = await startFunctions(readFileSync(join(dist, 'platform', 'functions.yaml'), 'utf8'));
  try {
    const out = new Map<string, Rendered>();
    for (const env of environmentsInDist(dist)) {
      out.set(env, await renderEnvironment(env, { servers, dist, observed: opts.observed?.(env) }));
    }
    return out;
  } finally {
    await servers.stop();
  }
}

/** The schemas `crossplane resource validate` checks against: provider CRDs, Crossplane's, our XRD. */
export function validationExtensions(dist = DIST_DIR): string {
  for (const sub of ['provider-aws', 'crossplane']) {
    if (!existsSync(join(CRD_DIR, sub))) throw new ToolError(`CRDs missing in ${CRD_DIR}: run \`npm run tools\` (scripts/fetch-crds.sh)`);
  }
  return [join(CRD_DIR, 'provider-aws'), join(CRD_DIR, 'crossplane'), join(dist, 'platform', 'xrd.yaml')].join(',');
}

export interface ValidateResult { ok: boolean; output: string }

/** Runs `crossplane resource validate` on files or directories, offline. */
export async function validateResources(resources: string[], dist = DIST_DIR): Promise<ValidateResult> {
  const cache = mkdtempSync(join(tmpdir(), 'payenv-validate-'));
  const r = await run(tool('crossplane'), [
    'resource', 'validate', validationExtensions(dist), resources.join(','),
    `--cache-dir=${cache}`, '--crossplane-image=', '--error-on-missing-schemas',
  ]);
  return { ok: r.code === 0, output: (r.stdout + r.stderr).trim() };
}

/** Writes rendered composed resources (not the XR, not Results) to a file for validation. */
export function writeComposed(rendered: Rendered, file: string): void {
  const docs = [...rendered.resources.values()].map((o) => JSON.stringify(o));
  writeFileSync(file, docs.join('\n---\n'));
}
