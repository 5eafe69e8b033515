// A person at work on the local control plane: a clone of the local git
// repository to commit to, and the refresh a git webhook would send Argo CD.
// Used by the live e2e (test/e2e) and by npm run e2e:aws.
import { execFileSync } from 'child_process';
import { existsSync, rmSync } from 'fs';
import { join } from 'path';
import { stringify } from 'yaml';
import { environmentFiles, synth } from '../synth';
import { ARGOCD_NAMESPACE, kubectl, localArgoObjects, REPO, STATE } from './cluster';

export const WORK = join(STATE, 'work');

/** Ask Argo CD to look at git now (what a webhook or `argocd app get --refresh` does). */
export function refresh(apps: string[]): void {
  for (const app of apps) {
    try {
      kubectl(['annotate', '-n', ARGOCD_NAMESPACE, 'application', app, 'argocd.argoproj.io/refresh=normal', '--overwrite']);
    } catch {
      // the Application may be gone
    }
  }
}

/** A clone of the local repository to commit to, as a person would. */
export function workClone(): string {
  if (existsSync(WORK)) rmSync(WORK, { recursive: true, force: true });
  execFileSync('git', ['clone', '-q', '-b', 'main', REPO, WORK]);
  execFileSync('git', ['-C', WORK, 'config', 'user.email', 'e2e@paymentenv.local']);
  execFileSync('git', ['-C', WORK, 'config', 'user.name', 'paymentenv e2e']);
  return WORK;
}

/** Synthesizes the clone's environments into its dist/, commits and pushes. Returns the commit time. */
export function commitAndPush(message: string): number {
  synth(environmentFiles(join(WORK, 'environments')), join(WORK, 'dist'));
  execFileSync('git', ['-C', WORK, 'add', '-A']);
  execFileSync('git', ['-C', WORK, 'commit', '-q', '-m', message]);
  execFileSync('git', ['-C', WORK, 'push', '-q', 'origin', 'main']);
  return Date.now();
}

/** What the root Application does on a commit: apply dist/argocd of the clone, prune what git no longer has. */
export function applyArgoObjects(repoURL: string, dist = join(WORK, 'dist')): void {
  const objs = localArgoObjects(repoURL, dist);
  kubectl(['apply', '--server-side', '--force-conflicts', '-n', ARGOCD_NAMESPACE, '-f', '-'], objs.map((o) => stringify(o)).join('---\n'));
  const wanted = new Set(objs.filter((o) => o.kind === 'Application').map((o) => o.metadata.name));
  const apps = JSON.parse(kubectl(['get', 'applications', '-n', ARGOCD_NAMESPACE, '-o', 'json'])).items;
  for (const app of apps) {
    if (!wanted.has(app.metadata.name)) kubectl(['delete', 'application', '-n', ARGOCD_NAMESPACE, app.metadata.name, '--wait=false']);
  }
}
