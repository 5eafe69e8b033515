// `payenv revisions [--restore]`: does the control plane hold a CompositionRevision for
// every release dist/ selects? Each claim selects its release by digest label, and
// Crossplane makes a revision only from a Composition it has been shown, so a new
// control plane is shown the earlier releases (dist/releases/) before the current one.
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
// The Composition is named after the XRD (src/composition/index.ts COMPOSITION_NAME).
import { DIGEST_LABEL, XRD_NAME as COMPOSITION_NAME } from '../names';
import { DIST_DIR } from '../versions';
import { OpsError } from './errors';
import type { Connection } from './kube';

// kube.ts loads @kubernetes/client-node (an ES module); what reads dist/ alone does not need it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const explain = (e: unknown, c: Connection, what: string): OpsError => require('./kube').explain(e, c, what);

/** The field manager of --restore; its entry is removed afterwards, so Argo CD alone owns the Composition. */
export const RESTORE_MANAGER = 'payenv-restore';

export interface Release {
  readonly digest: string;
  /** Where dist/ ships its Composition: platform/composition.yaml (current) or releases/<digest>.yaml. */
  readonly file: string;
  readonly current: boolean;
  /** Environments whose claim selects it. */
  readonly environments: string[];
  /** The newest CompositionRevision carrying its digest, if any. */
  revision?: { name: string; revision: number };
}

const readOne = (file: string): any => parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJS();

/** The releases dist/ ships, current first, each with the environments that select it. */
export function releasesInDist(dist = DIST_DIR): Release[] {
  const current = readOne(join(dist, 'platform', 'composition.yaml'));
  const out = new Map<string, Release>();
  const add = (file: string, isCurrent: boolean) => {
    const digest = readOne(file)?.metadata?.labels?.[DIGEST_LABEL];
    if (!digest) throw new OpsError(`${file}: metadata.labels.${DIGEST_LABEL} is missing: run npm run synth`);
    out.set(digest, { digest, file, current: isCurrent, environments: [] });
  };
  add(join(dist, 'platform', 'composition.yaml'), true);
  const kept = join(dist, 'releases');
  for (const f of existsSync(kept) ? readdirSync(kept).filter((x) => x.endsWith('.yaml')).sort() : []) add(join(kept, f), false);
  const envDir = join(dist, 'environments');
  for (const env of existsSync(envDir) ? readdirSync(envDir).sort() : []) {
    const claim = readOne(join(envDir, env, 'paymentenvironment.yaml'));
    const digest = claim?.spec?.crossplane?.compositionRevisionSelector?.matchLabels?.[DIGEST_LABEL] ?? current.metadata.labels[DIGEST_LABEL];
    const r = out.get(digest);
    if (!r) throw new OpsError(`dist/environments/${env}/paymentenvironment.yaml: spec.crossplane.compositionRevisionSelector selects ${digest}, which dist/ does not ship: run npm run synth`);
    r.environments.push(env);
  }
  return [...out.values()];
}

const REVISIONS = { group: 'apiextensions.crossplane.io', version: 'v1', plural: 'compositionrevisions' };

/** The releases with the newest CompositionRevision of each on the cluster. */
export async function releaseRevisions(c: Connection, dist = DIST_DIR): Promise<Release[]> {
  const releases = releasesInDist(dist);
  let items: any[];
  try {
    items = ((await c.custom.listClusterCustomObject({ ...REVISIONS, labelSelector: `crossplane.io/composition-name=${COMPOSITION_NAME}` })) as { items: any[] }).items;
  } catch (e) {
    if ((e as { code?: number }).code === 404) throw new OpsError(`CompositionRevisions are not served by ${c.server}: install Crossplane first`);
    throw explain(e, c, 'list CompositionRevisions');
  }
  for (const r of releases) {
    const mine = items.filter((i) => i.metadata.labels?.[DIGEST_LABEL] === r.digest).sort((a, b) => b.spec.revision - a.spec.revision);
    r.revision = mine[0] ? { name: mine[0].metadata.name, revision: mine[0].spec.revision } : undefined;
  }
  return releases;
}

export function revisionsText(releases: Release[]): string {
  const lines = releases.map((r) => `${r.digest}  ${r.current ? 'current' : 'earlier'}  ${r.revision ? `${r.revision.name} (revision ${r.revision.revision})` : 'NO REVISION'}  ${r.environments.join(', ') || '(no environment)'}`);
  const missing = releases.filter((r) => !r.revision && r.environments.length);
  lines.push(missing.length ? `${missing.length} release(s) selected without a revision: their environments do not compose; run payenv revisions --restore` : 'every selected release has its revision');
  return `${lines.join('\n')}\n`;
}

async function apply(c: Connection, obj: any): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PatchStrategy } = require('@kubernetes/client-node');
  try {
    await c.objects.patch(obj, undefined, undefined, RESTORE_MANAGER, true, PatchStrategy.ServerSideApply);
  } catch (e) {
    throw explain(e, c, `apply Composition ${obj.metadata.name}`);
  }
}

async function waitForRevision(c: Connection, digest: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [r] = (await releaseRevisions(c)).filter((x) => x.digest === digest);
    if (r?.revision) return;
    if (Date.now() > deadline) throw new OpsError(`no CompositionRevision labelled ${DIGEST_LABEL}=${digest} after ${timeoutMs / 1000} s: is Crossplane running?`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

/**
 * Shows Crossplane each earlier release without a revision, then the current Composition
 * again (so the Composition ends as dist/platform ships it), then drops this manager's
 * managedFields entry. Every claim selects its release by digest, so no environment moves
 * while an earlier release is briefly the Composition. Returns the digests restored.
 */
export async function restoreRevisions(c: Connection, log: (m: string) => void = () => undefined, dist = DIST_DIR, timeoutMs = 60_000): Promise<string[]> {
  const releases = await releaseRevisions(c, dist);
  const missing = releases.filter((r) => !r.current && !r.revision && r.environments.length);
  const current = releases.find((r) => r.current)!;
  for (const r of missing) {
    await apply(c, readOne(r.file));
    await waitForRevision(c, r.digest, timeoutMs);
    log(`restored the revision of ${r.digest} (${r.environments.join(', ')}) from ${r.file}`);
  }
  if (!missing.length && current.revision) return [];
  await apply(c, readOne(current.file));
  await waitForRevision(c, current.digest, timeoutMs);
  log(`current Composition ${current.digest} applied from ${current.file}`);
  await dropManager(c);
  return missing.map((r) => r.digest);
}

async function dropManager(c: Connection): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PatchStrategy } = require('@kubernetes/client-node');
  const ref = { apiVersion: 'apiextensions.crossplane.io/v1', kind: 'Composition', metadata: { name: COMPOSITION_NAME } };
  try {
    const live = await c.objects.read(ref) as any;
    const kept = (live.metadata.managedFields ?? []).filter((m: { manager: string }) => m.manager !== RESTORE_MANAGER);
    // An empty list is ignored by the API server; [{}] clears managedFields.
    await c.objects.patch({ ...ref, metadata: { ...ref.metadata, resourceVersion: live.metadata.resourceVersion, managedFields: kept.length ? kept : [{}] } } as never,
      undefined, undefined, RESTORE_MANAGER, undefined, PatchStrategy.MergePatch);
  } catch (e) {
    throw explain(e, c, `drop the ${RESTORE_MANAGER} field manager from Composition ${COMPOSITION_NAME}`);
  }
}
