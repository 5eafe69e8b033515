// Crossplane packages and runtime configuration for dist/platform/, and the
// per-environment namespace objects (Namespace, RBAC with cdk8s-plus-28,
// ProviderConfig) for dist/environments/<env>/.
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { ManagedResourceActivationPolicy } from '../imports/apiextensions.crossplane.io';
import { ProviderConfig, ProviderConfigSpecCredentialsSource } from '../imports/aws.m.upbound.io';
import { DeploymentRuntimeConfig, Function as XpFunction, Provider } from '../imports/pkg.crossplane.io';
import { composedResources } from './composition';
import { ACCESS_LOG_BUCKET_NAME, BUCKET_NAME, REPLICA_BUCKET_NAME } from './composition/security';
import { Tier } from './schema';
import { ADMIN_PROVIDER_CONFIG_NAME, PROVIDER_CONFIG_NAME } from './composition/resource';
import { Environment, Problem } from './validate';
import { FUNCTIONS, PROVIDER_AWS_VERSION } from './versions';
import { wave, WAVES } from './waves';
import { zoneProblems } from './zones';
import { XR_GROUP, XR_PLURAL } from './xrd';

/**
 * Platform-wide settings (not per environment): the AWS account and the role
 * each environment's ProviderConfig assumes. Change them once when adopting.
 */
export const SETTINGS = {
  /** The management account (the provider pods' role) and every environment's account unless listed in `accounts`. */
  awsAccountId: '111122223333',
  /** An environment's own AWS account, by environment name (seed 001: one account per environment). */
  accounts: {} as Record<string, string>,
  /** Tiers that may not share an account with any other tier (e.g. ['prod']); empty: one shared account is fine. */
  isolatedTiers: [] as Tier[],
  /** Role the provider pods run as (IRSA / EKS Pod Identity on the management cluster). */
  providerRoleName: 'paymentenv-crossplane',
  /**
   * How the provider pods get that role (provider-aws AUTHENTICATION.md): 'PodIdentity' (an EKS
   * Pod Identity association for the service account `providerServiceAccount` in
   * crossplaneNamespace; no OIDC provider) or 'IRSA' (the role ARN annotation and the cluster's
   * OIDC issuer in iam-management.yaml).
   */
  providerIdentity: 'PodIdentity' as 'PodIdentity' | 'IRSA',
  /** The one service account every provider family runs as (a Pod Identity association names it). */
  providerServiceAccount: 'provider-aws',
  /** Role per environment, assumed from the provider role; scoped to that environment. */
  environmentRoleName: (env: string) => `${env}-crossplane-deployer`,
  /**
   * Account of the admin VPC environments peer with (adminPeering); unset: each environment's
   * own account. The accepter side of the peering runs in that account under its own role.
   */
  adminAccountId: undefined as string | undefined,
  /** Role in the admin account that accepts an environment's peering request (dist/bootstrap/iam-peering-accepter.yaml). */
  peeringAccepterRoleName: (env: string) => `${env}-peering-accepter`,
  /** The drift listener's role in the management account, and the one per environment it assumes to read that environment's drift queue. */
  listenerRoleName: 'paymentenv-drift-listener',
  environmentListenerRoleName: (env: string) => `paymentenv-drift-listener-${env}`,
  /** Namespace the drift listener runs in (dist/bootstrap/listener.yaml). */
  listenerNamespace: 'paymentenv-system',
  /** The drift listener's image: this repository's Dockerfile, built and pushed by the platform team. */
  listenerImage: 'registry.example.com/paymentenv/drift-listener:0.1.0',
  /**
   * The providers' poll: the safety net (the upstream default). Drift in AWS is corrected on the
   * change's CloudTrail event by the drift listener (src/listener/), within seconds; the poll
   * finds what no event reports (IAM's events arrive in us-east-1 only, a listener outage).
   */
  pollInterval: '10m',
  /**
   * Public Route 53 hosted zones the platform writes DNS records in, by domain: an environment
   * whose apiDomain is in one gets its certificate's validation record composed there (the
   * deployer may change records of these zones only). An apiDomain in no zone here is validated
   * by whoever runs its DNS: the records to add are in the claim's status.certificate.validationRecords.
   */
  dnsZones: { 'payments.example.com': 'Z0PAYMENTSEXAMPLE1' } as Record<string, string>,
  /** Namespace Crossplane runs in. */
  crossplaneNamespace: 'crossplane-system',
  /** Kubernetes group whose members may write claims and managed resources by hand; each such write is audited (dist/bootstrap/admission.yaml). */
  breakGlassGroup: 'paymentenv:break-glass',
} as const;

/** The drift listener's service account, and the ClusterRole it is bound to in each environment's namespace only (dist/bootstrap/listener.yaml). */
export const LISTENER_RBAC = { serviceAccount: 'drift-listener', reconcileRole: 'paymentenv-drift-listener-reconcile' } as const;

/** In an environment's namespace: the drift listener may patch its managed resources and record events. */
function listenerRoleBinding(scope: Construct, env: Environment): kplus.RoleBinding {
  const binding = new kplus.RoleBinding(scope, `${env.name}-drift-listener`, {
    metadata: { name: 'paymentenv-drift-listener', namespace: env.namespace, annotations: wave(WAVES.namespace) },
    role: kplus.ClusterRole.fromClusterRoleName(scope, `${env.name}-drift-listener-role`, LISTENER_RBAC.reconcileRole),
  });
  binding.addSubjects(kplus.ServiceAccount.fromServiceAccountName(scope, `${env.name}-drift-listener-sa`, LISTENER_RBAC.serviceAccount, { namespaceName: SETTINGS.listenerNamespace }));
  return binding;
}

/** The AWS account an environment's resources live in (every ARN the Composition builds uses it). */
export function accountId(env: Pick<Environment, 'name'>): string {
  return SETTINGS.accounts[env.name] ?? SETTINGS.awsAccountId;
}

/** The hosted zone (SETTINGS.dnsZones) an environment's apiDomain is in: the longest domain that contains it. */
export function dnsZoneId(env: Pick<Environment, 'spec'>): string | undefined {
  const d = env.spec.apiDomain;
  const match = Object.keys(SETTINGS.dnsZones).filter((z) => d === z || d.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
  return match ? SETTINGS.dnsZones[match] : undefined;
}

/** The role an environment's providers assume (its deployer): CloudTrail names it as the caller of their writes. */
export const deployerRoleArn = (env: string, account = accountId({ name: env })) => `arn:aws:iam::${account}:role/${SETTINGS.environmentRoleName(env)}`;

/** The account of the admin VPC an environment peers with. */
export function adminAccountId(env: Pick<Environment, 'name'>): string {
  return SETTINGS.adminAccountId ?? accountId(env);
}

/** The role the accepter side of an environment's admin peering assumes. */
export const peeringAccepterRoleArn = (env: Pick<Environment, 'name'>) =>
  `arn:aws:iam::${adminAccountId(env)}:role/${SETTINGS.peeringAccepterRoleName(env.name)}`;

const SETTINGS_FILE = 'src/platform.ts';

/** The account settings against the environments: 12-digit ids, known environments, isolated tiers alone. */
export function settingsProblems(envs: Environment[]): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, message: string) => problems.push({ file: SETTINGS_FILE, path, message });
  const account = (path: string, id: string) => {
    if (!/^\d{12}$/.test(id)) report(path, `must be a 12-digit AWS account id, got "${id}"`);
  };
  account('SETTINGS.awsAccountId', SETTINGS.awsAccountId);
  if (SETTINGS.adminAccountId !== undefined) account('SETTINGS.adminAccountId', SETTINGS.adminAccountId);
  const names = new Set(envs.map((e) => e.name));
  for (const [name, id] of Object.entries(SETTINGS.accounts).sort()) {
    account(`SETTINGS.accounts.${name}`, id);
    if (!names.has(name)) report(`SETTINGS.accounts.${name}`, `no environment "${name}" in environments/ (known: ${[...names].sort().join(', ')})`);
  }
  for (const e of envs.filter((x) => SETTINGS.isolatedTiers.includes(x.spec.tier))) {
    const shared = envs.filter((o) => o.spec.tier !== e.spec.tier && accountId(o) === accountId(e)).map((o) => o.name);
    if (shared.length) {
      report(`SETTINGS.accounts.${e.name}`, `${e.spec.tier} is an isolated tier (SETTINGS.isolatedTiers) but shares account ${accountId(e)} with ${shared.join(', ')}`);
    }
  }
  for (const [domain, id] of Object.entries(SETTINGS.dnsZones)) {
    if (!/^Z[A-Z0-9]{1,31}$/.test(id)) report(`SETTINGS.dnsZones.${domain}`, `must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, got "${id}"`);
  }
  problems.push(...zoneProblems(envs));
  problems.push(...bucketNameProblems(envs));
  // The task execution role pulls from this account's payments/* repositories only (ROLES['ecs-execution']).
  for (const e of envs) {
    const [registry, ...repo] = e.spec.appImage.split('/');
    if (registry.split('.')[0] !== accountId(e) || repo[0] !== 'payments') {
      problems.push({ file: e.file, path: 'spec.appImage', message: `must be in ${accountId(e)}'s Amazon ECR under payments/ (${accountId(e)}.dkr.ecr.${e.spec.region}.amazonaws.com/payments/...): the task execution role pulls only from there` });
    }
  }
  return problems;
}

/** go's %[n]s over (region, env, account, drRegion), as the Composition's string formats use them. */
const fmt = (f: string, args: string[]) => f.replace(/%\[(\d)\]s/g, (_, i) => args[Number(i) - 1]);

/**
 * Every S3 bucket name an environment gets, at most 63 characters (S3's naming rules:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). The names carry
 * the environment, a region and the account, so a long environment name and a long (DR) region
 * together can pass every single-field rule and still make a name S3 refuses.
 */
export function bucketNameProblems(envs: Environment[]): Problem[] {
  const out: Problem[] = [];
  for (const e of envs) {
    const args = [e.spec.region, e.name, accountId(e), e.spec.drRegion ?? e.spec.region];
    const names: [string, string][] = [[BUCKET_NAME, 'region'], [ACCESS_LOG_BUCKET_NAME, 'region'],
      ...(e.spec.drRegion ? [[REPLICA_BUCKET_NAME, 'drRegion'], [ACCESS_LOG_BUCKET_NAME.replace('%[1]s', '%[4]s'), 'drRegion']] as [string, string][] : [])];
    for (const [f, field] of names) {
      const name = fmt(f, args);
      if (name.length > 63) out.push({ file: e.file, path: `spec.${field}`, message: `makes the S3 bucket name "${name}" ${name.length} characters; S3 allows 63: use a shorter environment name` });
    }
  }
  return out;
}

export const RUNTIME_CONFIG_NAME = 'paymentenv-aws';
export { ADMIN_PROVIDER_CONFIG_NAME, PROVIDER_CONFIG_NAME };


/** The API group of every composed kind, e.g. ec2.aws.m.upbound.io -> provider-aws-ec2. */
/** Every managed kind the Composition composes, as `<group>/<Kind>` (ec2.aws.m.upbound.io/Subnet), sorted. */
export function composedKinds(): string[] {
  const kinds = composedResources().map((r) => `${r.base.apiVersion.split('/')[0]}/${r.base.kind}`).filter((k) => k.includes('.aws.m.upbound.io/'));
  return [...new Set(kinds)].sort();
}

export function providerFamilies(): string[] {
  const groups = new Set(composedResources().map((r) => r.base.apiVersion.split('/')[0]).filter((g) => g.endsWith('.aws.m.upbound.io')));
  return [...groups].map((g) => g.split('.')[0]).sort();
}

/** The resource name a managed kind is served under, as flect pluralises it (Subnet -> subnets). */
export function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/(ss|ias)$/.test(k)) return `${k}es`;
  if (k.endsWith('s')) return k;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** `plural.group` of every managed kind the Composition uses. */
export function managedResourceNames(): string[] {
  const names = composedResources()
    .filter((r) => r.base.apiVersion.includes('.aws.m.upbound.io/'))
    .map((r) => `${pluralOf(r.base.kind)}.${r.base.apiVersion.split('/')[0]}`);
  return [...new Set(names)].sort();
}

/** dist/platform/ objects other than the XRD and Composition, by file. */
export function platformObjects(chart: Chart): Map<string, unknown[]> {
  const functions = Object.values(FUNCTIONS).map((f) => new XpFunction(chart, f.name, {
    metadata: { name: f.name, annotations: wave(WAVES.packages) },
    spec: { package: f.package },
  }));
  const runtime = new DeploymentRuntimeConfig(chart, 'runtime', {
    metadata: { name: RUNTIME_CONFIG_NAME, annotations: wave(WAVES.runtime) },
    spec: {
      // One named service account for every family (what a Pod Identity association names); the
      // role annotation is what IRSA reads (harmless with Pod Identity).
      serviceAccountTemplate: {
        metadata: {
          name: SETTINGS.providerServiceAccount,
          ...(SETTINGS.providerIdentity === 'IRSA' ? { annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${SETTINGS.awsAccountId}:role/${SETTINGS.providerRoleName}` } } : {}),
        },
      },
      deploymentTemplate: {
        spec: {
          selector: {},
          template: {
            spec: {
              containers: [{ name: 'package-runtime', args: [`--poll=${SETTINGS.pollInterval}`] }],
            },
          },
        },
      },
    },
  });
  const providers = providerFamilies().map((family) => new Provider(chart, `provider-${family}`, {
    metadata: { name: `provider-aws-${family}`, annotations: wave(WAVES.packages) },
    spec: {
      package: `xpkg.upbound.io/upbound/provider-aws-${family}:${PROVIDER_AWS_VERSION}`,
      runtimeConfigRef: { name: RUNTIME_CONFIG_NAME },
    },
  }));
  const activation = new ManagedResourceActivationPolicy(chart, 'activation', {
    metadata: { name: 'paymentenv', annotations: wave(WAVES.activation) },
    spec: { activate: managedResourceNames() },
  });
  return new Map<string, unknown[]>([
    ['functions.yaml', functions.map((f) => f.toJson())],
    ['providers.yaml', providers.map((p) => p.toJson())],
    ['runtime-config.yaml', [runtime.toJson()]],
    ['activation-policy.yaml', [activation.toJson()]],
  ]);
}

/** Team group that may read an environment's claim; changes go through git (dist/bootstrap/admission.yaml). */
export const viewersGroup = (env: string) => `payments-${env}-viewers`;

/** dist/environments/<env>/ objects besides the claim: namespace, RBAC, ProviderConfig. */
export function environmentObjects(chart: Chart, env: Environment): Map<string, unknown[]> {
  const ns = new kplus.Namespace(chart, `${env.name}-namespace`, {
    metadata: { name: env.namespace, labels: { 'paymentenv.io/environment': env.name, 'paymentenv.io/tier': env.spec.tier }, annotations: wave(WAVES.namespace) },
  });
  const claims = kplus.ApiResource.custom({ apiGroup: XR_GROUP, resourceType: XR_PLURAL });
  const viewers = kplus.Group.fromName(chart, `${env.name}-viewers`, viewersGroup(env.name));
  // Read only: a claim changes through git alone (Argo CD), which the admission policies enforce.
  const viewer = new kplus.Role(chart, `${env.name}-viewer`, {
    metadata: { name: 'paymentenvironment-viewer', namespace: env.namespace, annotations: wave(WAVES.namespace) },
  });
  viewer.allowRead(claims);
  const binding = new kplus.RoleBinding(chart, `${env.name}-viewer-binding`, {
    metadata: { name: 'paymentenvironment-viewer', namespace: env.namespace, annotations: wave(WAVES.namespace) },
    role: viewer,
  });
  binding.addSubjects(viewers);
  const rbac: Construct[] = [viewer, binding, listenerRoleBinding(chart, env)];
  const providerConfig = (id: string, name: string, roleArn: string) => new ProviderConfig(chart, `${env.name}-${id}`, {
    metadata: {
      name,
      namespace: env.namespace,
      annotations: { ...wave(WAVES.providerConfig), 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
    },
    spec: {
      // The provider pod's identity (SETTINGS.providerIdentity), then a role in the account: no keys in git.
      credentials: { source: SETTINGS.providerIdentity === 'IRSA' ? ProviderConfigSpecCredentialsSource.IRSA : ProviderConfigSpecCredentialsSource.POD_IDENTITY },
      assumeRoleChain: [{ roleArn }],
    },
  }).toJson();
  const providerConfigs = [
    // The deployer role in the environment's own account.
    providerConfig('provider-config', PROVIDER_CONFIG_NAME, deployerRoleArn(env.name)),
    // The accepter side of the admin peering, in the admin VPC's account (provider-upjet-aws's
    // requester/accepter pair: VPCPeeringConnection here, VPCPeeringConnectionAccepter there).
    ...(env.spec.adminPeering ? [providerConfig('admin-provider-config', ADMIN_PROVIDER_CONFIG_NAME, peeringAccepterRoleArn(env))] : []),
  ];
  return new Map<string, unknown[]>([
    ['namespace.yaml', [ApiObject.of(ns).toJson()]],
    ['rbac.yaml', rbac.map((c) => ApiObject.of(c).toJson())],
    ['providerconfig.yaml', providerConfigs],
  ]);
}
