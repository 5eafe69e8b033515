// npm run e2e, last: retiring environments through git. Deleting prod's file by
// mistake must not delete prod; deleting dev's removes dev and its resources.
import { unlinkSync } from 'fs';
import { join } from 'path';
import { ARGOCD_NAMESPACE, readState, up } from '../../src/dev/cluster';
import { applyArgoObjects, commitAndPush, getJson, recordResults, refresh, tryGetJson, until, WORK, workClone } from './live';

const latenciesMs: Record<string, number> = {};
let repoURL = '';
const claimOf = (env: string) => tryGetJson(['get', 'paymentenvironment', '-n', `payments-${env}`, env]);

beforeAll(async () => {
  await up();
  repoURL = readState()!.repoURL;
  workClone();
}, 1_800_000);

afterAll(() => recordResults({ latenciesMs }));

test('deleting prod\'s file keeps prod; deleting dev\'s removes dev and its composed resources', async () => {
  const prodBefore = claimOf('prod');
  unlinkSync(join(WORK, 'environments', 'prod.yaml'));
  unlinkSync(join(WORK, 'environments', 'dev.yaml'));
  const committedAt = commitAndPush('retire dev; prod file deleted by mistake');
  refresh(['payments-dev', 'payments-prod']);
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
