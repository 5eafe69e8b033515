// npm run e2e:aws: the AWS-layer proof. The real provider-upjet-aws family
// binaries (built from source by scripts/install-tools.sh) run out of cluster
// against the local control plane and create every tier's resources (dev,
// staging and prod by default) in the local AWS emulator (scripts/emulator.py:
// moto's server behind a front that fixes two documented gaps and counts calls).
// Measured, per tier: Ready/total with the error of each resource that is not;
// the AWS API calls at steady state with the product's poll (writes must be 0);
// changes a person makes by hand (scripts/aws-drift.py) and the time until they
// are back; a commit's journey from git to the AWS resource; then the same with the
// providers on the upstream 10m poll and the drift listener acting on each change's
// CloudTrail event (which the emulator does not emit: scripts/aws-drift.py puts it on
// the emulator's EventBridge, as CloudTrail would), side by side.
// Results: bench/results/e2e-aws.json (the README's tables come from it).
//
// Local stand-ins, said in the results: each environment's ProviderConfig points
// every service at the emulator with static test credentials (its access key is
// the environment's name, so the emulator can tell callers apart; git's uses
// IRSA); the providers get HTTP_PROXY=<emulator> so that S3 Control's account-id
// host prefix (<account>.127.0.0.1) reaches the emulator (Go never proxies
// loopback addresses). Usage: npm run e2e:aws -- [--envs dev,staging,prod]
// [--poll 1m] [--quiet-minutes 10] [--skip-commit] [--skip-compliance] [--skip-events] [--partial] [--debug s3,...]
import { execFile, spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { cpus } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { parse, stringify } from 'yaml';
import { parseArgs, flag } from '../cli/args';
import { apiserverWork, busiestWork } from './apiserver';
import { Call, emulatorCalls as calls } from './calls';
import { cpuSecondsOf, crdsEstablished, down, KUBECONFIG, kubeconfigOf, kubectl, moduleDir, readState, shipped, start, STATE, track, up, waitFor } from './cluster';
import type { DriftReport } from '../ops/drift';
import { commitAndPush, webhook, WORK, workClone } from './git';
import { compliance, prowlerInstalled, regionsOf } from './compliance';
import { freePort, TOOLS_BIN, waitForPort } from '../tools';
import { connect, Connection } from '../ops/kube';
import { inventory } from '../ops/inventory';
import { ADMIN_PROVIDER_CONFIG_NAME, PROVIDER_CONFIG_NAME, providerFamilies, SETTINGS } from '../platform';
import { claimFile } from '../render';
import { BOUNDARY_NAME, boundaryPolicy } from '../bootstrap/iam';
import { RECONCILE_ANNOTATION } from '../composition/resource';
import { namespaceOf } from '../validate';
import { PINS, ROOT_DIR } from '../versions';

const MOTO = join(ROOT_DIR, '.tools', 'moto', 'bin');
const MOTO_VERSION = PINS.MOTO_VERSION;
const RESULTS = join(ROOT_DIR, 'bench', 'results', 'e2e-aws.json');
// Terraform endpoint names of the services the composition uses.
const SERVICES = ['acm', 'apigateway', 'appautoscaling', 'backup', 'cloudwatch', 'dynamodb', 'ec2', 'ecs', 'elbv2', 'events', 'iam', 'kms', 'lambda',
  'logs', 'rds', 'route53', 's3', 's3control', 'secretsmanager', 'sns', 'sqs', 'ssm', 'sts', 'wafv2'];
/** Phase 1's poll, drift found by polling alone: the baseline events are measured against. */
const POLLING_BASELINE = '1m';
/** Phase 2's poll, with the drift listener: what dist/platform/runtime-config.yaml ships. */
const EVENTS_POLL = SETTINGS.pollInterval;

const t0 = Date.now();
const log = (msg: string) => console.log(`[e2e:aws ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = promisify(execFile);

function built(): string[] {
  return readdirSync(TOOLS_BIN).filter((f) => /^provider-aws-[a-z0-9]+$/.test(f)).map((f) => f.replace('provider-aws-', '')).sort();
}

/** What must be built first, as install-tools targets (the first provider family takes ~50-80 min and ~16 GB). */
function missing(partial: boolean, compliance: boolean): string[] {
  const out = partial ? [] : providerFamilies().filter((f) => !built().includes(f)).map((f) => `provider-aws-${f}`);
  if (!existsSync(join(MOTO, 'python')) || !existsSync(join(MOTO, 'moto_server'))) out.push('moto');
  if (compliance && !prowlerInstalled()) out.push('prowler');
  return out;
}

const getJson = (args: string[]) => JSON.parse(kubectl([...args, '-o', 'json']));
const apply = (objs: object[]) => kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], objs.map((o) => stringify(o)).join('---\n'));
const familyOf = (o: any) => o.apiVersion.split('.')[0];
const ns = namespaceOf;

/**
 * The provider's CRDs of these families as Crossplane v2 installs them with what dist/ ships: the
 * packages' own kinds (ProviderConfig, ProviderConfigUsage, ...) and, of the managed kinds, only
 * those the ManagedResourceActivationPolicy activates (dist/platform/activation-policy.yaml; the
 * chart's defaultActivations is empty). All 645 of the 21 families made every list of CRDs (the
 * providers' safe-start gate, Argo CD's OpenAPI reloads) time out on 2 cores.
 */
export function applyProviderCrds(families: string[]): void {
  const dir = join(moduleDir('github.com/upbound/provider-aws/v2', PINS.PROVIDER_AWS_VERSION), 'package', 'crds');
  const policy = parse(readFileSync(join(ROOT_DIR, 'dist', 'platform', 'activation-policy.yaml'), 'utf8'));
  const active = new Set<string>(policy.spec.activate);
  const crdName = (f: string) => f.replace(/\.yaml$/, '').split('_').reverse().join('.');
  const files = readdirSync(dir).filter((f) => f.startsWith('aws.upbound.io_') || f.startsWith('aws.m.upbound.io_')
    || (families.some((fam) => f.startsWith(`${fam}.aws.m.upbound.io_`)) && active.has(crdName(f))));
  for (let i = 0; i < files.length; i += 40) {
    kubectl(['apply', '--server-side', '--force-conflicts', ...files.slice(i, i + 40).flatMap((f) => ['-f', join(dir, f)])]);
  }
  log(`applied ${files.length} provider CRDs`);
}

/**
 * The local stand-in for IRSA: static test credentials (access key = environment) and every service at the emulator.
 * Credentials are validated as the shipped ProviderConfig's are: with skip_credentials_validation provider-aws
 * never asks STS for the account and templates every ARN-shaped Terraform ID with 000000000000
 * (internal/clients/aws.go), so a restarted provider looked for arn:aws:sns:<region>:000000000000:<topic>,
 * was told it does not exist, and created the topic again.
 */
export function emulatorProviderConfig(env: string, endpoint: string): object[] {
  return [
    {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'aws-emulator', namespace: ns(env) },
      stringData: { credentials: `[default]\naws_access_key_id = ${env}\naws_secret_access_key = testing\n` },
    },
    // The environment's and the admin peering's accepter side: one emulated account here.
    ...[PROVIDER_CONFIG_NAME, ADMIN_PROVIDER_CONFIG_NAME].map((name) => ({
      apiVersion: 'aws.m.upbound.io/v1beta1', kind: 'ProviderConfig', metadata: { name, namespace: ns(env) },
      spec: {
        credentials: { source: 'Secret', secretRef: { name: 'aws-emulator', namespace: ns(env), key: 'credentials' } },
        endpoint: { services: SERVICES, hostnameImmutable: true, url: { type: 'Static', static: endpoint } },
        skip_metadata_api_check: true, skip_region_validation: true, s3_use_path_style: true,
      },
    })),
  ];
}

/** Provider restarts after a crash, by family: a Deployment's pod would be restarted the same way. */
const restarts: Record<string, { at: string; log: string }[]> = {};

/**
 * Ports handed to providers so far. A provider binds its webhook port only once its controller
 * manager starts, minutes later on 2 cores; a port free at the time may meanwhile go to the next
 * provider (seen: ec2's webhook port taken by backup's metrics, ec2 restarting forever).
 */
const providerPorts = new Set<number>();
async function distinctFreePort(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (!providerPorts.has(p)) {
      providerPorts.add(p);
      return p;
    }
  }
}

/** Running provider processes, so the events phase can restart them with another poll. */
const providers = new Map<string, { pid: () => number; stopping: boolean; metrics: number }>();

async function stopProviders(): Promise<void> {
  for (const [, p] of providers) {
    p.stopping = true;
    try { process.kill(p.pid(), 'SIGTERM'); } catch { /* gone */ }
  }
  const pids = [...providers.values()].map((p) => p.pid());
  await waitFor('providers stopped', () => pids.every((pid) => { try { process.kill(pid, 0); return false; } catch { return true; } }), 60_000);
  providers.clear();
}

/** One metric's lines from every running provider (controller-runtime's registry); an unreachable one reads as empty. */
async function providerMetricLines(name: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of providers.values()) {
    const text = await fetch(`http://127.0.0.1:${p.metrics}/metrics`).then((r) => r.text(), () => '');
    out.push(...text.split('\n').filter((x) => x.startsWith(`${name}{`) || x.startsWith(`${name} `)));
  }
  return out;
}

/** A sum over every running provider's metrics. */
async function providerMetric(name: string): Promise<number> {
  return (await providerMetricLines(name)).reduce((sum, l) => sum + (Number(l.split(' ').pop()) || 0), 0);
}

/** Reconciles each provider controller completed so far (controller-runtime's reconcile_total, by its controller label). */
async function reconcilesByController(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const l of await providerMetricLines('controller_runtime_reconcile_total')) {
    const name = /controller="([^"]*)"/.exec(l)?.[1] ?? '?';
    out[name] = (out[name] ?? 0) + (Number(l.split(' ').pop()) || 0);
  }
  return out;
}

/**
 * The controllers that reconciled most during a window, per minute. At steady state a kind
 * reconciles about (its resources / the poll); one far above that is requeued by something
 * other than the poll (a watch event: an annotation or spec another writer keeps changing).
 */
function busiestReconciles(before: Record<string, number>, after: Record<string, number>, minutes: number) {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k.replace(/^managed\//, ''), Math.round(((v - (before[k] ?? 0)) / minutes) * 10) / 10] as const)
    .filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 10));
}

/**
 * Managed resources written during a window (resourceVersion changed), with the field managers
 * whose managedFields entry is newer than the window's start: who keeps writing what. Status
 * writes of a reconcile that changed nothing do not bump resourceVersion, so each is a change.
 */
function churn(before: Row[], after: Row[], env: string, since: number) {
  const rv = new Map(before.filter((r) => r.env === env).map((r) => [`${r.kind}/${r.name}`, r.obj.metadata?.resourceVersion]));
  return after.filter((r) => r.env === env && rv.has(`${r.kind}/${r.name}`) && rv.get(`${r.kind}/${r.name}`) !== r.obj.metadata?.resourceVersion)
    .map((r) => ({
      kind: r.kind, name: r.name,
      writers: (r.obj.metadata?.managedFields ?? []).filter((m: any) => Date.parse(m.time) >= since - 1000)
        .map((m: any) => `${m.manager} ${m.operation}${m.subresource ? `/${m.subresource}` : ''}`),
    }));
}

/**
 * After a restart every managed resource is observed once; a poll's window starts after that
 * pass: as many reconciles as managed resources, and (nearly) nothing queued for 30 s (the next observes
 * wait for the poll). Rate-limited requests wait outside the queue's depth, hence both.
 */
async function firstPassDone(managedCount: number, timeoutMs: number): Promise<number> {
  const since = Date.now();
  let idle = 0;
  while (Date.now() - since < timeoutMs && idle < 6) {
    const observed = await providerMetric('controller_runtime_reconcile_total');
    // <= 2: a resource reconciled in a loop passes through its queue all the time.
    idle = observed >= managedCount && (await providerMetric('workqueue_depth')) <= 2 ? idle + 1 : 0;
    await sleep(5000);
  }
  return Date.now() - since;
}

async function startProvider(family: string, endpoint: string, poll: string, debug = false): Promise<void> {
  const [webhook, metrics, health] = [await distinctFreePort(), await distinctFreePort(), await distinctFreePort()];
  const name = `provider-aws-${family}`;
  // AWS_ENDPOINT_URL_STS: the AWS SDK's own STS client (a ProviderConfig's assumeRoleChain) does not
  // take the ProviderConfig's endpoints; without it AssumeRole went to sts.us-east-1.amazonaws.com.
  const launch = () => start(name, join(TOOLS_BIN, name), [
    `--poll=${poll}`, '--enable-management-policies', `--certs-dir=${join(STATE, 'pki', 'crossplane-tls')}`, `--webhook-port=${webhook}`,
    `--metrics-bind-address=127.0.0.1:${metrics}`, `--health-probe-bind-addr=127.0.0.1:${health}`, ...(debug ? ['--debug'] : []),
  ], { KUBECONFIG: kubeconfigOf('providers'), HTTP_PROXY: endpoint, http_proxy: endpoint, HTTPS_PROXY: '', NO_PROXY: '', AWS_ENDPOINT_URL_STS: endpoint });
  const lastLines = () => readFileSync(join(STATE, 'logs', `${name}.log`), 'utf8').trim().split('\n').slice(-3).join(' | ');
  const child = launch();
  track(name, child.pid!);
  const handle = { pid: () => child.pid!, stopping: false, metrics };
  providers.set(family, handle);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${lastLines()}`))));
  await Promise.race([waitForPort(health, 120_000), exited]);
  // Once it served: a crash restarts it, and the run records it (upstream provider-upjet-aws#1840:
  // "panic: can't register duplicate path: /convert" when gated controllers start together).
  const supervise = (c: ReturnType<typeof launch>) => c.once('exit', (code) => {
    if (handle.stopping) return;
    const log = lastLines().slice(0, 300);
    (restarts[family] ??= []).push({ at: new Date().toISOString(), log });
    console.log(`${name} exited (${code}), restarting: ${log}`);
    const next = launch();
    track(name, next.pid!);
    handle.pid = () => next.pid!;
    supervise(next);
  });
  exited.catch(() => undefined);
  supervise(child);
}

interface Row { env: string; kind: string; family: string; name: string; ready: boolean; message?: string; obj: any }

/** The environments' managed resources, read as `payenv status` reads them. */
async function managed(c: Connection, envs: string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const env of envs) {
    const [inv] = await inventory(c, env).catch(() => []);
    for (const r of inv?.resources ?? []) {
      if (!r.obj.apiVersion.includes('.aws.m.upbound.io/')) continue;
      rows.push({ env, kind: r.obj.kind, family: familyOf(r.obj), name: r.name, ready: r.ready === 'True', message: r.reason, obj: r.obj });
    }
  }
  return rows;
}


/** scripts/aws-drift.py (boto3, as a person would) against the emulator; its stdout, trimmed. */
const awsDrift = async (endpoint: string, ...args: string[]) =>
  (await run(join(MOTO, 'python'), [join(ROOT_DIR, 'scripts', 'aws-drift.py'), endpoint, ...args])).stdout.trim();

/** A change by hand in "AWS", timed until it is back (scripts/aws-drift.py). */
interface Change { env: string; what: string; change: string; id: string }

/** One environment's managed resource by kind and composition name, as the last read saw it. */
const objOf = (rows: Row[], env: string, kind: string, name: string) => rows.find((r) => r.env === env && r.kind === kind && r.name === name)?.obj;

function changesFor(env: string, rows: Row[]): Change[] {
  const one = (kind: string, name: string) => objOf(rows, env, kind, name);
  const ext = (o: any) => o?.metadata?.annotations?.['crossplane.io/external-name'];
  const list: [string, string, () => string | undefined][] = [
    ['bucket versioning suspended', 'versioning', () => ext(one('Bucket', 'audit-bucket'))],
    ['bucket public access block deleted', 'public-access', () => ext(one('Bucket', 'audit-bucket'))],
    ['queue retention set to 60 s', 'retention', () => one('Queue', 'queue')?.status?.atProvider?.url],
    ['queue redrive policy removed', 'redrive', () => one('Queue', 'queue')?.status?.atProvider?.url],
    ['DynamoDB table deleted', 'table', () => ext(one('Table', 'table-sessions'))],
    ['DynamoDB PITR turned off', 'pitr', () => ext(one('Table', 'table-transactions'))],
    ['KMS key rotation disabled', 'rotation', () => one('Key', 'kms-key')?.status?.atProvider?.keyId],
    ['ALB security group 443 rule revoked', 'sg-rule', () => { const g = one('SecurityGroup', 'sg-alb')?.status?.atProvider?.id; return g && `${g}:443`; }],
    ['Lambda reserved concurrency set to 1', 'concurrency', () => ext(one('Function', 'lambda'))],
    ['Aurora backup retention set to 35 days', 'backups', () => ext(one('Cluster', 'db-cluster'))],
    ['task role inline policy widened (s3:* on *)', 'role-policy', () => `${env}-app-task:${ext(one('RolePolicy', 'role-app-task-policy'))}`],
    ['log group retention set to 1 day', 'log-retention', () => ext(one('Group', 'logs-api'))],
    ['SSM parameter overwritten', 'parameter', () => ext(one('Parameter', 'param-queue-url'))],
    ['WAF association removed from the ALB', 'waf', () => one('WebACLAssociation', 'waf-alb') && one('LB', 'alb')?.status?.atProvider?.arn],
    ['S3 replication configuration deleted', 'replication', () => one('BucketReplicationConfiguration', 'audit-bucket-replication') && ext(one('Bucket', 'audit-bucket'))],
  ];
  return list.flatMap(([what, change, id]) => {
    const v = id();
    return v ? [{ env, what, change, id: v }] : [];
  });
}

async function inject(endpoint: string, c: Change, timeoutS: number, event = false): Promise<any> {
  try {
    return { ...c, ...JSON.parse(await awsDrift(endpoint, 'inject', c.change, c.id, String(timeoutS), ...(event ? ['--event'] : []))) };
  } catch (e) {
    return { ...c, restoredMs: null, error: (e as Error).message.split('\n').slice(-3).join(' ') };
  }
}

/**
 * The events phase (issue: drift corrected by AWS change events): the providers restarted on the
 * upstream poll (10m), the drift listener started as dist/bootstrap/listener.yaml runs it (its
 * command, identity and RBAC); then the same steady-state window, the same hand changes with the
 * CloudTrail event AWS would emit for each, and changes to what nothing manages.
 */
async function eventsPhase(endpoint: string, envs: string[], families: string[], rows: Row[], quietMinutes: number, debug: string[], commit: boolean) {
  log(`events: providers restarted with --poll=${EVENTS_POLL}, drift listener started`);
  await stopProviders();
  for (const f of families) await startProvider(f, endpoint, EVENTS_POLL, debug.includes(f));
  const { listenerCommand } = shipped();
  const metricsPort = await distinctFreePort();
  const [node, script, ...args] = listenerCommand;
  if (node !== 'node') throw new Error(`dist/bootstrap/listener.yaml: expected a node command, got ${listenerCommand.join(' ')}`);
  track('drift-listener', start('drift-listener', process.execPath, [join(ROOT_DIR, script), ...args.filter((a) => !a.startsWith('--metrics-port')),
    `--metrics-port=${metricsPort}`, `--kubeconfig=${kubeconfigOf('listener')}`],
  // The listener assumes each environment's listener role (as shipped); the emulator's STS answers.
  { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'listener', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' }).pid!);
  const metrics = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const listenerLog = () => readFileSync(join(STATE, 'logs', 'drift-listener.log'), 'utf8');
  await waitFor('the drift listener reading every environment\'s queue', () => envs.every((e) => listenerLog().includes(`reading ${e} `)), 180_000);

  // Steady state on the slow poll: after the restart's first pass, one window at least one poll long.
  const firstPassMs = await firstPassDone(rows.filter((r) => families.includes(r.family)).length, 6 * 60_000);
  log(`events: the providers' first pass after the restart took ${(firstPassMs / 1000).toFixed(0)} s`);
  // After a restart every resource's next poll falls in the same stretch: a window shorter than
  // the poll would catch few of them, so it is at least one poll long.
  const windowMinutes = Math.max(quietMinutes, Number(EVENTS_POLL.replace(/m$/, '')) || quietMinutes);
  const conn = connect({ kubeconfig: KUBECONFIG });
  const beforeQuiet = await managed(conn, envs);
  const reconcilesBefore = await reconcilesByController();
  const cpuBefore = cpuByComponent();
  const apiBefore = apiserverWork();
  const windowStart = Date.now();
  await calls(endpoint, true);
  await sleep(windowMinutes * 60_000);
  const cpuSecondsPerMinute = cpuPerMinute(cpuBefore, cpuByComponent(), windowMinutes);
  const apiserver = busiestWork(apiBefore, apiserverWork(), windowMinutes * 60);
  const quiet = await calls(endpoint);
  const afterQuiet = await managed(conn, envs);
  const reconcilesPerMinute = busiestReconciles(reconcilesBefore, await reconcilesByController(), windowMinutes);
  const listenerCalls = quiet.filter((c) => !envs.includes(c.caller));

  const one = (env: string, kind: string, name: string) => objOf(rows, env, kind, name);
  log('events: changing AWS by hand, with the CloudTrail event of each change');
  const changes = envs.flatMap((e) => changesFor(e, rows));
  const drift = await Promise.all(changes.map((c) => inject(endpoint, c, 180, true)));

  // A scale-out as Application Auto Scaling makes it (its service-linked role, with the event):
  // the desired count is set at creation only, so neither the listener's event nor a forced
  // reconcile puts it back (issue #35).
  log('events: scaling each ECS service out as Application Auto Scaling would');
  const scaleOut = await Promise.all(envs.map(async (env) => {
    const svc = one(env, 'Service', 'ecs-service');
    const pending = awsDrift(endpoint, 'scale-out', `payment-cluster-${env}`, `payment-api-${env}`, '4', '90');
    await sleep(5_000);
    if (svc) kubectl(['annotate', '--overwrite', '-n', ns(env), `services.ecs.aws.m.upbound.io/${svc.metadata.name}`, `${RECONCILE_ANNOTATION}=${new Date().toISOString()}`]);
    return { env, ...JSON.parse(await pending) };
  }));

  log('events: changing what nothing manages');
  const unmanaged: any[] = [];
  for (const env of envs) {
    const cases: [string, string | undefined][] = [
      ['sg-rule-added', one(env, 'SecurityGroup', 'sg-app')?.status?.atProvider?.id],
      ['policy-attached', one(env, 'Role', 'role-app-task')?.metadata?.annotations?.['crossplane.io/external-name']],
      ['tagged-resource', `${env}:${one(env, 'VPC', 'vpc')?.status?.atProvider?.id}`],
    ];
    for (const [kind, id] of cases) {
      if (!id || id.endsWith(':undefined')) continue;
      unmanaged.push({ env, ...JSON.parse(await awsDrift(endpoint, 'unmanaged', kind, id, '--event')) });
    }
  }
  // payenv drift reports each as an unmanaged change, and exits 2.
  await sleep(30_000);
  const payenvDrift = spawnSync(process.execPath, [join(ROOT_DIR, 'bin', 'payenv.js'), 'drift', '--since', '1', '-o', 'json', '--kubeconfig', KUBECONFIG], { encoding: 'utf8' });
  const reports: DriftReport[] = JSON.parse(payenvDrift.stdout);
  for (const u of unmanaged) {
    const r = reports.find((x) => x.environment === u.env)!;
    u.reportedByPayenvDrift = u.created.every((id: string) => r.unmanagedChanges.some((c) => c.message.includes(id)));
  }
  // The commit journey again with the providers as shipped (--poll=10m, the listener running).
  const commitToAwsAtShippedPoll = commit ? { poll: EVENTS_POLL, ...(await commitToAws(endpoint, 'dev', true, 'e2e-webhook-shipped-poll')) } : null;
  return {
    poll: EVENTS_POLL,
    firstPassMs,
    commitToAws: commitToAwsAtShippedPoll,
    steadyState: Object.fromEntries(envs.map((e) => [e, { ...steadyState(quiet, e, windowMinutes), specRewrites: specRewrites(beforeQuiet, afterQuiet, e), written: churn(beforeQuiet, afterQuiet, e, windowStart) }])),
    reconcilesPerMinute,
    cpuSecondsPerMinute,
    apiserver,
    listenerCallsPerMinute: Math.round((listenerCalls.reduce((a, c) => a + c.count, 0) / windowMinutes) * 10) / 10,
    listenerCallsByOperation: Object.fromEntries(listenerCalls.map((c) => [`${c.service} ${c.operation}`, c.count])),
    drift,
    scaleOut,
    unmanaged,
    payenvDrift: { exit: payenvDrift.status, summary: reports.map((r) => ({ environment: r.environment, ...r.counts })) },
    // The listener's own series (not HELP/TYPE, process metrics or histogram buckets).
    listenerMetrics: (await metrics()).trim().split('\n').filter((l) => l.startsWith('paymentenv_drift_listener_') && !l.includes('_bucket')),
  };
}

/** CPU seconds used so far by each component of the control plane (the providers and the functions summed). */
function cpuByComponent(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(readState()?.pids ?? {})) {
    const c = name.startsWith('provider-aws-') ? 'providers' : name.startsWith('function-') ? 'functions' : name;
    out[c] = (out[c] ?? 0) + cpuSecondsOf(pid);
  }
  return out;
}

/** CPU seconds per minute of each component between two cpuByComponent() readings, and of the control plane as a whole. */
function cpuPerMinute(before: Record<string, number>, after: Record<string, number>, minutes: number): Record<string, number> {
  const rate = Object.entries(after).map(([c, v]) => [c, Math.round(((v - (before[c] ?? 0)) / minutes) * 10) / 10] as const).sort((a, b) => b[1] - a[1]);
  // The emulator stands in for AWS: listed, not part of the control plane's total.
  return { controlPlane: Math.round(rate.filter(([c]) => c !== 'emulator').reduce((a, [, v]) => a + v, 0) * 10) / 10, ...Object.fromEntries(rate) };
}

/** Per tier: Ready/total, the resources that are not with their error, by family. */
function readiness(rows: Row[], env: string, families: string[]) {
  const mine = rows.filter((r) => r.env === env);
  const running = mine.filter((r) => families.includes(r.family));
  const byFamily: Record<string, { ready: number; total: number }> = {};
  for (const r of running) {
    byFamily[r.family] ??= { ready: 0, total: 0 };
    byFamily[r.family].total++;
    if (r.ready) byFamily[r.family].ready++;
  }
  return {
    ready: running.filter((r) => r.ready).length,
    total: mine.length,
    byFamily,
    notReady: running.filter((r) => !r.ready).map((r) => ({ kind: r.kind, name: r.name, error: r.message ?? '' })),
    composedWithoutProvider: mine.filter((r) => !families.includes(r.family)).map((r) => `${r.family}/${r.kind}/${r.name}`),
  };
}

/**
 * Managed resources whose spec was rewritten during a window (metadata.generation grew): at steady
 * state only a fight does that, e.g. Crossplane re-applying an atomic list the provider
 * late-initialized into (each rewrite is a reconcile, and AWS reads, that no poll asked for).
 */
function specRewrites(before: Row[], after: Row[], env: string) {
  const gen = (r: Row) => Number(r.obj.metadata?.generation ?? 0);
  const was = new Map(before.filter((r) => r.env === env).map((r) => [`${r.kind}/${r.name}`, gen(r)]));
  return after.filter((r) => r.env === env && was.has(`${r.kind}/${r.name}`) && gen(r) > was.get(`${r.kind}/${r.name}`)!)
    .map((r) => ({ kind: r.kind, name: r.name, generations: gen(r) - was.get(`${r.kind}/${r.name}`)! }))
    .sort((a, b) => b.generations - a.generations);
}

/** What a steady-state window should not hold: AWS writes and spec rewrites, one line each. */
function printUnsteady(q: { writes: { service: string; operation: string; count: number }[]; specRewrites: { kind: string; name: string; generations: number }[]; written: { kind: string; name: string; writers: string[] }[] }, indent: string, which: string) {
  for (const w of q.writes) console.log(`${indent}WRITE at steady state${which}: ${w.service} ${w.operation} x${w.count}`);
  for (const w of q.specRewrites) console.log(`${indent}SPEC REWRITTEN at steady state${which}: ${w.kind} ${w.name} x${w.generations}`);
  for (const w of q.written.slice(0, 10)) console.log(`${indent}OBJECT WRITTEN at steady state${which}: ${w.kind} ${w.name} by ${w.writers.join(', ') || '?'}`);
}

/** The calls of one caller over `minutes`: writes by operation, reads per minute by service. */
function steadyState(all: Call[], env: string, minutes: number) {
  const mine = all.filter((c) => c.caller === env);
  const reads: Record<string, number> = {};
  for (const c of mine.filter((x) => x.kind === 'read')) reads[c.service] = (reads[c.service] ?? 0) + c.count;
  const perMinute = Object.fromEntries(Object.entries(reads).sort().map(([s, n]) => [s, Math.round((n / minutes) * 10) / 10]));
  // AWS throttles many services per API (EC2: a token bucket per action), so the busiest operations count.
  const byOperation = mine.filter((x) => x.kind === 'read').map((c) => [`${c.service} ${c.operation}`, Math.round((c.count / minutes) * 10) / 10] as const)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 15);
  return {
    minutes,
    writes: mine.filter((c) => c.kind === 'write').map(({ service, operation, count }) => ({ service, operation, count })),
    readsPerMinuteByService: perMinute,
    busiestReadsPerMinute: Object.fromEntries(byOperation),
    readsPerMinute: Math.round((Object.values(reads).reduce((a, b) => a + b, 0) / minutes) * 10) / 10,
  };
}

/**
 * A commit to environments/<env>.yaml changing appImage, timed until the emulator holds the new
 * image where it runs: the Lambda function (updated in place) and the ECS service (a new task
 * definition revision in the free slot, then the service updated to it: src/composition/compute.ts).
 */
async function commitToAws(endpoint: string, env: string, trigger: boolean, tag: string) {
  const file = join(WORK, 'environments', `${env}.yaml`);
  const doc = parse(readFileSync(file, 'utf8'));
  const image = `111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:${tag}`;
  doc.spec.appImage = image;
  writeFileSync(file, stringify(doc));
  await calls(endpoint, true);
  const committed = commitAndPush(`${env}: appImage ${tag}`);
  if (trigger) await webhook();
  const targets = [
    {
      resource: `Lambda payment-processor-${env} imageUri`,
      managed: () => getJson(['get', 'functions.lambda.aws.m.upbound.io', '-n', ns(env)]).items.some((f: any) => f.spec?.forProvider?.imageUri === image),
      inAws: () => awsDrift(endpoint, 'function-image', `payment-processor-${env}`),
    },
    {
      resource: `ECS service payment-api-${env}: image of the task definition it runs`,
      managed: () => getJson(['get', 'taskdefinitions.ecs.aws.m.upbound.io', '-n', ns(env)]).items
        .some((t: any) => (t.spec?.forProvider?.containerDefinitions ?? '').includes(`"${image}"`)),
      inAws: () => awsDrift(endpoint, 'service-image', `payment-cluster-${env}`, `payment-api-${env}`),
    },
  ];
  const at = targets.map(() => ({} as Record<string, number>));
  const deadline = committed + 10 * 60_000;
  let claimAt: number | undefined;
  while (Date.now() < deadline && at.some((a) => !a.aws)) {
    if (!claimAt && getJson(['get', 'paymentenvironment', '-n', ns(env), env]).spec.appImage === image) claimAt = Date.now() - committed;
    for (const [i, t] of targets.entries()) {
      if (!claimAt || at[i].aws) continue;
      at[i].argocd ??= claimAt;
      if (!at[i].crossplane && t.managed()) at[i].crossplane = Date.now() - committed;
      if (at[i].crossplane && (await t.inAws()) === image) at[i].aws = Date.now() - committed;
    }
    await sleep(250);
  }
  // What the commit cost in AWS calls: the image's own updates, and the ConfigHash tag every composed
  // resource carries moving (issue #36 "quiet plans"): one tag call per resource, each a CloudTrail
  // event the drift listener ignores as Crossplane's. Counted once the re-tagging has settled.
  await sleep(120_000);
  const writes = (await calls(endpoint)).filter((c) => c.caller === env && c.kind === 'write');
  const tagging = writes.filter((c) => /tag/i.test(c.operation) || /\/tags/.test(c.operation));
  return {
    trigger: trigger ? 'git webhook (GitHub push event to argocd-server /api/webhook)' : 'polling only',
    image,
    writesAfterCommit: { total: writes.reduce((n, c) => n + c.count, 0), tagging: tagging.reduce((n, c) => n + c.count, 0),
      byOperation: Object.fromEntries(writes.map((c) => [`${c.service} ${c.operation}`, c.count])) },
    resources: targets.map((t, i) => ({
      resource: t.resource,
      msToClaimUpdated: at[i].argocd ?? null,
      msToManagedResourceUpdated: at[i].crossplane ?? null,
      msToAws: at[i].aws ?? null,
      shares: at[i].aws ? { argocd: at[i].argocd, crossplane: at[i].crossplane - at[i].argocd, provider: at[i].aws - at[i].crossplane } : null,
    })),
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['envs', 'poll', 'quiet-minutes', 'debug']);
  // --debug s3,ec2: those families log every observation's diff (.state/cluster/logs/provider-aws-<family>.log).
  const debug = (flag(args, 'debug') || '').split(',').filter(Boolean);
  const envs = (flag(args, 'envs') || 'dev,staging,prod').split(',');
  const poll = flag(args, 'poll') || POLLING_BASELINE;
  const quietMinutes = Number(flag(args, 'quiet-minutes') || '10');
  // --partial: run with the families built so far (the others' resources stay unready; for debugging).
  const m = missing(args.flags.has('partial'), !args.flags.has('skip-compliance'));
  if (m.length) {
    log(`building what is missing: ${m.join(' ')} (the first provider family takes ~50-80 min and ~16 GB)`);
    const r = spawnSync('bash', [join(ROOT_DIR, 'scripts', 'install-tools.sh'), ...m], { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`e2e:aws: bash scripts/install-tools.sh ${m.join(' ')} failed (exit ${r.status})`);
      return 1;
    }
  }
  const families = built();
  log(`envs ${envs.join(', ')}; poll ${poll}; families built: ${families.join(', ')}`);
  const timings: Record<string, number> = {};

  // Always a fresh cluster: the emulator starts empty, so live resources from a
  // previous run would point at AWS objects that no longer exist.
  log('stopping any running local cluster');
  await down(true);
  let t = Date.now();
  await up({ envs, providerConfigFromGit: false });
  timings.clusterUp = Date.now() - t;

  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  track('emulator', start('emulator', join(MOTO, 'python'), [join(ROOT_DIR, 'scripts', 'emulator.py'), '127.0.0.1', String(port)],
    { MOTO_ACCOUNT_ID: SETTINGS.awsAccountId }).pid!);
  await waitForPort(port, 60_000);
  log(`emulator ${endpoint} (moto ${MOTO_VERSION}, account ${SETTINGS.awsAccountId})`);
  // What exists in AWS before an environment does: the IAM bootstrap's workload boundary (the
  // Composition's roles name it; AWS refuses a role whose boundary does not exist) and the admin
  // VPC a claim peers with (adminPeering).
  for (const env of envs) {
    const doc = join(STATE, `boundary-${env}.json`);
    writeFileSync(doc, JSON.stringify(boundaryPolicy()));
    log(`${env}: workload boundary ${await awsDrift(endpoint, 'create-policy', BOUNDARY_NAME(env), doc)} (dist/bootstrap/iam-environment.yaml)`);
  }
  // The account stack (dist/bootstrap/aws-account.yaml) in every region an environment uses: API
  // Gateway refuses a stage that logs until the Region's account setting names its CloudWatch role.
  const regions = [...new Set(envs.map((env) => parse(readFileSync(claimFile(env), 'utf8')).spec.region as string))].sort();
  for (const region of regions) log(`${region}: API Gateway CloudWatch role ${await awsDrift(endpoint, 'account-bootstrap', region)} (dist/bootstrap/aws-account.yaml)`);
  // The team's public hosted zones (SETTINGS.dnsZones), with the ids the settings name.
  for (const [name, id] of Object.entries(SETTINGS.dnsZones)) {
    await fetch(`${endpoint}/_emulator/hosted-zone`, { method: 'POST', body: JSON.stringify({ id, name, account: SETTINGS.awsAccountId }) });
    log(`hosted zone ${name} (${id}) seeded in the emulator`);
  }
  for (const env of envs) {
    const claim = parse(readFileSync(claimFile(env), 'utf8'));
    const peer = claim.spec.adminPeering;
    if (!peer) continue;
    await fetch(`${endpoint}/_emulator/vpc`, {
      method: 'POST', body: JSON.stringify({ id: peer.vpcId, cidr: peer.cidr, region: claim.spec.region, account: SETTINGS.awsAccountId }),
    });
    log(`${env}: admin VPC ${peer.vpcId} (${peer.cidr}) seeded in the emulator`);
  }

  // Every family's CRDs, built or not (--partial): the XR composes everything; what has no provider stays unready.
  applyProviderCrds(providerFamilies());
  await crdsEstablished();
  for (const env of envs) {
    await waitFor(`namespace ${ns(env)} from Argo CD`, () => !!kubectl(['get', 'namespace', ns(env), '-o', 'name']), 300_000);
    apply(emulatorProviderConfig(env, endpoint));
  }

  t = Date.now();
  for (const f of families) await startProvider(f, endpoint, poll, debug.includes(f));
  timings.providersStarted = Date.now() - t;
  log(`providers running: ${families.join(', ')}`);

  const conn = connect({ kubeconfig: KUBECONFIG });
  // Settled: every managed resource Ready, or the Ready set unchanged for three polls.
  t = Date.now();
  const firstAllReady: Record<string, number> = {};
  let last = '';
  let stableSince = Date.now();
  let rows: Row[] = [];
  const pollMs = /^(\d+)s$/.test(poll) ? Number(poll.slice(0, -1)) * 1000 : Number(poll.replace(/m$/, '')) * 60_000;
  while (Date.now() - t < 40 * 60_000) {
    rows = await managed(conn, envs);
    for (const env of envs) {
      const mine = rows.filter((r) => r.env === env);
      if (mine.length && mine.every((r) => r.ready) && !(env in firstAllReady)) firstAllReady[env] = Date.now() - t;
    }
    const key = JSON.stringify(rows.map((r) => [r.env, r.kind, r.name, r.ready]));
    if (key !== last) {
      last = key;
      stableSince = Date.now();
      log(envs.map((e) => `${e} ${rows.filter((r) => r.env === e && r.ready).length}/${rows.filter((r) => r.env === e).length}`).join(', '));
    }
    // Providers take minutes to start on 2 cores: "unchanged" counts only once each tier has something Ready.
    const started = envs.every((e) => rows.some((r) => r.env === e && r.ready));
    if (envs.every((e) => e in firstAllReady) || (started && Date.now() - stableSince > Math.max(3 * pollMs, 300_000))) break;
    await sleep(2000);
  }
  timings.settled = Date.now() - t;

  // Quiet at steady state: what the providers call in AWS while nothing changes.
  log(`counting the emulator's calls for ${quietMinutes} min of steady state`);
  const beforeQuiet = await managed(conn, envs);
  const reconcilesBefore = await reconcilesByController();
  const quietStart = Date.now();
  // Every call the environments' providers made to bring them up: what the deployer role must allow
  // on a real account (test/replay.test.ts replays them against dist/bootstrap/iam-environment.yaml).
  const toConverge = (await calls(endpoint, true)).filter((c) => envs.includes(c.caller));
  const cpuBefore = cpuByComponent();
  const apiBefore = apiserverWork();
  await sleep(quietMinutes * 60_000);
  const cpuSecondsPerMinute = cpuPerMinute(cpuBefore, cpuByComponent(), quietMinutes);
  const apiserver = busiestWork(apiBefore, apiserverWork(), quietMinutes * 60);
  const quiet = await calls(endpoint);
  rows = await managed(conn, envs);
  const reconcilesPerMinute = busiestReconciles(reconcilesBefore, await reconcilesByController(), quietMinutes);

  const table = kubectl(['get', 'paymentenvironments', '-A']);
  const xrStatus = Object.fromEntries(envs.map((e) => [e, getJson(['get', 'paymentenvironment', '-n', ns(e), e]).status]));

  // An independent scanner on each converged tier (bench/results/compliance.json), when Prowler is installed.
  if (prowlerInstalled() && !args.flags.has('skip-compliance')) {
    log('Prowler: PCI DSS 4.0 and AWS FSBP on each tier');
    await compliance(endpoint, envs.map((env) => ({ env, regions: regionsOf(env) })));
  }

  // A person changes AWS by hand; the providers put it back on their next poll.
  log('changing AWS by hand');
  const changes = envs.flatMap((e) => changesFor(e, rows));
  const drift = await Promise.all(changes.map((c) => inject(endpoint, c, Math.max(300, (3 * pollMs) / 1000))));

  // The user's journey: a commit to environments/dev.yaml until the emulator holds the new image.
  const journey: any[] = [];
  if (!args.flags.has('skip-commit') && envs.includes('dev')) {
    log('commit -> AWS');
    workClone();
    journey.push(await commitToAws(endpoint, 'dev', true, 'e2e-webhook'));
    journey.push(await commitToAws(endpoint, 'dev', false, 'e2e-polling'));
  }

  // Drift by events, side by side with polling, in the same run.
  // A failure here is recorded with phase 1's results, not lost with them.
  const events = args.flags.has('skip-events') ? null : await eventsPhase(endpoint, envs, families, rows, quietMinutes, debug, !args.flags.has('skip-commit') && envs.includes('dev'))
    .catch((e) => ({ error: (e as Error).stack ?? String(e) }) as any);

  const tiers = Object.fromEntries(envs.map((e) => [e, {
    ...readiness(rows, e, families),
    msUntilAllReady: firstAllReady[e] ?? null,
    steadyState: { ...steadyState(quiet, e, quietMinutes), specRewrites: specRewrites(beforeQuiet, rows, e), written: churn(beforeQuiet, rows, e, quietStart) },
    drift: drift.filter((d) => d.env === e).map(({ env: _e, ...d }) => d),
  }]));
  const result = {
    when: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    versions: { providerAws: `${PINS.PROVIDER_AWS_VERSION} + scripts/patches/upjet-*.patch`, crossplane: PINS.CROSSPLANE_VERSION, moto: MOTO_VERSION },
    setup: { envs, poll, quietMinutes, familiesRunning: families, endpointServices: SERVICES, account: SETTINGS.awsAccountId },
    timingsMs: timings,
    reconcilesPerMinute,
    cpuSecondsPerMinute,
    apiserver,
    providerRestarts: restarts,
    tiers,
    commitToAws: journey,
    events,
    xrStatus,
    getPaymentEnvironments: table,
    callsToConverge: toConverge,
  };
  mkdirSync(join(ROOT_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);

  console.log(table);
  console.log(`reconciles per minute at steady state (poll ${poll}): ${JSON.stringify(reconcilesPerMinute)}`);
  console.log(`CPU seconds per minute at steady state (poll ${poll}): ${JSON.stringify(cpuSecondsPerMinute)}`);
  for (const [env, r] of Object.entries(tiers)) {
    console.log(`${env}: ${r.ready}/${r.total} Ready; steady state: ${r.steadyState.writes.length} write operations, ${r.steadyState.readsPerMinute} reads/min`);
    for (const n of r.notReady) console.log(`  NOT READY ${n.kind} ${n.name}: ${n.error}`);
    printUnsteady(r.steadyState, '  ', '');
    for (const d of r.drift) console.log(`  ${d.what.padEnd(44)} ${d.restoredMs != null ? `${(d.restoredMs / 1000).toFixed(1)} s${d.restoredBeforeRead ? ` (put back before the first read, by ${d.restoredBeforeRead.join(', ')})` : ''}` : d.refusedByAws ? `refused by AWS (${d.refusedByAws})` : `NOT RESTORED ${d.error ?? `(${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)})`}`}`);
  }
  if (events?.error) console.error(`events phase failed: ${events.error}`);
  if (events && !events.error) {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const restored = (ds: any[]) => ds.filter((d) => d.restoredMs != null).map((d) => d.restoredMs);
    console.log(`drift restore, median: poll ${poll} ${(median(restored(drift)) / 1000).toFixed(1)} s; events + poll ${events.poll} ${(median(restored(events.drift)) / 1000).toFixed(1)} s`);
    for (const e of envs) {
      const q = events.steadyState[e];
      console.log(`  ${e}: reads/min poll ${poll} ${tiers[e].steadyState.readsPerMinute}, poll ${events.poll} ${q.readsPerMinute} (+ listener ${events.listenerCallsPerMinute} for all)`);
      printUnsteady(q, '    ', ` (poll ${events.poll})`);
    }
    console.log(`  reconciles per minute (poll ${events.poll}): ${JSON.stringify(events.reconcilesPerMinute)}`);
    console.log(`  CPU seconds per minute (poll ${events.poll}, listener running): ${JSON.stringify(events.cpuSecondsPerMinute)}`);
    for (const d of events.drift.filter((x: any) => x.restoredMs == null && !x.refusedByAws)) console.log(`  NOT RESTORED with events: ${d.env} ${d.what}: ${d.error ?? ''}`);
    for (const d of events.drift.filter((x: any) => x.restoredBeforeRead)) console.log(`  put back before the first read with events: ${d.env} ${d.what} by ${d.restoredBeforeRead.join(', ')}`);
    for (const u of events.unmanaged) console.log(`  unmanaged ${u.env} ${u.kind} ${u.created.join(',')}: ${u.reportedByPayenvDrift ? 'reported by payenv drift' : 'NOT REPORTED'}`);
    console.log(`  payenv drift exit ${events.payenvDrift.exit}`);
  }
  for (const j of [...journey, ...(events?.commitToAws ? [{ ...events.commitToAws, trigger: `${events.commitToAws.trigger}, providers at --poll=${events.commitToAws.poll}` }] : [])]) {
    for (const x of j.resources) console.log(`commit -> AWS (${j.trigger}) ${x.resource}: ${x.msToAws != null ? `${(x.msToAws / 1000).toFixed(1)} s` : 'not reached'}`);
  }
  console.log(`results: ${RESULTS}; the cluster, the emulator and the providers keep running (npm run cluster:down stops them)`);

  // A steady-state window holds no AWS write and no spec rewrite, on either poll.
  const unsteady = (q: any) => q.writes.length > 0 || q.specRewrites.length > 0;
  const bad = Object.entries(tiers).filter(([, r]) => r.ready < r.total || unsteady(r.steadyState) || r.drift.some((d: any) => d.restoredMs == null && !d.refusedByAws));
  if (events && (events.error || envs.some((e) => unsteady(events.steadyState[e])) || events.drift.some((d: any) => d.restoredMs == null && !d.refusedByAws) || events.unmanaged.some((u: any) => !u.reportedByPayenvDrift) || events.payenvDrift.exit !== 2)) {
    bad.push(['events', null as any]);
  }
  if (bad.length) {
    console.error(`e2e:aws FAILED for ${bad.map(([e]) => e).join(', ')}: see above`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    console.error(`e2e:aws: ${(e as Error).stack}`);
    process.exit(1);
  });
}
