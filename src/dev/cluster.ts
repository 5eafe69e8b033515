// A local control plane from real components, all on 127.0.0.1:
// etcd, kube-apiserver, kube-controller-manager (garbage collection, namespaces),
// Crossplane core out of cluster, the composition functions as local processes
// (mTLS, found through FunctionRevisions), Redis, Argo CD's repo-server and
// application controller reading a local git repository of this project.
// State (certs, pids, logs, kubeconfig, data) lives in .state/cluster/.
//
//   npm run cluster:up     builds what is missing, starts everything, prints timings
//   npm run cluster:down   stops every process it started, by pid
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { basename, join } from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { k8s } from 'cdk8s-plus-28';
import { ARGOCD } from '../argocd';
import { ARGOCD_PARAMS_ENV } from '../bootstrap';
import { IDENTITIES } from '../bootstrap/admission';
import { isAwsManaged, XR_GROUP, XR_PLURAL } from '../names';
import { providerFamilies, SETTINGS } from '../platform';
import { namespaceOf } from '../validate';
import { FUNCTIONS, PINS, ROOT_DIR } from '../versions';
import { cloneURL } from './githost';
import { freePort, tool, waitForPort } from '../tools';

export const STATE = join(ROOT_DIR, '.state', 'cluster');
export const KUBECONFIG = join(STATE, 'kubeconfig');
const PKI = join(STATE, 'pki');
const LOGS = join(STATE, 'logs');
export const REPO = join(STATE, 'repo.git');
export const ARGOCD_NAMESPACE = 'argocd';

/**
 * What the local cluster runs from dist/argocd. The default is everything; the
 * AWS-layer proof (npm run e2e:aws) runs one environment against the emulator,
 * so its ProviderConfig comes from the e2e (emulator endpoint, static test
 * credentials) instead of git (IRSA, which needs a real AWS account).
 */
export interface Profile {
  envs?: string[];
  providerConfigFromGit?: boolean;
  /**
   * Read the local repository as it is instead of resetting it to this project's HEAD: git lives
   * outside the control plane, so a control plane rebuilt after a loss reads what was committed.
   */
  keepRepository?: boolean;
}

export interface ClusterState {
  ports: Record<string, number>;
  pids: Record<string, number>;
  token: string;
  repoURL: string;
  startedAt: string;
  profile: Profile;
}

/**
 * Who each component is on the API server, as in a real cluster (its service account), so the
 * admission policies of dist/bootstrap/admission.yaml see the same identities here. Each has a
 * static token and its own kubeconfig; the person running the cluster is `admin`, a
 * cluster administrator in the break-glass group (hand edits in tests are break-glass edits).
 */
export const IDENTITY = {
  admin: { user: 'admin', groups: ['system:masters', SETTINGS.breakGlassGroup] },
  crossplane: { user: `${IDENTITIES.crossplanePrefix}crossplane`, groups: ['system:serviceaccounts', `system:serviceaccounts:${SETTINGS.crossplaneNamespace}`] },
  providers: { user: `${IDENTITIES.crossplanePrefix}provider-aws`, groups: ['system:serviceaccounts', `system:serviceaccounts:${SETTINGS.crossplaneNamespace}`] },
  argocd: { user: IDENTITIES.argocdController, groups: ['system:serviceaccounts', `system:serviceaccounts:${ARGOCD.namespace}`] },
  /** Argo CD's API server: its UI and the git webhook (it refreshes Applications; the controller syncs). */
  argocdServer: { user: `system:serviceaccount:${ARGOCD.namespace}:argocd-server`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ARGOCD.namespace}`] },
  kcm: { user: IDENTITIES.controllerManager, groups: [] as string[] },
  /** A platform operator: cluster-admin by RBAC, not in the break-glass group (what the admission policies hold a person to). */
  operator: { user: 'carol@example.com', groups: ['system:masters'] },
  /** The drift listener: no cluster-admin; the RBAC dist/bootstrap/listener.yaml and each environment's rbac.yaml ship. */
  listener: { user: IDENTITIES.listener, groups: ['system:serviceaccounts', `system:serviceaccounts:${SETTINGS.listenerNamespace}`] },
} as const;
export type Identity = keyof typeof IDENTITY;

/** The kubeconfig a component runs with: its own identity's token. */
export const kubeconfigOf = (who: Identity) => (who === 'admin' ? KUBECONFIG : join(STATE, `kubeconfig-${who}`));
const tokenOf = (who: Identity) => `paymentenv-local-${who}`;

/** The API server's audit log: the break-glass writes the admission policies annotate. */
export const AUDIT_LOG = join(STATE, 'logs', 'audit.log');

const t0 = Date.now();
const step = (msg: string) => console.log(`[cluster ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);

/** Crossplane's args and Argo CD's controller settings as dist/bootstrap/ ships them. */
export function shipped(dist = join(ROOT_DIR, 'dist')): { crossplaneArgs: string[]; argocdEnv: Record<string, string>; listenerCommand: string[]; listenerRbac: object[] } {
  const docs = (f: string) => parseAllDocuments(readFileSync(join(dist, 'bootstrap', f), 'utf8')).map((d) => d.toJS());
  const app = docs('crossplane.yaml').find((o) => o.kind === 'Application');
  const params = docs('argocd-cmd-params-cm.yaml')[0].data as Record<string, string>;
  const listener = docs('listener.yaml');
  return {
    crossplaneArgs: app.spec.source.helm.valuesObject.args,
    argocdEnv: Object.fromEntries(Object.entries(params).map(([k, v]) => [ARGOCD_PARAMS_ENV[k], v])),
    listenerCommand: listener.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].command,
    // Everything but the Deployment: the local cluster has no kubelet and runs the command as a process.
    listenerRbac: listener.filter((o) => o.kind !== 'Deployment'),
  };
}

export function readState(): ClusterState | undefined {
  const f = join(STATE, 'state.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function isUp(): boolean {
  const s = readState();
  return !!s && Object.values(s.pids).every(alive);
}

function sh(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input: opts.input, env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

export function kubectl(args: string[], input?: string): string {
  return sh(tool('kubectl'), ['--kubeconfig', KUBECONFIG, ...args], { input });
}

/**
 * The AWS managed resources an environment's XR composes, listed by the kinds it uses (a few
 * dozen lists; `kubectl get managed` lists every installed managed kind, over 600 here).
 */
export function composedManaged(env: string): any[] {
  const ns = namespaceOf(env);
  const xr = kubectl(['get', `${XR_PLURAL}.${XR_GROUP}`, '-n', ns, env, '-o', 'json', '--ignore-not-found']).trim();
  const refs: { apiVersion: string; kind: string }[] = xr ? JSON.parse(xr).spec?.crossplane?.resourceRefs ?? [] : [];
  const kinds = [...new Set(refs.filter(isAwsManaged).map((r) => `${r.kind.toLowerCase()}.${r.apiVersion.split('/')[0]}`))];
  return kinds.length ? JSON.parse(kubectl(['get', kinds.join(','), '-n', ns, '-o', 'json'])).items.filter(isAwsManaged) : [];
}

export function start(name: string, bin: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const log = openSync(join(LOGS, `${name}.log`), 'a');
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  child.unref();
  return child;
}

export async function waitFor(what: string, probe: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (probe()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000}s (logs in ${LOGS})`);
}

/** Polls probe until it returns a value (not undefined or false); resolves with that value. */
export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 600_000, everyMs = 500): Promise<T> {
  const since = Date.now();
  let last: unknown;
  while (Date.now() - since < timeoutMs) {
    try {
      const v = probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** CA, API server serving cert, service-account keys, mTLS certs for Crossplane and functions. */
function pki(): void {
  if (existsSync(join(PKI, 'ca.crt'))) return;
  mkdirSync(PKI, { recursive: true });
  const o = (...args: string[]) => sh('openssl', args, { cwd: PKI });
  o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=paymentenv-local-ca');
  const leaf = (name: string, cn: string, san: string) => {
    writeFileSync(join(PKI, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\n`);
    o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    o('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '3650', '-extfile', `${name}.ext`);
  };
  leaf('apiserver', 'kube-apiserver', 'DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:10.0.0.1');
  leaf('functions', 'functions', 'DNS:localhost,IP:127.0.0.1');
  leaf('crossplane', 'crossplane', 'DNS:localhost,IP:127.0.0.1');
  o('genrsa', '-out', 'sa.key', '2048');
  o('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  // Directories in the layout Crossplane and the function SDK read (tls.crt, tls.key, ca.crt).
  for (const [dir, name] of [['functions-tls', 'functions'], ['crossplane-tls', 'crossplane']]) {
    mkdirSync(join(PKI, dir), { recursive: true });
    writeFileSync(join(PKI, dir, 'tls.crt'), readFileSync(join(PKI, `${name}.crt`)));
    writeFileSync(join(PKI, dir, 'tls.key'), readFileSync(join(PKI, `${name}.key`)));
    writeFileSync(join(PKI, dir, 'ca.crt'), readFileSync(join(PKI, 'ca.crt')));
  }
}

export function moduleDir(module: string, version: string): string {
  const out = sh('go', ['mod', 'download', '-json', `${module}@${version}`], { env: { ...process.env, GOFLAGS: '-mod=mod' } });
  return JSON.parse(out).Dir;
}

/** A bare git repository of this project's committed HEAD: what Argo CD reads. */
export function pushRepo(gitPort: number): string {
  if (!existsSync(REPO)) {
    sh('git', ['init', '-q', '--bare', REPO]);
    sh('git', ['--git-dir', REPO, 'symbolic-ref', 'HEAD', 'refs/heads/main']);
  }
  sh('git', ['-C', ROOT_DIR, 'push', '-q', '-f', REPO, 'HEAD:refs/heads/main']);
  return cloneURL(REPO, gitPort);
}

/** Argo CD's API server (UI, /api/webhook) of the running local cluster. */
export const argocdServerURL = (s = readState()) => `http://127.0.0.1:${s!.ports.argocdServer}`;

/**
 * dist/argocd objects, pointed at the local repository. Two local differences:
 * the platform app leaves out the Function and Provider packages (functions run
 * as local processes; there is no registry), and the root app is left out: its
 * source would be the real repository, so whoever drives the local cluster
 * (npm run e2e) applies these objects after each commit, as the root app would.
 */
export function localArgoObjects(repoURL: string, distDir = join(ROOT_DIR, 'dist'), profile: Profile = {}): any[] {
  const docs = ['projects.yaml', 'applications.yaml'].flatMap((f) =>
    parseAllDocuments(readFileSync(join(distDir, 'argocd', f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o.metadata.name !== 'paymentenv')
    .filter((o) => o.kind !== 'Application' || !profile.envs || !o.spec.source.path.startsWith('dist/environments/')
      || profile.envs.includes(basename(o.spec.source.path)));
  const objs = JSON.parse(JSON.stringify(docs).replaceAll(ARGOCD.repoURL, repoURL)) as any[];
  for (const o of objs) {
    if (o.kind !== 'Application') continue;
    o.spec.source.targetRevision = 'main';
    if (o.spec.source.path === 'dist/platform') o.spec.source.directory = { exclude: '{functions.yaml,providers.yaml}' };
    else if (profile.providerConfigFromGit === false) o.spec.source.directory = { exclude: 'providerconfig.yaml' };
  }
  return objs;
}

/** Records a process started next to the cluster, so that cluster:down stops it too. */
/** A process's command line and environment, to start it again exactly as it ran (as a pod restarts). */
export function snapshot(pid: number): { argv: string[]; env: Record<string, string> } {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const env = Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return { argv, env };
}

/** CPU seconds a process has used (utime + stime of /proc/<pid>/stat, in USER_HZ = 1/100 s); 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

export function track(name: string, pid: number): void {
  const s = readState();
  if (!s) throw new Error('the local cluster is not up');
  s.pids[name] = pid;
  writeFileSync(join(STATE, 'state.json'), JSON.stringify(s, null, 2));
}

/** Every CRD Established (a new CRD has no conditions for a moment; kubectl wait trips on that). */
export async function crdsEstablished(): Promise<void> {
  await waitFor('CRDs established', () => JSON.parse(kubectl(['get', 'crd', '-o', 'json'])).items
    .every((c: any) => (c.status?.conditions ?? []).some((x: any) => x.type === 'Established' && x.status === 'True')), 120_000);
}

/** Starts the control plane; a failure stops whatever was started, so nothing is left running. */
async function up(profile: Profile = {}): Promise<void> {
  try {
    await startAll(profile);
  } catch (e) {
    await down(true);
    throw e;
  }
}

function kubeconfig(port: number, who: Identity) {
  return {
    apiVersion: 'v1', kind: 'Config', 'current-context': 'paymentenv-local',
    clusters: [{ name: 'paymentenv-local', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority': join(PKI, 'ca.crt') } }],
    users: [{ name: who, user: { token: tokenOf(who) } }],
    contexts: [{ name: 'paymentenv-local', context: { cluster: 'paymentenv-local', user: who } }],
  };
}

/** Each component's identity bound to cluster-admin: the local stand-in for the RBAC its chart installs. */
const IDENTITY_BINDINGS = (['crossplane', 'providers', 'argocd', 'argocdServer', 'kcm'] as const).map((who) => k8s.KubeClusterRoleBinding.manifest({
  metadata: { name: `paymentenv-local-${who}` },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: IDENTITY[who].user }],
}));

/** Metadata of every write to claims, ProviderConfigs and managed resources (audit.k8s.io/v1 Policy). */
function auditPolicy() {
  const groups = [XR_GROUP, 'aws.m.upbound.io', ...providerFamilies().map((f) => `${f}.aws.m.upbound.io`)];
  return {
    apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'],
    rules: [
      { level: 'Metadata', verbs: ['create', 'update', 'patch', 'delete'], resources: groups.map((group) => ({ group })) },
      { level: 'None' },
    ],
  };
}

async function startAll(profile: Profile): Promise<void> {
  if (isUp() && JSON.stringify(readState()!.profile ?? {}) === JSON.stringify(profile)) {
    // Reset the local repository to HEAD and the Argo CD objects to dist/argocd.
    const repoURL = pushRepo(readState()!.ports.git);
    kubectl(['apply', '--server-side', '--force-conflicts', '-n', ARGOCD_NAMESPACE, '-f', '-'], localArgoObjects(repoURL, undefined, profile).map((o) => stringify(o)).join('---\n'));
    step(`already up; local repository reset to HEAD, dist/argocd applied (kubeconfig ${KUBECONFIG}); npm run cluster:down to stop`);
    return;
  }
  if (readState()) step('a cluster with another profile (or partly stopped) is there: stopping it first');
  await down(true);
  mkdirSync(LOGS, { recursive: true });
  step('building pinned tools (reused when present)');
  sh('bash', [join(ROOT_DIR, 'scripts/install-tools.sh'), 'etcd', 'kube', 'crossplane-core', 'functions', 'argocd']);
  if (!existsSync('/usr/bin/redis-server')) {
    step('installing redis-server from Debian');
    sh('apt-get', ['install', '-y', '-q', 'redis-server']);
  }
  pki();
  const names = ['etcd', 'etcdPeer', 'apiserver', 'kcm', 'xpMetrics', 'xpHealth', 'redis', 'repoServer', 'repoMetrics', 'controllerMetrics', 'git', 'argocdServer', 'argocdServerMetrics',
    ...Object.values(FUNCTIONS).map((f) => f.name)];
  const ports: Record<string, number> = {};
  for (const n of names) ports[n] = await freePort();
  const pids: Record<string, number> = {};
  const token = tokenOf('admin');
  const save = (repoURL = '') => writeFileSync(join(STATE, 'state.json'), JSON.stringify({ ports, pids, token, repoURL, startedAt: new Date().toISOString(), profile }, null, 2));

  step(`etcd ${PINS.ETCD_VERSION} on :${ports.etcd}`);
  pids.etcd = start('etcd', tool('etcd'), [
    `--data-dir=${join(STATE, 'etcd')}`, `--listen-client-urls=http://127.0.0.1:${ports.etcd}`, `--advertise-client-urls=http://127.0.0.1:${ports.etcd}`,
    `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${ports.etcdPeer}`, '--unsafe-no-fsync', '--log-level=warn',
  ]).pid!;
  save();
  await waitForPort(ports.etcd, 30_000);

  step(`kube-apiserver ${PINS.KUBERNETES_VERSION} on :${ports.apiserver}`);
  writeFileSync(join(PKI, 'tokens.csv'), Object.entries(IDENTITY)
    .map(([who, id]) => `${tokenOf(who as Identity)},${id.user},${who}-uid,"${id.groups.join(',')}"\n`).join(''));
  writeFileSync(join(PKI, 'audit-policy.yaml'), stringify(auditPolicy()));
  rmSync(AUDIT_LOG, { force: true }); // a fresh cluster, a fresh audit trail
  pids.apiserver = start('kube-apiserver', tool('kube-apiserver'), [
    `--etcd-servers=http://127.0.0.1:${ports.etcd}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${ports.apiserver}`,
    `--tls-cert-file=${join(PKI, 'apiserver.crt')}`, `--tls-private-key-file=${join(PKI, 'apiserver.key')}`, `--client-ca-file=${join(PKI, 'ca.crt')}`,
    `--token-auth-file=${join(PKI, 'tokens.csv')}`, `--cert-dir=${PKI}`,
    '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${join(PKI, 'sa.pub')}`, `--service-account-signing-key-file=${join(PKI, 'sa.key')}`,
    '--service-cluster-ip-range=10.0.0.0/24', '--authorization-mode=RBAC', '--disable-admission-plugins=ServiceAccount', '--allow-privileged=true',
    `--audit-policy-file=${join(PKI, 'audit-policy.yaml')}`, `--audit-log-path=${AUDIT_LOG}`,
  ]).pid!;
  save();
  for (const who of Object.keys(IDENTITY) as Identity[]) writeFileSync(kubeconfigOf(who), stringify(kubeconfig(ports.apiserver, who)));
  await waitFor('kube-apiserver', () => kubectl(['get', '--raw', '/readyz']).trim() === 'ok', 90_000);
  step('identities (cluster-admin each, as their charts grant; the drift listener its own RBAC) and the admission policies dist/bootstrap ships');
  kubectl(['apply', '--server-side', '-f', '-'], IDENTITY_BINDINGS.map((o) => stringify(o)).join('---\n'));
  kubectl(['apply', '--server-side', '-f', join(ROOT_DIR, 'dist', 'bootstrap', 'admission.yaml')]);
  kubectl(['apply', '--server-side', '-f', '-'], shipped().listenerRbac.map((o) => stringify(o)).join('---\n'));

  step('kube-controller-manager (garbage collector, namespace controller, admission policy type checks)');
  pids.kcm = start('kube-controller-manager', tool('kube-controller-manager'), [
    `--kubeconfig=${kubeconfigOf('kcm')}`, '--controllers=garbage-collector-controller,namespace-controller,validatingadmissionpolicy-status-controller', '--leader-elect=false',
    '--use-service-account-credentials=false', `--secure-port=${ports.kcm}`, `--cert-dir=${join(STATE, 'kcm')}`,
  ]).pid!;
  save();

  step(`Crossplane ${PINS.CROSSPLANE_VERSION}: CRDs and init`);
  const xpDir = moduleDir('github.com/crossplane/crossplane/v2', PINS.CROSSPLANE_VERSION);
  kubectl(['create', 'namespace', 'crossplane-system']);
  const xpEnv = { POD_NAMESPACE: SETTINGS.crossplaneNamespace, KUBECONFIG };
  const init = () => sh(tool('crossplane-core'), ['core', 'init', `--cr-ds-path=${join(xpDir, 'cluster', 'crds')}`, '--service-account=crossplane', '--enable-webhooks=false',
    '--tlsca-secret-name=crossplane-root-ca', '--tls-client-secret-name=crossplane-tls-client', '--tls-server-secret-name=crossplane-tls-server'], { env: { ...process.env, ...xpEnv } });
  // init creates CRDs and then objects of them: retry while the new kinds are not yet served.
  await waitFor('crossplane core init', () => { init(); return true; }, 60_000);

  step('composition functions as local processes (mTLS), registered as FunctionRevisions');
  for (const f of Object.values(FUNCTIONS)) {
    const port = ports[f.name];
    pids[f.name] = start(f.name, tool(f.name), [`--address=127.0.0.1:${port}`, `--tls-certs-dir=${join(PKI, 'functions-tls')}`]).pid!;
    await waitForPort(port);
    const rev = `${f.name}-local`;
    kubectl(['apply', '--server-side', '-f', '-'], stringify({
      apiVersion: 'pkg.crossplane.io/v1', kind: 'FunctionRevision',
      metadata: {
        name: rev,
        labels: { 'pkg.crossplane.io/package': f.name },
        // Paused: no package manager acts on it; the function already runs here.
        annotations: { 'crossplane.io/paused': 'true' },
      },
      spec: { desiredState: 'Active', image: f.package, revision: 1 },
    }));
    kubectl(['patch', 'functionrevision', rev, '--subresource=status', '--type=merge', '-p',
      JSON.stringify({ status: { endpoint: `127.0.0.1:${port}`, capabilities: ['composition'] } })]);
  }
  save();

  step('provider-upjet-aws CRDs (no provider runs: managed resources stay unready)');
  kubectl(['apply', '--server-side', '-f', join(ROOT_DIR, '.cache', 'crds', 'provider-aws')]);
  await crdsEstablished();

  step('Crossplane core start (out of cluster, External package runtime)');
  pids.crossplane = start('crossplane', tool('crossplane-core'), [
    'core', 'start', '--enable-webhooks=false', '--package-runtime=External', `--tls-client-certs-dir=${join(PKI, 'crossplane-tls')}`,
    `--metrics-port=${ports.xpMetrics}`, `--health-probe-port=${ports.xpHealth}`,
    // The flags the product ships (dist/bootstrap/crossplane.yaml, the Helm chart's args).
    ...shipped().crossplaneArgs,
    `--xpkg-cache-dir=${join(STATE, 'xpkg-cache')}`, `--xfn-cache-dir=${join(STATE, 'xfn-cache')}`,
  ], { ...xpEnv, KUBECONFIG: kubeconfigOf('crossplane') }).pid!;
  save();
  await waitForPort(ports.xpHealth, 60_000);

  // Before Argo CD shows Crossplane the current Composition: the earlier releases a tier is
  // pinned to (dist/releases), as README step 5 does on a new control plane. As a process:
  // client-node is an ES module that jest, which runs this file in npm run e2e, cannot load.
  const restore = spawnSync(process.execPath, [join(ROOT_DIR, 'bin', 'payenv.js'), 'revisions', '--restore', '--kubeconfig', KUBECONFIG], { encoding: 'utf8' });
  if (restore.status !== 0) throw new Error(`payenv revisions --restore: exit ${restore.status}: ${restore.stderr}${restore.stdout}`);
  step(`payenv revisions --restore: ${restore.stderr.trim().split('\n').join('; ')}`);

  step('Argo CD: CRDs, settings, Redis, repo-server, application controller');
  kubectl(['apply', '--server-side', '-f', join(ROOT_DIR, '.cache', 'crds', 'argocd')]);
  await crdsEstablished();
  kubectl(['create', 'namespace', ARGOCD_NAMESPACE]);
  // As README's step: the pinned release's own argocd-cm (what install.yaml creates: status updates
  // ignored, high-churn kinds excluded), then dist/argocd/argocd-cm.yaml merged into it.
  kubectl(['apply', '--server-side', '-n', ARGOCD_NAMESPACE, '-f', join(moduleDir('github.com/argoproj/argo-cd/v3', PINS.ARGOCD_VERSION), 'manifests', 'base', 'config', 'argocd-cm.yaml')]);
  kubectl(['patch', 'configmap', 'argocd-cm', '-n', ARGOCD_NAMESPACE, '--type', 'merge', '--patch-file', join(ROOT_DIR, 'dist', 'argocd', 'argocd-cm.yaml')]);
  kubectl(['apply', '--server-side', '-f', '-'], stringify({
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: ARGOCD_NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'argocd' } },
    stringData: { 'server.secretkey': 'local-only' },
  }));
  kubectl(['apply', '--server-side', '-f', '-'], stringify({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: ARGOCD_NAMESPACE },
    spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
  }));
  pids.redis = start('redis', '/usr/bin/redis-server', ['--port', String(ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']).pid!;
  await waitForPort(ports.redis);
  // Polling here every 30-35 s (installations: argocd-cm timeout.reconciliation, 120 s + 60 s jitter
  // unset). The one setting feeds the controller's poll and the repo-server's cache of branch -> commit
  // (--revision-cache-expiration, 3 min unset): polls within it still see the old commit.
  const reconciliation = { ARGOCD_RECONCILIATION_TIMEOUT: '30s', ARGOCD_RECONCILIATION_JITTER: '5s' };
  const argoEnv = { ARGOCD_GPG_ENABLED: 'false', ARGOCD_FAKE_IN_CLUSTER: 'true', KUBECONFIG, HOME: STATE, ...reconciliation };
  pids.repoServer = start('argocd-repo-server', tool('argocd'), [
    `--port=${ports.repoServer}`, `--metrics-port=${ports.repoMetrics}`, `--redis=127.0.0.1:${ports.redis}`, '--disable-tls',
  ], { ...argoEnv, ARGOCD_BINARY_NAME: 'argocd-repo-server' }).pid!;
  await waitForPort(ports.repoServer, 60_000);
  pids.controller = start('argocd-application-controller', tool('argocd'), [
    `--kubeconfig=${kubeconfigOf('argocd')}`, `--namespace=${ARGOCD_NAMESPACE}`, `--redis=127.0.0.1:${ports.redis}`,
    `--repo-server=127.0.0.1:${ports.repoServer}`, '--repo-server-plaintext', `--metrics-port=${ports.controllerMetrics}`,
    // KUBECONFIG too: Argo CD applies to its in-cluster destination with the in-cluster config, which
    // ARGOCD_FAKE_IN_CLUSTER takes from KUBECONFIG, not from --kubeconfig.
  ], { ...argoEnv, ...shipped().argocdEnv, KUBECONFIG: kubeconfigOf('argocd'), ARGOCD_BINARY_NAME: 'argocd-application-controller' }).pid!;
  save();

  pids.argocdServer = start('argocd-server', tool('argocd'), [
    `--kubeconfig=${kubeconfigOf('argocdServer')}`, `--namespace=${ARGOCD_NAMESPACE}`, `--redis=127.0.0.1:${ports.redis}`,
    `--repo-server=127.0.0.1:${ports.repoServer}`, '--repo-server-plaintext', '--insecure', '--address=127.0.0.1',
    `--port=${ports.argocdServer}`, `--metrics-port=${ports.argocdServerMetrics}`, `--staticassets=${join(STATE, 'argocd-ui')}`,
  ], { ...argoEnv, KUBECONFIG: kubeconfigOf('argocdServer'), ARGOCD_BINARY_NAME: 'argocd-server' }).pid!;
  save();
  await waitForPort(ports.argocdServer, 60_000);

  step(`local git repository over HTTP (git http-backend) on :${ports.git}, dist/argocd applied; Argo CD's server (webhook) on :${ports.argocdServer}`);
  pids.git = start('githost', process.execPath, [join(ROOT_DIR, 'lib', 'src', 'dev', 'githost.js'), STATE, String(ports.git)]).pid!;
  await waitForPort(ports.git);
  const repoURL = profile.keepRepository && existsSync(REPO) ? cloneURL(REPO, ports.git) : pushRepo(ports.git);
  save(repoURL);
  kubectl(['apply', '--server-side', '-n', ARGOCD_NAMESPACE, '-f', '-'], localArgoObjects(repoURL, undefined, profile).map((o) => stringify(o)).join('---\n'));
  step(`up: export KUBECONFIG=${KUBECONFIG}; kubectl get paymentenvironments -A`);
}

async function down(quiet = false): Promise<void> {
  const s = readState();
  if (!s) {
    if (!quiet) step('nothing to stop');
    return;
  }
  // Stop in reverse start order; each by its pid (and its process group).
  for (const [name, pid] of Object.entries(s.pids).reverse()) {
    if (!alive(pid)) continue;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      process.kill(pid, 'SIGTERM');
    }
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (!quiet) step(`stopped ${name} (pid ${pid})`);
  }
  for (const d of ['state.json', 'etcd', 'xpkg-cache', 'xfn-cache', 'kcm', ...Object.keys(IDENTITY).map((w) => basename(kubeconfigOf(w as Identity)))]) rmSync(join(STATE, d), { recursive: true, force: true });
  if (!quiet) step('down: no process of the cluster is left');
}

if (require.main === module) {
  const cmd = process.argv[2];
  (cmd === 'up' ? up() : cmd === 'down' ? down() : Promise.reject(new Error('usage: cluster.js up|down')))
    .catch((e) => {
      console.error(`cluster ${cmd}: ${(e as Error).message}`);
      process.exit(1);
    });
}

export { up, down };
