// dist/bootstrap/: what a team applies once. The local control plane runs with the same settings.
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { crossplaneArgs } from '../src/bootstrap';
import { composedResources } from '../src/composition';
import { shipped } from '../src/dev/cluster';
import { PINS } from '../src/versions';

const DIST = join(__dirname, '..', 'dist');
const read = (f: string): any[] => parseAllDocuments(readFileSync(join(DIST, f), 'utf8')).map((d) => d.toJS());

test('Crossplane from its Helm chart at the pinned version, no default activations', () => {
  const app = read('bootstrap/crossplane.yaml').find((o) => o.kind === 'Application');
  expect(app.spec.source).toMatchObject({ repoURL: 'https://charts.crossplane.io/stable', chart: 'crossplane', targetRevision: PINS.CROSSPLANE_VERSION.slice(1) });
  expect(app.spec.source.helm.valuesObject.provider.defaultActivations).toEqual([]);
  expect(app.spec.destination.namespace).toBe('crossplane-system');
});

test('the circuit breaker burst covers six passes over every composed resource of an XR (2 tokens each)', () => {
  const burst = Number(crossplaneArgs().find((a) => a.startsWith('--circuit-breaker-burst='))!.split('=')[1]);
  expect(burst).toBeGreaterThanOrEqual(composedResources().length * 2 * 6);
  expect(crossplaneArgs()).toEqual(expect.arrayContaining(['--enable-usages', '--enable-realtime-compositions']));
});

test('the local control plane starts Crossplane and Argo CD with what dist/bootstrap ships', () => {
  const app = read('bootstrap/crossplane.yaml').find((o) => o.kind === 'Application');
  const params = read('bootstrap/argocd-cmd-params-cm.yaml')[0].data;
  const local = shipped();
  expect(local.crossplaneArgs).toEqual(app.spec.source.helm.valuesObject.args);
  expect(local.argocdEnv.ARGOCD_APPLICATION_CONTROLLER_STATUS_PROCESSORS).toBe(params['controller.status.processors']);
  expect(Object.keys(local.argocdEnv)).toHaveLength(Object.keys(params).length);
});
