// npm run e2e:faults -- --aws: the AWS cases, on what `npm run e2e:aws` leaves running (the local
// control plane, the provider families against the emulator on the shipped poll, the drift
// listener). Each case breaks one thing mid-work and checks afterwards what a payments team
// cares about: nothing in AWS exists twice, every managed resource is Ready again or says why
// not, and prod's data stores are never deleted (delete calls by kind, over the whole run).
// The emulator's fault controls are in scripts/emulator.py (class Faults).
import { execFile } from 'child_process';
import { join } from 'path';
import { promisify } from 'util';
import { KUBECONFIG, kubectl, readState, snapshot, start, track, until } from './cluster';
import { ROOT_DIR } from '../versions';
import { deployerRoleArn } from '../platform';
import { brownfield } from './brownfield-aws';
import { emulatorCalls as calls } from './calls';
import { AWS_CASE_GROUPS, AwsCaseGroup } from './fault-groups';
import { controlPlaneLost } from './rebuild-aws';

const run = promisify(execFile);
const PYTHON = join(ROOT_DIR, '.tools', 'moto', 'bin', 'python');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getJson = (args: string[]) => JSON.parse(kubectl([...args, '-o', 'json']));
const tryJson = (args: string[]) => { try { return getJson(args); } catch { return undefined; } };
const ns = (env: string) => `payments-${env}`;
const ext = (o: any) => o?.metadata?.annotations?.['crossplane.io/external-name'];
const cond = (o: any, type: string) => (o?.status?.conditions ?? []).find((c: any) => c.type === type);

export interface AwsCase {
  name: string; broke: string; recoveryMs?: number | null; invariants: Record<string, unknown>; ok: boolean; error?: string; upstream?: string;
  /** The group it belongs to and when it ended: a run of some groups keeps the other groups' cases. */
  group?: AwsCaseGroup; at?: string;
}

const awsDrift = async (endpoint: string, ...args: string[]) => (await run(PYTHON, [join(ROOT_DIR, 'scripts', 'aws-drift.py'), endpoint, ...args])).stdout.trim();
const faults = async (endpoint: string, method: string, body?: object) =>
  (await fetch(`${endpoint}/_emulator/faults`, { method, body: body ? JSON.stringify(body) : undefined })).json() as Promise<any>;

/** The emulator the environments' ProviderConfigs point at (e2e:aws wrote them). */
function emulatorEndpoint(): string {
  const pc = tryJson(['get', 'providerconfigs.aws.m.upbound.io', '-n', ns('dev'), 'aws']);
  const url = pc?.spec?.endpoint?.url?.static;
  if (!url) throw new Error('no e2e:aws cluster: payments-dev has no ProviderConfig pointing at the emulator (run npm run e2e:aws first)');
  return url;
}

/** Every managed resource of an environment, with what its conditions say. */
function managed(env: string) {
  return getJson(['get', 'managed', '-n', ns(env)]).items.filter((o: any) => o.apiVersion.includes('.aws.m.upbound.io/')).map((o: any) => ({
    obj: o, ready: cond(o, 'Ready')?.status === 'True', synced: cond(o, 'Synced')?.status === 'True', message: cond(o, 'Synced')?.message as string | undefined,
  }));
}

/** Asks the providers to reconcile every managed resource of the environments now (as the drift listener does for one). */
function reconcileAll(envs: string[]): void {
  const at = new Date().toISOString();
  for (const env of envs) kubectl(['annotate', 'managed', '-n', ns(env), '--all', '--overwrite', `crossplane.io/reconcile-requested-at=${at}`]);
}

/** Waits until every managed resource of the environments is Ready and Synced; the ones that are not when time is up. */
async function allWell(envs: string[], timeoutMs: number): Promise<{ ms: number | null; notWell: string[] }> {
  const t = Date.now();
  let notWell: string[] = [];
  while (Date.now() - t < timeoutMs) {
    notWell = envs.flatMap((e) => managed(e).filter((m: any) => !m.ready || !m.synced).map((m: any) => `${e} ${m.obj.kind}/${m.obj.metadata.name}: ${(m.message ?? 'not ready').slice(0, 160)}`));
    if (!notWell.length) return { ms: Date.now() - t, notWell };
    await sleep(2000);
  }
  return { ms: null, notWell };
}

/** A provider family's process, killed with SIGKILL; returns how to start it again exactly as it ran, and where its metrics are. */
async function killProvider(family: string): Promise<{ restart: () => void; metrics: string }> {
  const name = `provider-aws-${family}`;
  const pid = readState()!.pids[name];
  const { argv, env } = snapshot(pid);
  process.kill(pid, 'SIGKILL');
  await until(`${name} gone`, () => { try { process.kill(pid, 0); return false; } catch { return true; } }, 10_000, 50);
  const address = argv.find((a) => a.startsWith('--metrics-bind-address='))?.split('=')[1];
  return { restart: () => track(name, start(name, argv[0], argv.slice(1), env).pid!), metrics: `http://${address}/metrics` };
}

/**
 * Reconciles of one managed kind the (restarted) provider finished without error, from its own
 * metrics: a new process counts from 0, so until this reaches the kind's count the conditions an
 * MR shows may still be the ones the killed process wrote (a table kept Ready True throughout).
 */
async function reconciledOk(metrics: string, o: any): Promise<number> {
  const controller = `managed/${o.apiVersion}, kind=${String(o.kind).toLowerCase()}`;
  // Refused while the new process starts: nothing reconciled yet.
  const text = await fetch(metrics).then((r) => r.text()).catch(() => '');
  return text.split('\n').filter((l) => l.startsWith('controller_runtime_reconcile_total{') && l.includes(`controller="${controller}"`) && /result="(success|requeue_after)"/.test(l))
    .reduce((n, l) => n + (Number(l.split(' ').pop()) || 0), 0);
}

/** Identity of prod's data stores: a replaced store has another id (or creation time) afterwards. */
async function dataStores(endpoint: string): Promise<unknown> {
  const inv = JSON.parse(await awsDrift(endpoint, 'inventory'));
  return { buckets: inv.buckets.filter((b: string) => b.includes('-prod-')).sort(), tables: inv.tables.filter((t: string) => t.endsWith('-prod')).sort(),
    keys: Object.fromEntries(Object.entries(inv.keys).filter(([a]) => a.includes('prod'))) };
}

/** A kind the provider creates again after it was deleted by hand, and how to find and count it. */
interface Kind {
  kind: string; family: string; service: string; operation: string; resource: string;
  component: (env: string) => string; id: (o: any) => string; name: (o: any) => string;
  /** The identifier is one AWS picks (a revision), not the external name the Composition sets. */
  awsPicksId?: boolean;
}
const KINDS: Kind[] = [
  { kind: 'queue', family: 'sqs', service: 'sqs', operation: 'CreateQueue', resource: 'queues.sqs.aws.m.upbound.io', component: () => 'dlq', id: (o) => o.status.atProvider.url,
    // The external name is the queue's URL; AWS lists queues by name (the URL's last part).
    name: (o) => String(ext(o)).split('/').pop()! },
  { kind: 'table', family: 'dynamodb', service: 'dynamodb', operation: 'CreateTable', resource: 'tables.dynamodb.aws.m.upbound.io', component: () => 'table-sessions', id: ext, name: ext },
  { kind: 'log-group', family: 'cloudwatchlogs', service: 'logs', operation: 'CreateLogGroup', resource: 'groups.cloudwatchlogs.aws.m.upbound.io', component: () => 'logs-api', id: ext, name: ext },
  {
    kind: 'task-definition', family: 'ecs', service: 'ecs', operation: 'RegisterTaskDefinition', resource: 'taskdefinitions.ecs.aws.m.upbound.io',
    // The slot the service runs (an ARN with a revision AWS picks).
    component: (env) => getJson(['get', 'taskdefinitions.ecs.aws.m.upbound.io', '-n', ns(env)]).items.find((t: any) => t.status?.atProvider?.arn)?.metadata.labels['paymentenv.io/component'],
    id: (o) => o.status.atProvider.arn, name: (o) => o.spec.forProvider.family, awsPicksId: true,
  },
];

/**
 * 1. The provider killed after AWS carried out its create call and before it heard the answer:
 * the emulator withholds the answer, the harness kills the family, then releases it.
 */
async function killMidCreate(endpoint: string, k: Kind, env: string): Promise<AwsCase> {
  const component = k.component(env);
  const mr = () => getJson(['get', k.resource, '-n', ns(env), '-l', `paymentenv.io/component=${component}`]).items[0];
  const o = mr();
  const [id, name] = [k.id(o), k.name(o)];
  const c: AwsCase = { name: `provider-aws-${k.family} killed between AWS's create and its answer: ${k.kind} ${name}`, broke: `${k.service} ${k.operation} of ${env}`, invariants: {}, ok: false };
  await faults(endpoint, 'POST', { hold: { caller: env, service: k.service, operation: k.operation } });
  // A person deletes it; the CloudTrail event makes the drift listener ask for a reconcile.
  await awsDrift(endpoint, 'remove', k.kind, id, '--event');
  let held: any;
  const t = Date.now();
  while (!held && Date.now() - t < 180_000) {
    held = (await faults(endpoint, 'GET')).held;
    // The listener's path is timed by e2e:aws; here only the create matters, so ask once more.
    if (!held && Date.now() - t > 60_000) kubectl(['annotate', k.resource, '-n', ns(env), o.metadata.name, '--overwrite', `crossplane.io/reconcile-requested-at=${new Date().toISOString()}`]);
    if (!held) await sleep(250);
  }
  if (!held) { await faults(endpoint, 'DELETE'); return { ...c, error: `no ${k.operation} within 180 s of the deletion` }; }
  const { restart, metrics } = await killProvider(k.family);
  await faults(endpoint, 'DELETE');
  restart();
  const restartedAt = Date.now();
  // Ready again and in AWS, as the restarted provider sees it (conditions from before the kill can
  // still say Ready: every MR of the kind reconciled by the new process first), or the reason it
  // is not (Crossplane's guard: external-create-pending without -succeeded).
  const ofKind = tryJson(['get', k.resource, '-A'])?.items.length ?? 0; // the provider reconciles every namespace's
  let last = mr();
  while (Date.now() - restartedAt < 240_000) {
    last = mr();
    if (await reconciledOk(metrics, last) >= ofKind && cond(last, 'Ready')?.status === 'True' && cond(last, 'Synced')?.status === 'True' && ext(last)
      && Number(await awsDrift(endpoint, 'count', k.kind, name)) >= 1) break;
    if (/cannot determine creation result/i.test(cond(last, 'Synced')?.message ?? '')) break;
    await sleep(1000);
  }
  const afterRestart = { ready: cond(last, 'Ready')?.status === 'True', synced: cond(last, 'Synced')?.status === 'True', message: cond(last, 'Synced')?.message ?? null,
    annotations: Object.fromEntries(Object.entries(last.metadata.annotations ?? {}).filter(([key]) => key.startsWith('crossplane.io/external-create'))) };
  const inAwsAfterRestart = Number(await awsDrift(endpoint, 'count', k.kind, name));
  c.invariants = { heldAnswer: held.status, inAwsAfterRestart, afterRestart };
  let recovered = afterRestart.ready && afterRestart.synced ? Date.now() - restartedAt : null;
  if (!afterRestart.synced && afterRestart.message && /cannot determine creation result/i.test(afterRestart.message)) {
    // What docs/operations.md tells a person to do: look in AWS; where AWS picked the identifier,
    // record it as the external name; then clear the pending mark.
    if (k.awsPicksId) {
      const made = await awsDrift(endpoint, 'newest-task-definition', name);
      kubectl(['annotate', k.resource, '-n', ns(env), last.metadata.name, '--overwrite', `crossplane.io/external-name=${made}`]);
      c.invariants.externalNameSetTo = made;
    }
    kubectl(['annotate', k.resource, '-n', ns(env), last.metadata.name, 'crossplane.io/external-create-pending-']);
    const t2 = Date.now();
    while (Date.now() - t2 < 240_000 && !(cond(mr(), 'Ready')?.status === 'True' && cond(mr(), 'Synced')?.status === 'True')) await sleep(1000);
    const fin = mr();
    c.invariants.afterPendingCleared = { ready: cond(fin, 'Ready')?.status === 'True', synced: cond(fin, 'Synced')?.status === 'True', message: cond(fin, 'Synced')?.message ?? null };
    c.invariants.inAwsAfterPendingCleared = Number(await awsDrift(endpoint, 'count', k.kind, name));
    recovered = cond(fin, 'Ready')?.status === 'True' ? Date.now() - restartedAt : null;
  }
  c.recoveryMs = recovered;
  if (k.awsPicksId && recovered !== null && inAwsAfterRestart > 1) {
    // Made twice (upstream: crossplane/upjet#561, #632): the product's guard is the drift listener,
    // which hears CloudTrail's event of the provider's first create and reports what no managed
    // resource owns; then a person follows docs/operations.md and deregisters it.
    const r = await reportedOrphans(endpoint, env, name);
    c.invariants = { ...c.invariants, ...r.invariants };
    c.upstream = r.upstream;
    c.ok = !!c.invariants.orphansReported && c.invariants.inAwsAfterRunbook === 1;
    return c;
  }
  const counts = [inAwsAfterRestart, c.invariants.inAwsAfterPendingCleared].filter((x) => x !== undefined);
  c.ok = counts.every((n) => n === 1) && recovered !== null;
  return c;
}

/**
 * A task definition family's ACTIVE revisions no TaskDefinition of the environment records:
 * CloudTrail's event of the deployer registering each is delivered (the emulator emits none),
 * then `payenv drift` must list it as an unmanaged change; then the runbook deregisters it.
 */
async function reportedOrphans(endpoint: string, env: string, family: string): Promise<{ invariants: Record<string, unknown>; upstream: string }> {
  const owned = new Set(getJson(['get', 'taskdefinitions.ecs.aws.m.upbound.io', '-n', ns(env)]).items.map((t: any) => t.status?.atProvider?.arn));
  const orphans: string[] = (JSON.parse(await awsDrift(endpoint, 'active-task-definitions', family)) as string[]).filter((a) => !owned.has(a));
  for (const arn of orphans) await awsDrift(endpoint, 'registered-by', deployerRoleArn(env), arn);
  const t = Date.now();
  let reportedMs: number | null = null;
  let drift: any;
  while (reportedMs === null && Date.now() - t < 300_000) {
    const out = await run(process.execPath, [join(ROOT_DIR, 'bin', 'payenv.js'), 'drift', env, '-o', 'json', '--kubeconfig', KUBECONFIG]).catch((e) => e);
    drift = JSON.parse(out.stdout || '[]')[0];
    const messages: string[] = (drift?.unmanagedChanges ?? []).map((u: any) => u.message);
    if (orphans.length && orphans.every((a) => messages.some((m) => m.includes(a)))) reportedMs = Date.now() - t;
    else await sleep(5000);
  }
  for (const arn of orphans) await awsDrift(endpoint, 'remove', 'task-definition', arn);
  return {
    upstream: 'crossplane/upjet#561, crossplane/upjet#632: an async create runs after crossplane-runtime recorded it as succeeded, so a provider killed mid-create creates again',
    invariants: {
      orphans, orphansReported: reportedMs !== null, reportedAfterMs: reportedMs,
      driftMessage: (drift?.unmanagedChanges ?? []).map((u: any) => u.message).find((m: string) => orphans.some((a) => m.includes(a)))?.slice(0, 400) ?? null,
      inAwsAfterRunbook: Number(await awsDrift(endpoint, 'count', 'task-definition', family)),
    },
  };
}

/** Everything the emulator holds of the environments, to compare before and after a fault. */
const inventory = async (endpoint: string) => JSON.parse(await awsDrift(endpoint, 'inventory'));
function sameInventory(a: any, b: any): string[] {
  const diff: string[] = [];
  for (const key of ['buckets', 'queues', 'tables', 'vpcs']) {
    const [x, y] = [new Set<string>(a[key]), new Set<string>(b[key])];
    for (const v of y) if (!x.has(v)) diff.push(`${key}: new ${v}`);
    for (const v of x) if (!y.has(v)) diff.push(`${key}: gone ${v}`);
  }
  for (const [alias, key] of Object.entries(b.keys)) if (a.keys[alias] !== key) diff.push(`keys: ${alias} -> ${key} (was ${a.keys[alias]})`);
  return diff;
}

const sumCalls = (cs: { count: number }[]) => cs.reduce((n, c) => n + c.count, 0);

/** 3a. AWS unreachable for `seconds`: the emulator stopped (calls connect and get no answer), then continued. */
async function outage(endpoint: string, envs: string[], seconds: number): Promise<AwsCase> {
  const c: AwsCase = { name: `AWS unreachable for ${seconds} s (the emulator stopped mid-work)`, broke: 'every call of every environment', invariants: {}, ok: false };
  const before = await inventory(endpoint);
  const calls0 = sumCalls(await calls(endpoint));
  const pid = readState()!.pids.emulator;
  reconcileAll(envs); // every resource is mid-observe when AWS goes away
  process.kill(pid, 'SIGSTOP');
  await sleep(seconds * 1000);
  process.kill(pid, 'SIGCONT');
  const back = await allWell(envs, 600_000);
  const after = await inventory(endpoint);
  c.recoveryMs = back.ms;
  c.invariants = { notWell: back.notWell.slice(0, 10), inventoryChanges: sameInventory(before, after), callsDuringAndAfter: sumCalls(await calls(endpoint)) - calls0 };
  c.ok = back.ms !== null && !(c.invariants.inventoryChanges as string[]).length;
  return c;
}

/** 3b. A share of all calls refused as throttled for `seconds`, while every resource is asked to reconcile. */
async function throttling(endpoint: string, envs: string[], share: number, seconds: number): Promise<AwsCase> {
  const c: AwsCase = { name: `${Math.round(share * 100)} % of calls throttled for ${seconds / 60} min`, broke: 'every call of every environment', invariants: {}, ok: false };
  const before = await inventory(endpoint);
  // The same work unthrottled first, so the calls throttling adds can be told apart from the work's own.
  const base0 = sumCalls(await calls(endpoint));
  await work(envs, BASELINE_SECONDS);
  const perMinute = (sumCalls(await calls(endpoint)) - base0) / (BASELINE_SECONDS / 60);
  const calls0 = sumCalls(await calls(endpoint));
  await faults(endpoint, 'POST', { throttle: { share, seconds } });
  const t = Date.now();
  await work(envs, seconds);
  const during = sumCalls(await calls(endpoint)) - calls0;
  const state = await faults(endpoint, 'GET');
  await faults(endpoint, 'DELETE');
  const back = await allWell(envs, 600_000);
  c.recoveryMs = back.ms;
  const callsDuringAndAfter = sumCalls(await calls(endpoint)) - calls0;
  const minutes = (Date.now() - t) / 60_000;
  c.invariants = {
    notWell: back.notWell.slice(0, 10), inventoryChanges: sameInventory(before, await inventory(endpoint)),
    callsPerMinuteUnthrottled: Math.round(perMinute), callsDuring: during, callsDuringAndAfter,
    extraCalls: Math.round(callsDuringAndAfter - perMinute * minutes),
    throttled: sumCalls(state.throttle.refused), throttledBusiest: state.throttle.refused.sort((a: any, b: any) => b.count - a.count).slice(0, 5),
  };
  c.ok = back.ms !== null && !(c.invariants.inventoryChanges as string[]).length;
  return c;
}

const BASELINE_SECONDS = 120;

/** A poll's worth of work each minute for `seconds`: every managed resource asked to reconcile. */
async function work(envs: string[], seconds: number): Promise<void> {
  const t = Date.now();
  while (Date.now() - t < seconds * 1000) {
    reconcileAll(envs);
    await sleep(Math.min(60_000, seconds * 1000 - (Date.now() - t)));
  }
}

/** 4. The environment's credentials broken (a role that cannot be assumed), shown to the user, then fixed. */
async function brokenCredentials(endpoint: string, env: string, account: string): Promise<AwsCase> {
  const c: AwsCase = { name: `${env}'s ProviderConfig assumes a role that does not exist, then is fixed`, broke: `${env}'s credentials`, invariants: {}, ok: false };
  const role = `arn:aws:iam::${account}:role/paymentenv-${env}-missing`;
  await faults(endpoint, 'POST', { strictAssumeRole: true });
  kubectl(['patch', 'providerconfigs.aws.m.upbound.io', '-n', ns(env), 'aws', '--type=merge', '-p', JSON.stringify({ spec: { assumeRoleChain: [{ roleARN: role }] } })]);
  reconcileAll([env]);
  const t = Date.now();
  let failing: any[] = [];
  // The environment says it too: a managed resource counts as ready only when Synced (src/composition/index.ts).
  const xrReady = () => cond(tryJson(['get', 'paymentenvironment', '-n', ns(env), env]), 'Ready');
  while (Date.now() - t < 300_000) {
    failing = managed(env).filter((m: any) => !m.synced && /AccessDenied|AssumeRole/.test(m.message ?? ''));
    if (failing.length > 10 && xrReady()?.status === 'False') break;
    await sleep(2000);
  }
  const notReadyXr = xrReady();
  const status = (await run(process.execPath, [join(ROOT_DIR, 'bin', 'payenv.js'), 'status', '--kubeconfig', KUBECONFIG]).catch((e) => e)).stdout ?? '';
  const table = kubectl(['get', 'paymentenvironments', '-n', ns(env)]);
  kubectl(['patch', 'providerconfigs.aws.m.upbound.io', '-n', ns(env), 'aws', '--type=json', '-p', JSON.stringify([{ op: 'remove', path: '/spec/assumeRoleChain' }])]);
  await faults(endpoint, 'POST', { strictAssumeRole: false });
  const fixedAt = Date.now();
  reconcileAll([env]);
  const back = await allWell([env], 600_000);
  // The XR's readiness follows its composed resources on its next reconcile.
  while (back.ms !== null && xrReady()?.status !== 'True' && Date.now() - fixedAt < 720_000) await sleep(2000);
  c.recoveryMs = back.ms === null ? null : Date.now() - fixedAt;
  c.invariants = {
    failingWithTheAwsError: failing.length, example: failing[0]?.message?.slice(0, 300) ?? null,
    payenvStatusShowsIt: /AccessDenied|AssumeRole/.test(status), payenvStatus: status.split('\n').filter((l: string) => l.includes(env)).slice(0, 3),
    kubectlGetShowsIt: notReadyXr?.status === 'False', kubectlGet: table.trim().split('\n'), xrReadyMessage: notReadyXr?.message?.slice(0, 300) ?? null,
    xrReadyAfterFix: xrReady()?.status === 'True', notWell: back.notWell.slice(0, 10),
  };
  c.ok = failing.length > 0 && !!c.invariants.payenvStatusShowsIt && !!c.invariants.kubectlGetShowsIt && back.ms !== null && !!c.invariants.xrReadyAfterFix;
  return c;
}

export { AWS_CASE_GROUPS } from './fault-groups';
export type { AwsCaseGroup } from './fault-groups';
export interface AwsFaults { cases: AwsCase[]; prodDeletes: Record<string, number>; prodDataStores: { before: unknown; after: unknown; same: boolean } }

/** A case's group; cases recorded before cases carried one are told by their names. */
export function groupOf(c: AwsCase): AwsCaseGroup {
  if (c.group) return c.group;
  if (/^provider-aws-\S+ killed/.test(c.name)) return 'kill';
  if (/^AWS unreachable/.test(c.name)) return 'outage';
  if (/calls throttled/.test(c.name)) return 'throttle';
  if (/^control plane lost/.test(c.name)) return /AWS alone/.test(c.name) ? 'lost-git' : 'lost-backup';
  if (/^brownfield/.test(c.name)) return 'brownfield';
  return 'credentials';
}

/**
 * The AWS cases (all, or the groups asked for), in order; `save` gets what is known after each
 * case, so a run cut short keeps the cases it finished.
 */
export async function awsFaults(opts: { throttleSeconds: number; outageSeconds: number; account: string; groups?: AwsCaseGroup[]; save?: (r: AwsFaults) => void }): Promise<AwsFaults> {
  const endpoint = emulatorEndpoint();
  const log = (m: string) => console.log(`[e2e:faults aws] ${m}`);
  const groups = new Set(opts.groups ?? AWS_CASE_GROUPS);
  const envs = ['dev', 'staging', 'prod'].filter((e) => tryJson(['get', 'namespace', ns(e)]));
  const storesBefore = await dataStores(endpoint);
  const writes0 = new Map((await calls(endpoint)).filter((x) => x.caller === 'prod' && x.kind === 'write').map((x) => [`${x.service} ${x.operation}`, x.count]));
  const cases: AwsCase[] = [];
  // 5. Delete calls prod made since the start, by operation (there must be none on a data store), and its stores' identity.
  const summary = async (): Promise<AwsFaults> => {
    const prodDeletes: Record<string, number> = {};
    for (const x of (await calls(endpoint)).filter((y) => y.caller === 'prod' && y.kind === 'write' && /^(Delete|Deregister|Remove)|^DELETE /.test(y.operation))) {
      const n = x.count - (writes0.get(`${x.service} ${x.operation}`) ?? 0);
      if (n > 0) prodDeletes[`${x.service} ${x.operation}`] = n;
    }
    const storesAfter = await dataStores(endpoint);
    return { cases, prodDeletes, prodDataStores: { before: storesBefore, after: storesAfter, same: JSON.stringify(storesBefore) === JSON.stringify(storesAfter) } };
  };
  const record = async (group: AwsCaseGroup, name: string, f: () => Promise<AwsCase>) => {
    log(name);
    const c: AwsCase = { ...await f().catch((e) => ({ name, broke: '?', invariants: {}, ok: false, error: (e as Error).message.slice(0, 400) })), group, at: new Date().toISOString() };
    log(`${c.ok ? 'ok' : 'FAILED'} ${c.name}: ${c.recoveryMs != null ? `${(c.recoveryMs / 1000).toFixed(1)} s` : 'not recovered'} ${JSON.stringify(c.invariants).slice(0, 400)} ${c.error ?? ''}`);
    cases.push(c);
    opts.save?.(await summary());
  };
  if (groups.has('kill')) for (const k of KINDS) await record('kill', `kill mid-create: ${k.kind}`, () => killMidCreate(endpoint, k, 'dev'));
  if (groups.has('outage')) await record('outage', 'outage', () => outage(endpoint, envs, opts.outageSeconds));
  if (groups.has('throttle')) await record('throttle', 'throttling', () => throttling(endpoint, envs, 0.3, opts.throttleSeconds));
  if (groups.has('credentials')) await record('credentials', 'credentials', () => brokenCredentials(endpoint, 'dev', opts.account));
  // Last: each builds a new control plane (src/dev/rebuild-aws.ts).
  for (const [group, from] of [['lost-backup', 'backup'], ['lost-git', 'lookup']] as const) {
    if (!groups.has(group)) continue;
    const name = `control plane lost: a new one from git, payenv adopt ${from === 'backup' ? '--from a payenv manifest backup, --lookup for what it lacks' : '--lookup (AWS alone)'}`;
    await record(group, name, async () => ({ name, broke: `the control plane of ${envs.join(', ')} (etcd deleted)`, ...await controlPlaneLost(endpoint, envs, from, log) }));
  }
  if (groups.has('brownfield')) {
    const name = 'brownfield dev: an environment a CDK app built, taken over with adoption mode and payenv adopt --lookup';
    await record('brownfield', name, async () => ({ name, broke: 'nothing: what another tool built', ...await brownfield(endpoint, log) }));
  }
  return summary();
}
