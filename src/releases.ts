// Releases: the Composition each tier is pinned to (src/releases.json, written by
// `payenv promote`) and, for a pin that is not the current Composition, that
// Composition kept byte for byte in src/releases/<digest>.yaml.
//
// Why keep them: a tier selects the CompositionRevision labelled with its digest,
// and Crossplane makes a revision only from a Composition it has been shown. A new
// control plane (CI, DR, one more account) that is shown only the current
// Composition has no revision for an earlier pin, so those environments never
// compose. Synth ships each kept release as dist/releases/<digest>.yaml and
// `payenv revisions --restore` shows them to Crossplane before the current one.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Composition } from '../imports/apiextensions.crossplane.io';
import { compositionProps, DIGEST_LABEL } from './composition';
import { Tier, TIERS } from './schema';
import { ROOT_DIR } from './versions';

export const RELEASES_FILE = join(ROOT_DIR, 'src', 'releases.json');
export const RELEASES_DIR = join(ROOT_DIR, 'src', 'releases');

export const currentDigest = (): string => compositionProps().metadata!.labels![DIGEST_LABEL];

/** Tier -> pinned digest, read from the file (not the copy compiled into lib/: two promotes in a row keep both). */
export function pins(file = RELEASES_FILE): Partial<Record<Tier, string>> {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The digest an environment of this tier selects: its pin, or the current Composition's. */
export function releaseOf(tier: Tier, p = pins()): string {
  return p[tier] ?? currentDigest();
}

/** Pinned digests that are not the current Composition, with the tiers pinned to each. */
export function earlierReleases(p = pins()): Map<string, Tier[]> {
  const current = currentDigest();
  const out = new Map<string, Tier[]>();
  for (const t of TIERS) {
    const d = p[t];
    if (d && d !== current) out.set(d, [...(out.get(d) ?? []), t]);
  }
  return out;
}

/** The current Composition as synth writes dist/platform/composition.yaml. */
export function currentCompositionYaml(): string {
  const chart = new Chart(new App(), 'platform', { disableResourceNameHashes: true });
  return Yaml.stringify(new Composition(chart, 'composition', compositionProps()).toJson());
}

export const keptFile = (digest: string, dir = RELEASES_DIR): string => join(dir, `${digest}.yaml`);

/** A kept release's Composition; undefined when it is not kept. Throws when the file is not that release. */
export function keptComposition(digest: string, dir = RELEASES_DIR): any | undefined {
  const file = keptFile(digest, dir);
  if (!existsSync(file)) return undefined;
  const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
  const label = docs[0]?.metadata?.labels?.[DIGEST_LABEL];
  if (docs.length !== 1 || docs[0].kind !== 'Composition' || label !== digest) {
    throw new Error(`${file}: must hold one Composition labelled ${DIGEST_LABEL}: ${digest} (found ${docs.length} document(s), label ${label ?? 'none'}); restore it with git from the commit that promoted ${digest}`);
  }
  return docs[0];
}

/** The Composition an environment on this digest composes with (the current one, or a kept release), as applied. */
export function compositionOf(digest: string): any | undefined {
  return digest === currentDigest() ? parseAllDocuments(currentCompositionYaml())[0].toJS() : keptComposition(digest);
}

/**
 * After a promote: keeps the current Composition when some tier pins it and it is
 * not already kept, and removes kept releases no tier pins. Returns what changed.
 */
export function keepPinnedReleases(p = pins(), dir = RELEASES_DIR): { kept: string[]; dropped: string[] } {
  const pinned = new Set(Object.values(p));
  const kept: string[] = [];
  const dropped: string[] = [];
  const current = currentDigest();
  if (pinned.has(current) && !existsSync(keptFile(current, dir))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(keptFile(current, dir), currentCompositionYaml());
    kept.push(current);
  }
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    const d = f.replace(/\.yaml$/, '');
    if (f.endsWith('.yaml') && !pinned.has(d)) {
      rmSync(join(dir, f));
      dropped.push(d);
    }
  }
  return { kept, dropped };
}
