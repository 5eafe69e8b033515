// dist/bootstrap/: what a platform team applies once to a management cluster that
// runs Argo CD: Crossplane from its pinned Helm chart with the settings this stack
// needs, and Argo CD's controller settings sized for it. The local control plane
// (src/dev/cluster.ts) starts Crossplane with the args read back from these files,
// so the local proof runs what ships.
import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppProject, Application } from '../../imports/argoproj.io';
import { ARGOCD } from '../argocd';
import { composedResources } from '../composition';
import { SETTINGS } from '../platform';
import { PINS } from '../versions';

export const CROSSPLANE_CHART = {
  repoURL: 'https://charts.crossplane.io/stable',
  chart: 'crossplane',
  /** Chart versions follow Crossplane's own (v2.4.0 -> 2.4.0). */
  version: PINS.CROSSPLANE_VERSION.replace(/^v/, ''),
} as const;

export const BOOTSTRAP_PROJECT = 'paymentenv-bootstrap';

/**
 * Crossplane core's flags for this stack. An XR's watch circuit breaker spends 2
 * tokens per composed-resource event; composing one environment and the status
 * updates that follow take about six passes over its resources. The default burst
 * (100) opens on the first pass, and the XR then waits for its poll (measured: a
 * deleted resource came back after 56.7 s instead of 0.9 s).
 */
export function crossplaneArgs(): string[] {
  const burst = Math.ceil((composedResources().length * 2 * 6) / 100) * 100;
  return [
    // With realtime compositions XRs are not polled at all (crossplane v2.4
    // internal/controller/apiextensions/definition/reconciler.go: WithPollInterval(0)); this is
    // how often the Usage controller re-checks each Usage.
    '--poll-interval=15s',
    '--enable-usages',
    '--enable-realtime-compositions',
    `--circuit-breaker-burst=${burst}`,
    '--circuit-breaker-refill-rate=50',
    '--circuit-breaker-cooldown=30s',
  ];
}

/** The chart's values: the flags above, and no default activation (the ManagedResourceActivationPolicy activates only what the Composition uses). */
export function crossplaneValues() {
  return { args: crossplaneArgs(), provider: { defaultActivations: [] } };
}

/**
 * Argo CD application controller settings (argocd-cmd-params-cm). Every environment
 * is one Application with ~150 resources; more processors keep a sync from waiting
 * behind status refreshes of the others.
 */
export const ARGOCD_PARAMS: Record<string, string> = {
  'controller.status.processors': '50',
  'controller.operation.processors': '25',
  'controller.kubectl.parallelism.limit': '20',
};

/** The environment variable each key becomes, as Argo CD's controller StatefulSet maps them. */
export const ARGOCD_PARAMS_ENV: Record<string, string> = {
  'controller.status.processors': 'ARGOCD_APPLICATION_CONTROLLER_STATUS_PROCESSORS',
  'controller.operation.processors': 'ARGOCD_APPLICATION_CONTROLLER_OPERATION_PROCESSORS',
  'controller.kubectl.parallelism.limit': 'ARGOCD_APPLICATION_CONTROLLER_KUBECTL_PARALLELISM_LIMIT',
};

export function bootstrapObjects(chart: Chart): Map<string, unknown[]> {
  const project = new AppProject(chart, 'bootstrap-project', {
    metadata: { name: BOOTSTRAP_PROJECT, namespace: ARGOCD.namespace },
    spec: {
      description: 'Crossplane itself, from its Helm chart',
      sourceRepos: [CROSSPLANE_CHART.repoURL],
      destinations: [{ server: ARGOCD.server, namespace: SETTINGS.crossplaneNamespace }],
      // The chart installs CRDs, cluster roles and webhooks configurations.
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
  const crossplane = new Application(chart, 'crossplane-app', {
    metadata: { name: 'crossplane', namespace: ARGOCD.namespace, annotations: { 'argocd.argoproj.io/sync-wave': '-50' } },
    spec: {
      project: BOOTSTRAP_PROJECT,
      source: {
        repoUrl: CROSSPLANE_CHART.repoURL,
        chart: CROSSPLANE_CHART.chart,
        targetRevision: CROSSPLANE_CHART.version,
        helm: { releaseName: 'crossplane', valuesObject: crossplaneValues() },
      },
      destination: { server: ARGOCD.server, namespace: SETTINGS.crossplaneNamespace },
      syncPolicy: { automated: { selfHeal: true, prune: false }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'] },
    },
  });
  const params = new kplus.ConfigMap(chart, 'argocd-cmd-params-cm', {
    metadata: { name: 'argocd-cmd-params-cm', namespace: ARGOCD.namespace, labels: { 'app.kubernetes.io/name': 'argocd-cmd-params-cm', 'app.kubernetes.io/part-of': 'argocd' } },
    data: ARGOCD_PARAMS,
  });
  return new Map<string, unknown[]>([
    ['crossplane.yaml', [project.toJson(), crossplane.toJson()]],
    ['argocd-cmd-params-cm.yaml', [ApiObject.of(params).toJson()]],
  ]);
}
