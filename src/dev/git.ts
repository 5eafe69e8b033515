// A person at work on the local control plane: a clone of the local git
// repository to commit to, and the push webhook the git host sends Argo CD.
// Used by the live e2e (test/e2e) and by npm run e2e:aws.
import { execFileSync } from 'child_process';
import { existsSync, rmSync } from 'fs';
import { join } from 'path';
import { stringify } from 'yaml';
import { environmentFiles, synth } from '../synth';
import { ARGOCD_NAMESPACE, argocdServerURL, kubectl, localArgoObjects, Profile, readState, REPO, STATE } from './cluster';
import { pushEvent, sendWebhook } from './githost';

export const WORK = join(STATE, 'work');

/**
 * What the git host does after a push: GitHub's push event for the branch's last commit, sent to
 * Argo CD's /api/webhook, which refreshes the Applications that track the repository and branch.
 */
export async function webhook(): Promise<void> {
  const s = readState();
  if (!s) throw new Error('no local cluster: npm run cluster:up');
  const rev = (r: string) => execFileSync('git', ['--git-dir', REPO, 'rev-parse', r], { encoding: 'utf8' }).trim();
  const status = await sendWebhook(argocdServerURL(s), pushEvent(REPO, s.ports.git, 'main', rev('main~1'), rev('main')));
  if (status !== 200) throw new Error(`Argo CD's /api/webhook answered HTTP ${status}`);
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
export function applyArgoObjects(repoURL: string, dist = join(WORK, 'dist'), profile: Profile = {}): void {
  const objs = localArgoObjects(repoURL, dist, profile);
  kubectl(['apply', '--server-side', '--force-conflicts', '-n', ARGOCD_NAMESPACE, '-f', '-'], objs.map((o) => stringify(o)).join('---\n'));
  const wanted = new Set(objs.filter((o) => o.kind === 'Application').map((o) => o.metadata.name));
  const apps = JSON.parse(kubectl(['get', 'applications', '-n', ARGOCD_NAMESPACE, '-o', 'json'])).items;
  for (const app of apps) {
    if (!wanted.has(app.metadata.name)) kubectl(['delete', 'application', '-n', ARGOCD_NAMESPACE, app.metadata.name, '--wait=false']);
  }
}
