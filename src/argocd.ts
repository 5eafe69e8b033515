// Argo CD delivery for dist/argocd/: an AppProject per tier (and one for the
// platform), an Application per environment plus the platform, a root
// Application over dist/argocd itself, and the argocd-cm settings Crossplane
// needs (annotation tracking, health checks, exclusions).
import { ApiObject, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import * as kplus from 'cdk8s-plus-28';
import { Application, ApplicationProps, AppProject } from '../imports/argoproj.io';
import { Tier, TIERS } from './schema';
import { Environment } from './validate';
import { XR_GROUP, XR_KIND } from './xrd';

export const ARGOCD = {
  namespace: 'argocd',
  /** The git repository Argo CD reads; change once when adopting. */
  repoURL: 'https://github.com/example-payments/paymentenv.git',
  revision: 'main',
  server: 'https://kubernetes.default.svc',
  /** The application controller's service account: the only writer of claims the admission policies allow. */
  controllerServiceAccount: 'argocd-application-controller',
} as const;

/**
 * Argo CD has no health check for Application since v1.8, so sync waves across child
 * Applications (app of apps) do not wait for them; the check its docs give
 * (operator-manual/cluster-bootstrapping.md, "App Of Apps"): an Application is as healthy as it says.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

export const PLATFORM_PROJECT = 'paymentenv-platform';
export const projectOf = (tier: Tier) => `payments-${tier}`;

/** Kinds an environment application may create, all in its own namespace. */
export const ENVIRONMENT_KINDS = [
  { group: XR_GROUP, kind: XR_KIND },
  { group: 'aws.m.upbound.io', kind: 'ProviderConfig' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/** Cluster-scoped kinds of dist/platform. */
export const PLATFORM_KINDS = [
  { group: 'apiextensions.crossplane.io', kind: 'CompositeResourceDefinition' },
  { group: 'apiextensions.crossplane.io', kind: 'Composition' },
  { group: 'apiextensions.crossplane.io', kind: 'ManagedResourceActivationPolicy' },
  { group: 'pkg.crossplane.io', kind: 'Function' },
  { group: 'pkg.crossplane.io', kind: 'Provider' },
  { group: 'pkg.crossplane.io', kind: 'DeploymentRuntimeConfig' },
];

/** Fields Crossplane writes into the XR spec: never a reason to be OutOfSync. */
export const CROSSPLANE_OWNED_FIELDS = [
  '/spec/crossplane/resourceRefs',
  '/spec/crossplane/compositionRef',
  '/spec/crossplane/compositionRevisionRef',
];

const SYNC_OPTIONS = ['SkipDryRunOnMissingResource=true', 'ServerSideApply=true', 'RespectIgnoreDifferences=true', 'PruneLast=true'];

/**
 * Server-Side Diff (stable since Argo CD v3.1): the API server's dry-run apply predicts the live
 * object. The structured-merge diff ServerSideApply=true brings otherwise (discontinued upstream)
 * types the object with the controller's copy of the OpenAPI schema, reloaded only on a CRD event:
 * when that reload timed out under load, every claim failed to compare ("unable to resolve
 * parseableType") until the next CRD event (docs/operations.md). IncludeMutationWebhook: removing
 * webhook mutations needs that schema too, and no mutating webhook touches what these apply.
 */
const COMPARE_OPTIONS = { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true,IncludeMutationWebhook=true' };

/** Health of a PaymentEnvironment, from Crossplane's Synced and Ready conditions. */
export const PAYMENT_ENVIRONMENT_HEALTH_LUA = `hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Crossplane to compose the environment"
  return hs
end
local synced = nil
local ready = nil
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Synced" then synced = c end
  if c.type == "Ready" then ready = c end
end
if synced ~= nil and synced.status == "False" then
  hs.status = "Degraded"
  hs.message = synced.message or synced.reason or "Synced is False"
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end
hs.status = "Progressing"
if ready ~= nil then
  hs.message = ready.message or ready.reason or "Not ready yet"
else
  hs.message = "Waiting for composed resources"
end
return hs
`;

/** Crossplane's recommended health for its own and provider kinds (Healthy when Ready or, for packages, Healthy; Degraded when not Synced). */
export const CROSSPLANE_HEALTH_LUA = `health_status = { status = "Progressing", message = "Provisioning ..." }
local function contains(table, val)
  for _, v in ipairs(table) do
    if v == val then return true end
  end
  return false
end
local has_no_status = { "Composition", "ProviderConfig", "ProviderConfigUsage", "ClusterProviderConfig", "DeploymentRuntimeConfig", "Usage", "ClusterUsage", "ManagedResourceActivationPolicy" }
if obj.status == nil or next(obj.status) == nil then
  if contains(has_no_status, obj.kind) then
    health_status.status = "Healthy"
    health_status.message = "Resource is up-to-date."
  end
  return health_status
end
if obj.status.conditions == nil then
  return health_status
end
local healthy_when_true = { "Ready", "Healthy", "Offered", "Established", "ValidPipeline", "RevisionHealthy" }
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "LastAsyncOperation" and condition.status == "False" then
    health_status.status = "Degraded"
    health_status.message = condition.message
    return health_status
  end
  if condition.type == "Synced" and condition.status == "False" then
    health_status.status = "Degraded"
    health_status.message = condition.message
    return health_status
  end
  -- Managed and composite resources report Ready, packages Healthy, XRDs Established
  -- (and Offered), Compositions ValidPipeline.
  if contains(healthy_when_true, condition.type) and condition.status == "True" then
    health_status.status = "Healthy"
    health_status.message = "Resource is up-to-date."
  end
end
return health_status
`;

/**
 * The exclusions the pinned Argo CD's own argocd-cm carries (manifests/base/config/argocd-cm.yaml
 * of v3.2.11: high-churn kinds no one declares in git). A merge patch replaces resource.exclusions
 * whole, so ours keeps them; test/argocd.test.ts compares them with the pinned release.
 */
export const ARGOCD_DEFAULT_EXCLUSIONS = [
  { apiGroups: ['', 'discovery.k8s.io'], kinds: ['Endpoints', 'EndpointSlice'] },
  { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
  { apiGroups: ['authentication.k8s.io', 'authorization.k8s.io'], kinds: ['SelfSubjectReview', 'TokenReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'] },
  { apiGroups: ['certificates.k8s.io'], kinds: ['CertificateSigningRequest'] },
  { apiGroups: ['cert-manager.io'], kinds: ['CertificateRequest'] },
  { apiGroups: ['cilium.io'], kinds: ['CiliumIdentity', 'CiliumEndpoint', 'CiliumEndpointSlice'] },
  {
    apiGroups: ['kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'],
    kinds: ['PolicyReport', 'ClusterPolicyReport', 'EphemeralReport', 'ClusterEphemeralReport', 'AdmissionReport', 'ClusterAdmissionReport', 'BackgroundScanReport', 'ClusterBackgroundScanReport', 'UpdateRequest'],
  },
];

/** argocd-cm keys: merged into the Argo CD installation's ConfigMap. */
export function argocdSettings(): Record<string, string> {
  return {
    'application.resourceTrackingMethod': 'annotation',
    [`resource.customizations.health.${XR_GROUP}_${XR_KIND}`]: PAYMENT_ENVIRONMENT_HEALTH_LUA,
    'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
    // Wildcard group/kinds are not valid ConfigMap keys: they go in the block form.
    'resource.customizations': stringify({
      '*.crossplane.io/*': { 'health.lua': CROSSPLANE_HEALTH_LUA },
      '*.upbound.io/*': { 'health.lua': CROSSPLANE_HEALTH_LUA },
    }),
    // ProviderConfigUsages are bookkeeping Crossplane creates per managed resource.
    'resource.exclusions': stringify([...ARGOCD_DEFAULT_EXCLUSIONS, { apiGroups: ['*'], kinds: ['ProviderConfigUsage'], clusters: ['*'] }]),
    [`resource.customizations.ignoreDifferences.${XR_GROUP}_${XR_KIND}`]: stringify({ jsonPointers: CROSSPLANE_OWNED_FIELDS }),
  };
}

function environmentApplication(env: Environment): ApplicationProps {
  const prod = env.spec.tier === 'prod';
  return {
    metadata: {
      name: `payments-${env.name}`,
      namespace: ARGOCD.namespace,
      labels: { 'paymentenv.io/tier': env.spec.tier },
      annotations: { 'argocd.argoproj.io/sync-wave': '10', ...COMPARE_OPTIONS },
      // Deleting a non-prod Application removes its environment; prod's stays.
      finalizers: prod ? undefined : ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: projectOf(env.spec.tier),
      source: { repoUrl: ARGOCD.repoURL, targetRevision: ARGOCD.revision, path: `dist/environments/${env.name}` },
      destination: { server: ARGOCD.server, namespace: env.namespace },
      syncPolicy: {
        // Prod: self-heal, never prune: deleting prod's claim file cannot delete prod.
        automated: { selfHeal: true, prune: !prod },
        syncOptions: [...SYNC_OPTIONS, ...(prod ? ['Prune=false', 'Delete=false'] : [])],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
      ignoreDifferences: [{ group: XR_GROUP, kind: XR_KIND, jsonPointers: CROSSPLANE_OWNED_FIELDS }],
    },
  };
}

/** dist/argocd/ objects, by file. */
export function argocdObjects(chart: Chart, envs: Environment[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const projects = [
    new AppProject(chart, 'platform-project', {
      metadata: { name: PLATFORM_PROJECT, namespace: ARGOCD.namespace, annotations: { 'argocd.argoproj.io/sync-wave': '-40' } },
      spec: {
        description: 'Crossplane packages, XRD and Composition of PaymentEnvironment',
        sourceRepos: [ARGOCD.repoURL],
        // Cluster-scoped kinds (clusterResourceWhitelist) and the Applications in Argo CD's own namespace: no '*'.
        destinations: [{ server: ARGOCD.server, namespace: ARGOCD.namespace }],
        clusterResourceWhitelist: PLATFORM_KINDS,
        namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'Application' }, { group: 'argoproj.io', kind: 'AppProject' }],
      },
    }),
    ...TIERS.map((tier) => new AppProject(chart, `project-${tier}`, {
      metadata: { name: projectOf(tier), namespace: ARGOCD.namespace, annotations: { 'argocd.argoproj.io/sync-wave': '-40' } },
      spec: {
        description: `PaymentEnvironments of tier ${tier}: each only in its own namespace`,
        sourceRepos: [ARGOCD.repoURL],
        destinations: envs.filter((e) => e.spec.tier === tier).map((e) => ({ server: ARGOCD.server, namespace: e.namespace })),
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceWhitelist: ENVIRONMENT_KINDS,
      },
    })),
  ];
  out.set('projects.yaml', projects.map((p) => p.toJson()));

  const platform = new Application(chart, 'platform-app', {
    metadata: { name: 'paymentenv-platform', namespace: ARGOCD.namespace, annotations: { 'argocd.argoproj.io/sync-wave': '0', ...COMPARE_OPTIONS } },
    spec: {
      project: PLATFORM_PROJECT,
      source: { repoUrl: ARGOCD.repoURL, targetRevision: ARGOCD.revision, path: 'dist/platform' },
      // Only cluster-scoped kinds; the namespace is what the project permits (an empty one matches none).
      destination: { server: ARGOCD.server, namespace: ARGOCD.namespace },
      syncPolicy: { automated: { selfHeal: true, prune: false }, syncOptions: SYNC_OPTIONS },
    },
  });
  const root = new Application(chart, 'root-app', {
    metadata: { name: 'paymentenv', namespace: ARGOCD.namespace },
    spec: {
      project: PLATFORM_PROJECT,
      source: { repoUrl: ARGOCD.repoURL, targetRevision: ARGOCD.revision, path: 'dist/argocd', directory: { exclude: 'argocd-cm.yaml' } },
      destination: { server: ARGOCD.server, namespace: ARGOCD.namespace },
      syncPolicy: { automated: { selfHeal: true, prune: true } },
    },
  });
  out.set('applications.yaml', [root.toJson(), platform.toJson(),
    ...envs.map((e) => new Application(chart, `app-${e.name}`, environmentApplication(e)).toJson())]);

  const cm = new kplus.ConfigMap(chart, 'argocd-cm', {
    metadata: { name: 'argocd-cm', namespace: ARGOCD.namespace, labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' } },
    data: argocdSettings(),
  });
  out.set('argocd-cm.yaml', [ApiObject.of(cm).toJson()]);
  return out;
}
