// npm run e2e:faults: components of the local control plane killed in the middle of work
// (kill -9, as an OOM kill or a node loss would), restarted with the same command line and
// environment (as a Deployment's pod would be), and the loop checked afterwards: every
// environment composes exactly what `payenv render` renders from its claim, no composed
// resource exists twice, none is left without its XR. No AWS provider runs here; the cases
// with providers and the emulator are `npm run e2e:faults -- --aws` (src/dev/e2e-faults-aws.ts),
// on the cluster `npm run e2e:aws` leaves running. Writes bench/results/faults.json.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { renderEnvironment } from '../render';
import { ROOT_DIR } from '../versions';
import { down, kubectl, readState, snapshot, start, track, until, up } from './cluster';
import { applyArgoObjects, commitAndPush, webhook, WORK, workClone } from './git';
import { environmentDoc } from './environments';
import { AWS_CASE_GROUPS, AwsCase, AwsCaseGroup, AwsFaults, awsFaults, groupOf } from './e2e-faults-aws';
import { flag, parseArgs } from '../cli/args';
import { SETTINGS } from '../platform';

const RESULTS = join(ROOT_DIR, 'bench', 'results', 'faults.json');
const t0 = Date.now();
const log = (msg: string) => console.log(`[e2e:faults ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getJson = (args: string[]) => JSON.parse(kubectl([...args, '-o', 'json']));
const tryJson = (args: string[]) => { try { return getJson(args); } catch { return undefined; } };
const ns = (env: string) => `payments-${env}`;


/** kill -9 one component; after downMs start it again with the same argv and environment. */
async function killAndRestart(name: string, downMs: number, whileDown?: () => Promise<void> | void): Promise<{ restartedAt: number }> {
  const pid = readState()!.pids[name];
  const snap = snapshot(pid);
  process.kill(pid, 'SIGKILL');
  await until(`${name} (pid ${pid}) gone`, () => { try { process.kill(pid, 0); return false; } catch { return true; } }, 10_000, 50);
  log(`killed ${name} (pid ${pid})`);
  await whileDown?.();
  await sleep(downMs);
  const child = start(name, snap.argv[0], snap.argv.slice(1), snap.env);
  track(name, child.pid!);
  log(`restarted ${name} (pid ${child.pid})`);
  return { restartedAt: Date.now() };
}

/** Every managed resource in an environment's namespace, by composition resource name. */
function managedByComponent(env: string): Map<string, any[]> {
  const out = new Map<string, any[]>();
  for (const o of getJson(['get', 'managed', '-n', ns(env)]).items) {
    const c = o.metadata.labels?.['paymentenv.io/component'] ?? '(none)';
    out.set(c, [...(out.get(c) ?? []), o]);
  }
  return out;
}

/**
 * The managed resources `payenv render` composes from the live XR (its spec and the status
 * Crossplane wrote, as Crossplane itself renders; no provider outputs here).
 */
async function renderedManaged(env: string): Promise<Set<string>> {
  const live = getJson(['get', 'paymentenvironment', '-n', ns(env), env]);
  const file = join(WORK, `xr-${env}.yaml`);
  writeFileSync(file, stringify({ ...live, metadata: { name: live.metadata.name, namespace: live.metadata.namespace, annotations: live.metadata.annotations, labels: live.metadata.labels }, spec: { ...live.spec, crossplane: undefined } }));
  const r = await renderEnvironment(env, { dist: join(WORK, 'dist'), xrFile: file, release: true });
  rmSync(file);
  return new Set([...r.resources.entries()].filter(([, o]) => o.apiVersion.includes('.aws.m.upbound.io/')).map(([n]) => n));
}

interface Invariants { composedAsRendered: boolean; duplicates: string[]; orphans: string[]; missing: string[]; extra: string[] }

/** The loop's invariants for one environment that should exist. */
async function invariants(env: string): Promise<Invariants> {
  const want = await renderedManaged(env);
  const live = managedByComponent(env);
  const xr = tryJson(['get', 'paymentenvironment', '-n', ns(env), env]);
  const refs = new Set((xr?.spec.crossplane?.resourceRefs ?? []).map((r: any) => `${r.kind}/${r.name}`));
  const duplicates = [...live.entries()].filter(([, os]) => os.length > 1).map(([c, os]) => `${c} x${os.length}`);
  const orphans = [...live.values()].flat().filter((o) => !refs.has(`${o.kind}/${o.metadata.name}`)).map((o) => `${o.kind}/${o.metadata.name}`);
  const missing = [...want].filter((c) => !live.has(c));
  const extra = [...live.keys()].filter((c) => !want.has(c));
  return { composedAsRendered: !missing.length && !extra.length, duplicates, orphans, missing, extra };
}
const holds = (i: Invariants) => i.composedAsRendered && !i.duplicates.length && !i.orphans.length;

/** Waits until the invariants hold for every environment in envs; the last look when they do not. */
async function converged(envs: string[], timeoutMs = 600_000): Promise<Record<string, Invariants>> {
  let last: Record<string, Invariants> = {};
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    last = {};
    for (const e of envs) last[e] = await invariants(e).catch((err) => ({ composedAsRendered: false, duplicates: [], orphans: [], missing: [String(err.message).slice(0, 200)], extra: [] }));
    if (Object.values(last).every(holds)) return last;
    await sleep(1000);
  }
  return last;
}

function newEnvironment(name: string, index: number): void {
  writeFileSync(join(WORK, 'environments', `${name}.yaml`), stringify(environmentDoc(name, 'dev', `10.${100 + index}.0.0/16`)));
}

function setImage(env: string, tag: string): string {
  const file = join(WORK, 'environments', `${env}.yaml`);
  const doc = parse(readFileSync(file, 'utf8'));
  doc.spec.appImage = `111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:${tag}`;
  writeFileSync(file, stringify(doc));
  return doc.spec.appImage;
}
const lambdaImage = (env: string) => tryJson(['get', 'functions.lambda.aws.m.upbound.io', '-n', ns(env), '-l', 'paymentenv.io/component=lambda'])?.items[0]?.spec.forProvider.imageUri;

interface Case { name: string; killed: string; when: string; atKill?: string; recoveryMs?: number; invariants?: Record<string, Invariants>; ok?: boolean; error?: string }

/**
 * --aws [--cases kill,outage,throttle,credentials,lost-backup,lost-git,brownfield]: the AWS cases, on the cluster e2e:aws left
 * running; faults.json is written after each case (the local cases' results are kept).
 */
async function mainAws(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['throttle-minutes', 'outage-seconds', 'cases']);
  const groups = (flag(args, 'cases') || AWS_CASE_GROUPS.join(',')).split(',') as AwsCaseGroup[];
  const unknown = groups.filter((g) => !AWS_CASE_GROUPS.includes(g));
  if (unknown.length) throw new Error(`--cases: unknown ${unknown.join(', ')} (known: ${AWS_CASE_GROUPS.join(', ')})`);
  const prev = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  // A run of some groups keeps the other groups' cases, and the prod check of the run that made them.
  const kept: AwsCase[] = (prev.aws?.cases ?? []).filter((c: AwsCase) => !groups.includes(groupOf(c)));
  const earlierRuns = (prev.aws?.runs ?? (prev.aws ? [{ when: prev.aws.when, groups: prev.aws.groups, prodDeletes: prev.aws.prodDeletes, prodDataStores: prev.aws.prodDataStores }] : []))
    .map((r: any) => ({ ...r, groups: r.groups.filter((g: AwsCaseGroup) => kept.some((c) => groupOf(c) === g)) })).filter((r: any) => r.groups.length);
  const when = new Date().toISOString();
  const save = (r: AwsFaults) => writeFileSync(RESULTS, `${JSON.stringify({
    ...prev,
    aws: {
      when, scope: 'providers against the emulator (npm run e2e:aws)', groups: [...new Set([...kept.map(groupOf), ...groups])],
      cases: [...kept, ...r.cases], runs: [...earlierRuns, { when, groups, prodDeletes: r.prodDeletes, prodDataStores: r.prodDataStores }],
    },
  }, null, 2)}\n`);
  const aws = await awsFaults({
    throttleSeconds: Number(flag(args, 'throttle-minutes') || '10') * 60, outageSeconds: Number(flag(args, 'outage-seconds') || '120'), account: SETTINGS.awsAccountId, groups, save,
  });
  for (const c of aws.cases) console.log(`${c.ok ? 'ok    ' : 'FAILED'} ${c.name}: ${c.recoveryMs != null ? `${(c.recoveryMs / 1000).toFixed(1)} s` : '—'}${c.error ? ` (${c.error})` : ''}`);
  console.log(`prod delete calls: ${JSON.stringify(aws.prodDeletes)}; prod data stores unchanged: ${aws.prodDataStores.same}`);
  return aws.cases.every((c) => c.ok) && aws.prodDataStores.same ? 0 : 1;
}

async function main(): Promise<number> {
  await down(true);
  await up();
  const repoURL = readState()!.repoURL;
  workClone();
  const live = ['dev', 'staging', 'prod'];
  log('baseline: the three environments composed as rendered');
  const base = await converged(live);
  if (!Object.values(base).every(holds)) throw new Error(`baseline does not hold: ${JSON.stringify(base)}`);
  const cases: Case[] = [];
  const run = async (c: Case, body: () => Promise<{ recoveryMs: number; envs: string[] }>) => {
    log(`case: ${c.name}`);
    try {
      const { recoveryMs, envs } = await body();
      c.recoveryMs = recoveryMs;
      c.invariants = await converged(envs, 120_000);
      c.ok = Object.values(c.invariants).every(holds);
    } catch (e) {
      c.ok = false;
      c.error = (e as Error).message.slice(0, 500);
    }
    log(`${c.name}: ${c.ok ? 'ok' : 'FAILED'} ${c.recoveryMs != null ? `recovered in ${(c.recoveryMs / 1000).toFixed(1)} s` : ''} ${c.error ?? ''}`);
    cases.push(c);
  };
  // As the root Application would, then the git host's webhook.
  const commit = async (msg: string) => { commitAndPush(msg); applyArgoObjects(repoURL); await webhook(); };
  const refsOf = (env: string) => tryJson(['get', 'paymentenvironment', '-n', ns(env), env])?.spec.crossplane?.resourceRefs?.length ?? 0;

  const rendered0 = (await renderedManaged('dev')).size; // a dev-tier environment, as fault-a is
  const c1: Case = { name: 'Crossplane core killed while composing a new environment', killed: 'crossplane', when: 'the new XR had some composed resources, not all' };
  await run(c1, async () => {
    newEnvironment('fault-a', 1);
    await commit('faults: new environment fault-a');
    // Part of what it composes (about 130 resources without provider outputs).
    await until('fault-a partly composed', () => refsOf('fault-a') > 10, 300_000, 100);
    const { restartedAt } = await killAndRestart('crossplane', 3000, () => { c1.atKill = `fault-a had ${tryJson(['get', 'managed', '-n', ns('fault-a')])?.items.length ?? '?'} of the ${rendered0} managed resources a dev environment composes`; });
    await converged(['fault-a']);
    return { recoveryMs: Date.now() - restartedAt, envs: ['fault-a', ...live] };
  });

  const c2: Case = { name: 'Argo CD application controller killed mid-sync', killed: 'controller', when: 'the new Application\'s sync operation was running' };
  await run(c2, async () => {
    newEnvironment('fault-b', 2);
    await commit('faults: new environment fault-b');
    await until('fault-b sync running', () => tryJson(['get', 'application', '-n', 'argocd', 'payments-fault-b'])?.status?.operationState?.phase === 'Running', 300_000, 50);
    const { restartedAt } = await killAndRestart('controller', 3000, () => {
      c2.atKill = `operation ${tryJson(['get', 'application', '-n', 'argocd', 'payments-fault-b'])?.status?.operationState?.phase}; claim ${tryJson(['get', 'paymentenvironment', '-n', ns('fault-b'), 'fault-b']) ? 'applied' : 'not yet applied'}`;
    });
    await until('fault-b Synced', () => tryJson(['get', 'application', '-n', 'argocd', 'payments-fault-b'])?.status?.sync?.status === 'Synced', 600_000);
    await converged(['fault-b']);
    return { recoveryMs: Date.now() - restartedAt, envs: ['fault-b'] };
  });

  await run({ name: 'Argo CD repo-server killed, a commit made while it is down', killed: 'repoServer', when: 'before a commit to staging' }, async () => {
    let image = '';
    const { restartedAt } = await killAndRestart('repoServer', 20_000, async () => {
      image = setImage('staging', 'faults-repo');
      await commit('faults: staging image while the repo-server is down');
    });
    await until('staging Lambda image', () => lambdaImage('staging') === image, 600_000);
    return { recoveryMs: Date.now() - restartedAt, envs: ['staging'] };
  });

  for (const [name, component] of [['kube-apiserver', 'apiserver'], ['etcd (data kept)', 'etcd']] as const) {
    await run({ name: `${name} killed and restarted, then a commit`, killed: component, when: 'at rest' }, async () => {
      const { restartedAt } = await killAndRestart(component, 5000);
      await until('API server ready', () => kubectl(['get', '--raw', '/readyz']).trim() === 'ok', 180_000);
      const image = setImage('staging', `faults-${component}`);
      await commit(`faults: staging image after ${component} restart`);
      await until('staging Lambda image', () => lambdaImage('staging') === image, 600_000);
      return { recoveryMs: Date.now() - restartedAt, envs: live };
    });
  }

  await run({ name: 'composition function killed, a composed resource edited meanwhile', killed: 'function-patch-and-transform', when: 'before a hand edit of staging\'s DLQ' }, async () => {
    const dlq = () => getJson(['get', 'queues.sqs.aws.m.upbound.io', '-n', ns('staging'), '-l', 'paymentenv.io/component=dlq']).items[0];
    const want = dlq().spec.forProvider.messageRetentionSeconds;
    const { restartedAt } = await killAndRestart('function-patch-and-transform', 20_000, () => {
      kubectl(['patch', 'queues.sqs.aws.m.upbound.io', '-n', ns('staging'), dlq().metadata.name, '--type=merge', '-p', JSON.stringify({ spec: { forProvider: { messageRetentionSeconds: 60 } } })]);
    });
    await until('DLQ retention reverted', () => dlq().spec.forProvider.messageRetentionSeconds === want, 600_000);
    return { recoveryMs: Date.now() - restartedAt, envs: ['staging'] };
  });

  const c7: Case = { name: 'Crossplane core killed while deleting an environment', killed: 'crossplane', when: 'dev\'s XR was being deleted (no provider: its managed resources have no finalizer, the garbage collector removes them)' };
  await run(c7, async () => {
    rmSync(join(WORK, 'environments', 'dev.yaml'));
    await commit('faults: retire dev');
    await until('dev deleting', () => !!tryJson(['get', 'paymentenvironment', '-n', ns('dev'), 'dev'])?.metadata.deletionTimestamp, 300_000, 50);
    const { restartedAt } = await killAndRestart('crossplane', 3000, () => { c7.atKill = `${tryJson(['get', 'managed', '-n', ns('dev')])?.items.length ?? '?'} managed resources of dev left`; });
    await until('dev XR and every managed resource of dev gone', () => !tryJson(['get', 'paymentenvironment', '-n', ns('dev'), 'dev'])
      && (tryJson(['get', 'managed', '-n', ns('dev')])?.items.length ?? 0) === 0, 600_000, 1000);
    return { recoveryMs: Date.now() - restartedAt, envs: ['staging', 'prod'] };
  });

  const result = { when: new Date().toISOString(), scope: 'local control plane, no AWS provider', cases };
  mkdirSync(join(ROOT_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  for (const c of cases) console.log(`${c.ok ? 'ok    ' : 'FAILED'} ${c.name}: ${c.recoveryMs != null ? `${(c.recoveryMs / 1000).toFixed(1)} s` : '—'}${c.error ? ` (${c.error})` : ''}`);
  console.log(`results: ${RESULTS}; the cluster keeps running (npm run cluster:down stops it)`);
  return cases.every((c) => c.ok) ? 0 : 1;
}

if (require.main === module) {
  (process.argv.includes('--aws') ? mainAws(process.argv.slice(2)) : main()).then((code) => process.exit(code), (e) => {
    console.error(`e2e:faults: ${(e as Error).stack}`);
    process.exit(1);
  });
}
