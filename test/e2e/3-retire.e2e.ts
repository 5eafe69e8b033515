// npm run e2e, last: retiring environments through git. Deleting prod's file by
// mistake must not delete prod; deleting dev's removes dev and its resources.
import { execFileSync } from 'child_process';
import { unlinkSync } from 'fs';
import { join } from 'path';
import { ARGOCD_NAMESPACE, kubectl, readState, up } from '../../src/dev/cluster';
import { applyArgoObjects, commitAndPush, getJson, recordResults, tryGetJson, until, webhook, WORK, workClone } from './live';

const latenciesMs: Record<string, number> = {};
const notes: Record<string, string> = {};
let repoURL = '';
const claimOf = (env: string) => tryGetJson(['get', 'paymentenvironment', '-n', `payments-${env}`, env]);

beforeAll(async () => {
  await up();
  repoURL = readState()!.repoURL;
  workClone();
}, 1_800_000);

afterAll(() => recordResults({ latenciesMs, notes }));

// Argo CD honours a live resource's own sync options: prod's claim says Prune=false,Delete=false
// (synth), so a person's manual sync with prune of prod's Application, once the claim is gone from
// git, prunes nothing of it.
test('a manual sync with prune of prod\'s Application, its claim gone from git, leaves the claim', async () => {
  const before = claimOf('prod');
  expect(before.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  const git = (...args: string[]) => execFileSync('git', ['-C', WORK, ...args]);
  unlinkSync(join(WORK, 'dist', 'environments', 'prod', 'paymentenvironment.yaml'));
  git('commit', '-q', '-am', 'prod claim gone from git'); git('push', '-q', 'origin', 'main');
  await webhook();
  const startedAt = new Date().toISOString();
  kubectl(['patch', 'application', '-n', ARGOCD_NAMESPACE, 'payments-prod', '--type', 'merge', '-p',
    JSON.stringify({ operation: { initiatedBy: { username: 'e2e' }, sync: { prune: true } } })]);
  await until('the manual sync finished', () => {
    const op = tryGetJson(['get', 'application', '-n', ARGOCD_NAMESPACE, 'payments-prod'])?.status?.operationState;
    // This manual sync with prune, not an automated one that happened to run.
    return op && op.operation?.initiatedBy?.username === 'e2e' && op.operation?.sync?.prune === true
      && op.startedAt >= startedAt.slice(0, 19) && ['Succeeded', 'Failed', 'Error'].includes(op.phase);
  }, 300_000, 500);
  const op = getJson(['get', 'application', '-n', ARGOCD_NAMESPACE, 'payments-prod']).status.operationState;
  notes.manualPruneSync = `${op.phase}: ${op.message}; claim in the result: ${JSON.stringify((op.syncResult?.resources ?? []).filter((r: any) => r.kind === 'PaymentEnvironment'))}`;
  expect(op.phase).toBe('Succeeded');
  // Argo CD saw the claim as one to prune and skipped it for its own Prune=false.
  expect(op.syncResult.resources.filter((r: any) => r.kind === 'PaymentEnvironment').map((r: any) => [r.name, r.status, r.message])).toEqual([['prod', 'PruneSkipped', 'ignored (no prune)']]);
  const after = claimOf('prod');
  expect(after?.metadata.uid).toBe(before.metadata.uid);
  expect(after.metadata.deletionTimestamp).toBeUndefined();
  git('revert', '--no-edit', 'HEAD'); git('push', '-q', 'origin', 'main');
}, 600_000);

test('deleting prod\'s file keeps prod; deleting dev\'s removes dev and its composed resources', async () => {
  const prodBefore = claimOf('prod');
  unlinkSync(join(WORK, 'environments', 'prod.yaml'));
  unlinkSync(join(WORK, 'environments', 'dev.yaml'));
  const committedAt = commitAndPush('retire dev; prod file deleted by mistake');
  await webhook();
  applyArgoObjects(repoURL); // the root Application's prune of the two Applications
  const devGone = await until('dev claim deleted', () => !claimOf('dev'), 600_000, 500).catch((e) => {
    // What holds the deletion (CI once timed out here and never locally): the Application,
    // the claim's finalizers, and the composed resources and Usages left with theirs.
    const app = tryGetJson(['get', 'application', '-n', 'argocd', 'payments-dev']);
    const xr = claimOf('dev');
    const left = tryGetJson(['get', 'managed,usages', '-n', 'payments-dev'])?.items ?? [];
    throw new Error(`${(e as Error).message}\n` + JSON.stringify({
      application: app && { deletionTimestamp: app.metadata.deletionTimestamp, finalizers: app.metadata.finalizers, operationState: app.status?.operationState?.message, conditions: app.status?.conditions },
      claim: xr && { deletionTimestamp: xr.metadata.deletionTimestamp, finalizers: xr.metadata.finalizers, conditions: xr.status?.conditions },
      left: left.map((o: any) => `${o.kind}/${o.metadata.name} finalizers=${(o.metadata.finalizers ?? []).join(',')} deleting=${!!o.metadata.deletionTimestamp}`),
    }, null, 1));
  });
  latenciesMs.commitToDevDeleted = Date.now() - committedAt;
  const { ms } = await until('dev composed resources deleted', () => {
    const left = getJson(['get', 'managed', '-n', 'payments-dev']).items.length;
    return left === 0;
  }, 300_000, 1000).catch(() => ({ ms: -1 }));
  latenciesMs.devComposedGone = ms;
  expect(devGone.ms).toBeGreaterThanOrEqual(0);
  expect(ms).toBeGreaterThanOrEqual(0);
  // Give Argo CD time to act on prod too; the claim must still be there, unchanged.
  await new Promise((r) => setTimeout(r, 20_000));
  const prodAfter = claimOf('prod');
  expect(prodAfter?.metadata.uid).toBe(prodBefore.metadata.uid);
  expect(prodAfter.metadata.deletionTimestamp).toBeUndefined();
}, 1_200_000);
