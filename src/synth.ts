// `npm run synth`: validates environments/*.yaml, then writes dist/ with one
// file per object, keys sorted by cdk8s, nothing time- or machine-dependent.
// Nothing is written when validation fails.
import { createHash } from 'crypto';
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { Composition, CompositeResourceDefinitionV2 } from '../imports/apiextensions.crossplane.io';
import { COMPOSITION_NAME, compositionProps, DIGEST_LABEL } from './composition';
import { ACCOUNT_ANNOTATION, ADMIN_ACCOUNT_ANNOTATION, ADMIN_PEERING_ACCEPTED_BY_ANNOTATION, CONFIG_HASH_ANNOTATION, DNS_ZONE_ANNOTATION } from './composition/resource';
import { earlierReleases, keptComposition, keptFile, pins, RELEASES_FILE, releaseOf } from './releases';
import { Environment, environmentFiles, loadEnvironments, ValidationError } from './validate';
import { DIST_DIR } from './versions';
import { XR_API_VERSION, XR_KIND, xrdProps } from './xrd';
import { accountId, adminAccountId, dnsZoneId, deployerRoleArn, environmentObjects, peeringAccepterRoleArn, platformObjects, SETTINGS, settingsProblems } from './platform';
import { wave, WAVES } from './waves';
import { POLICY } from './policy';

/** Argo CD's per-resource sync options annotation. */
export const ARGOCD_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
import { argocdObjects } from './argocd';
import { bootstrapObjects } from './bootstrap';
import { admissionObjects } from './bootstrap/admission';
import { listenerObjects } from './bootstrap/listener';
import { accountTemplate, environmentTemplate, managementTemplate, peeringAccepterTemplate } from './bootstrap/iam';

export { DIST_DIR } from './versions';
export { environmentFiles, ENV_DIR } from './validate';

/** Content hash of an environment's variables: tags and redeploys follow it, never a clock. */
export function configHash(env: Environment): string {
  const canonical = JSON.stringify(env.spec, Object.keys(env.spec).sort());
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** The claim as applied: the file's variables plus the config hash and the release it selects. */
export class EnvironmentClaim extends ApiObject {
  constructor(scope: Construct, env: Environment, digest: string) {
    super(scope, env.name, {
      apiVersion: XR_API_VERSION,
      kind: XR_KIND,
      metadata: {
        name: env.name,
        namespace: env.namespace,
        annotations: {
          ...env.annotations,
          [CONFIG_HASH_ANNOTATION]: configHash(env),
          [ACCOUNT_ANNOTATION]: accountId(env),
          ...(dnsZoneId(env) ? { [DNS_ZONE_ANNOTATION]: dnsZoneId(env) } : {}),
          ...(env.spec.adminPeering ? {
            [ADMIN_ACCOUNT_ANNOTATION]: adminAccountId(env),
            [ADMIN_PEERING_ACCEPTED_BY_ANNOTATION]: adminAccountId(env) === accountId(env) ? 'requester' : 'accepter',
          } : {}),
          ...wave(WAVES.claim),
          // Where data is kept, the claim itself says so to Argo CD: its own sync options override
          // the Application's defaults (Argo CD "Sync Options"), and a manual sync with prune of a
          // claim whose file is gone still leaves it (and prod's data) alone.
          ...(POLICY[env.spec.tier].dataDeletable ? {} : { [ARGOCD_SYNC_OPTIONS]: 'Prune=false,Delete=false' }),
        },
        labels: { 'paymentenv.io/tier': env.spec.tier },
      },
      spec: {
        ...env.spec,
        // Every environment selects its release by digest: a pinned tier its promoted one
        // (src/releases.json), dev the current one. Selecting "the latest" instead lets dev
        // compose with whichever revision Crossplane made first on a new control plane.
        crossplane: {
          compositionUpdatePolicy: 'Automatic',
          compositionRevisionSelector: { matchLabels: { [DIGEST_LABEL]: digest } },
        },
      },
    });
  }
}

/** Every output file and its objects, keyed by path under dist/. */
export function render(envs: Environment[], releases = pins()): Map<string, unknown[]> {
  const app = new App();
  const out = new Map<string, unknown[]>();
  const chart = (id: string) => new Chart(app, id, { disableResourceNameHashes: true });

  const platform = chart('platform');
  const composition = new Composition(platform, 'composition', compositionProps());
  const xrd = new CompositeResourceDefinitionV2(platform, 'xrd', xrdProps(COMPOSITION_NAME));
  out.set('platform/xrd.yaml', [xrd.toJson()]);
  out.set('platform/composition.yaml', [composition.toJson()]);
  for (const [file, objs] of platformObjects(chart('packages'))) out.set(`platform/${file}`, objs);

  for (const env of envs) {
    const c = chart(`env-${env.name}`);
    for (const [file, objs] of environmentObjects(c, env)) out.set(`environments/${env.name}/${file}`, objs);
    out.set(`environments/${env.name}/paymentenvironment.yaml`, [new EnvironmentClaim(c, env, releaseOf(env.spec.tier, releases)).toJson()]);
  }
  // Earlier releases a tier is still pinned to, for `payenv revisions --restore` on a new
  // control plane. No Argo CD Application syncs dist/releases.
  for (const [digest, tiers] of earlierReleases(releases)) {
    const kept = keptComposition(digest);
    if (!kept) {
      throw new ValidationError(tiers.map((t) => ({
        file: RELEASES_FILE, path: t,
        message: `pinned to ${digest}, but ${keptFile(digest)} is missing (a pinned release is kept so a new control plane can compose with it): restore the file from the commit that promoted ${digest}, or promote ${t} again`,
      })));
    }
    out.set(`releases/${digest}.yaml`, [kept]);
  }
  for (const [file, objs] of argocdObjects(chart('argocd'), envs)) out.set(`argocd/${file}`, objs);
  for (const [file, objs] of bootstrapObjects(chart('bootstrap'))) out.set(`bootstrap/${file}`, objs);
  out.set('bootstrap/admission.yaml', admissionObjects(chart('admission'), envs));
  out.set('bootstrap/listener.yaml', listenerObjects(chart('listener')));
  const peering = envs.filter((e) => e.spec.adminPeering);
  out.set('bootstrap/iam-management.yaml', [managementTemplate([
    ...envs.map((e) => deployerRoleArn(e.name)),
    ...peering.map(peeringAccepterRoleArn),
  ], envs.map((e) => `arn:aws:iam::${accountId(e)}:role/${SETTINGS.environmentListenerRoleName(e.name)}`))]);
  out.set('bootstrap/iam-environment.yaml', [environmentTemplate(envs.map((e) => e.name))]);
  out.set('bootstrap/aws-account.yaml', [accountTemplate()]);
  if (peering.length) out.set('bootstrap/iam-peering-accepter.yaml', [peeringAccepterTemplate(peering.map((e) => e.name))]);
  return out;
}

/** Tiers pinned to a Composition revision other than the current one (not yet promoted). */
export function pendingPromotions(): string[] {
  return [...earlierReleases()].flatMap(([d, tiers]) => tiers.map((t) => `${t} (${d})`));
}

/** Validates, renders and writes dist/ (replacing it). Returns the files written. */
export function synth(files = environmentFiles(), outdir = DIST_DIR, releases = pins()): string[] {
  const envs = loadEnvironments(files);
  const problems = settingsProblems(envs);
  if (problems.length) throw new ValidationError(problems);
  const out = render(envs, releases);
  rmSync(outdir, { recursive: true, force: true });
  const written: string[] = [];
  for (const [path, objs] of [...out.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const full = join(outdir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, Yaml.stringify(...objs));
    written.push(path);
  }
  return written;
}
