// npm run bench:scale -- --envs 10,30,60: many environments on one local control plane
// (the one `npm run e2e` runs: etcd, kube-apiserver, Crossplane, Argo CD; no AWS provider,
// so managed resources stay unready and only what needs no provider output is composed).
// For each N, on a fresh cluster: N environments committed to git (dev, staging and prod of
// environments/ plus generated ones), then measured:
//   - commit -> every XR Synced with all it composes (what `payenv render` composes from the claim)
//   - composed resources per second; peak memory and CPU seconds of each component; etcd's db size
//   - with N present: commit of one environment -> its composed Lambda has the new image,
//     and a hand edit of one composed resource -> reverted by Crossplane
//   - Crossplane's XR circuit breaker opening (circuit_breaker_opens_total: Crossplane v2.4 names it without a crossplane_ prefix)
// Writes bench/results/scale.json; `npm run readme` puts the table in docs/benchmarks.md.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { apiserverWork, busiestWork } from '../src/dev/apiserver';
import { cpuSecondsOf, down, kubectl, readState, shipped, until, up } from '../src/dev/cluster';
import { applyArgoObjects, commitAndPush, webhook, WORK, workClone } from '../src/dev/git';
import { renderEnvironment } from '../src/render';
import { environmentFiles, synth } from '../src/synth';
import { PINS, ROOT_DIR } from '../src/versions';
import { generate } from '../src/dev/environments';

const RESULTS = join(ROOT_DIR, 'bench', 'results', 'scale.json');
const t0 = Date.now();
const log = (msg: string) => console.log(`[scale ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const getJson = (args: string[]) => JSON.parse(kubectl([...args, '-o', 'json']));

/** The components whose cost is measured, by the names cluster.ts records their pids under. */
const COMPONENTS: Record<string, string[]> = {
  'etcd': ['etcd'],
  'kube-apiserver': ['apiserver'],
  'crossplane': ['crossplane'],
  'functions': ['function-patch-and-transform', 'function-cel-filter'],
  'argocd-controller': ['controller'],
  'argocd-repo-server': ['repoServer'],
};

/** Peak RSS and CPU seconds of each component while a phase runs, sampled every second. */
class Sampler {
  private peakMb: Record<string, number> = {};
  private cpu0: Record<string, number> = {};
  private timer?: NodeJS.Timeout;
  constructor(private readonly pids: Record<string, number>) {}

  private read(pid: number): { rssMb: number; cpuS: number } {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return { rssMb: rssKb / 1024, cpuS: cpuSecondsOf(pid) };
    } catch {
      return { rssMb: 0, cpuS: 0 };
    }
  }

  private total(component: string) {
    return COMPONENTS[component].map((n) => this.read(this.pids[n])).reduce((a, b) => ({ rssMb: a.rssMb + b.rssMb, cpuS: a.cpuS + b.cpuS }), { rssMb: 0, cpuS: 0 });
  }

  start(): void {
    for (const c of Object.keys(COMPONENTS)) this.cpu0[c] = this.total(c).cpuS;
    const sample = () => { for (const c of Object.keys(COMPONENTS)) this.peakMb[c] = Math.max(this.peakMb[c] ?? 0, this.total(c).rssMb); };
    sample();
    this.timer = setInterval(sample, 1000);
  }

  stop(): Record<string, { peakRssMb: number; cpuSeconds: number }> {
    clearInterval(this.timer);
    return Object.fromEntries(Object.keys(COMPONENTS).map((c) => [c, {
      peakRssMb: Math.round(this.peakMb[c] ?? 0), cpuSeconds: Math.round((this.total(c).cpuS - this.cpu0[c]) * 10) / 10,
    }]));
  }
}

/** A Prometheus text metric summed over its label sets that contain `labels` (undefined when absent). */
async function metric(port: number, name: string, labels = ''): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const values = text.split('\n').filter((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(labels)).map((l) => Number(l.split(' ').pop()));
  return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
}

/** Crossplane's controller work queues that hold anything (controller-runtime's workqueue_depth, by controller name). */
async function busyQueues(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const l of text.split('\n').filter((x) => x.startsWith('workqueue_depth{'))) {
    const name = /name="([^"]*)"/.exec(l)?.[1] ?? '?';
    const depth = Number(l.split(' ').pop());
    if (depth > 0) out[name] = (out[name] ?? 0) + depth;
  }
  return out;
}

/**
 * Crossplane's XR circuit breaker (internal/circuit): opens, and watch events it dropped. Its
 * counters appear per controller once touched: events seen and no opens counter means 0 opens.
 */
async function circuitBreaker(port: number) {
  const events = await metric(port, 'circuit_breaker_events_total');
  if (events === undefined) return { opens: null, droppedEvents: null, events: null };
  return {
    opens: (await metric(port, 'circuit_breaker_opens_total')) ?? 0,
    droppedEvents: (await metric(port, 'circuit_breaker_events_total', 'result="Dropped"')) ?? 0,
    events,
  };
}

/** How many resources each environment composes without provider outputs: `payenv render` of its claim. */
async function expectedCounts(names: string[]): Promise<Record<string, number>> {
  const byTier = new Map<string, number>();
  const out: Record<string, number> = {};
  for (const name of names) {
    const claim = parse(readFileSync(join(WORK, 'dist', 'environments', name, 'paymentenvironment.yaml'), 'utf8'));
    const key = `${claim.spec.tier}${claim.spec.adminPeering ? '+peering' : ''}`;
    if (!byTier.has(key)) byTier.set(key, (await renderEnvironment(name, { dist: join(WORK, 'dist'), release: true })).resources.size);
    out[name] = byTier.get(key)!;
  }
  return out;
}

const AT_REST_S = 60;
/**
 * What N environments cost while nothing changes, over one minute: CPU seconds per component,
 * XR reconciles (each XR is composed again when its functions' response TTL, 1 min, runs out:
 * function-sdk-go response.DefaultTTL), the API server's PATCH requests (server-side applies) and
 * where the API server's time goes (busiestWork).
 */
async function steadyState(xpMetrics: number, pids: Record<string, number>) {
  const xrReconciles = async () => {
    const text = await (await fetch(`http://127.0.0.1:${xpMetrics}/metrics`)).text();
    return text.split('\n').filter((l) => l.startsWith('controller_runtime_reconcile_total{') && /controller="composite\//.test(l)).reduce((a, l) => a + Number(l.split(' ').pop()), 0);
  };
  const sampler = new Sampler(pids);
  const [r0, w0] = [await xrReconciles(), apiserverWork()];
  sampler.start();
  await new Promise((r) => setTimeout(r, AT_REST_S * 1000));
  const usage = sampler.stop();
  const perMinute = (x: number) => Math.round((x * 60) / AT_REST_S);
  const w1 = apiserverWork();
  const patches = (w: Map<string, number>) => [...w].filter(([k]) => k.startsWith('requests PATCH ')).reduce((n, [, v]) => n + v, 0);
  return {
    xrReconcilesPerMinute: perMinute((await xrReconciles()) - r0),
    apiserverPatchesPerMinute: perMinute(patches(w1) - patches(w0)),
    apiserver: busiestWork(w0, w1, AT_REST_S),
    cpuSecondsPerMinute: Object.fromEntries(Object.entries(usage).map(([c, u]) => [c, Math.round(((u.cpuSeconds * 60) / AT_REST_S) * 10) / 10])),
  };
}

interface XrRow { name: string; synced: boolean; refs: number }
function xrs(): XrRow[] {
  return getJson(['get', 'paymentenvironments', '-A']).items.map((x: any) => ({
    name: x.metadata.name,
    synced: (x.status?.conditions ?? []).some((c: any) => c.type === 'Synced' && c.status === 'True'),
    refs: x.spec.crossplane?.resourceRefs?.length ?? 0,
  }));
}

async function measure(n: number, note: string): Promise<Record<string, unknown>> {
  log(`N=${n}: fresh cluster`);
  await down(true);
  const upStart = Date.now();
  await up();
  const clusterUpMs = Date.now() - upStart;
  const state = readState()!;
  workClone();
  const envDir = join(WORK, 'environments');
  const own = readdirSync(envDir).filter((f) => f.endsWith('.yaml')).length;
  generate(n - own, envDir, 10);
  const names = readdirSync(envDir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
  synth(environmentFiles(envDir), join(WORK, 'dist'));
  const want = await expectedCounts(names);
  const sampler = new Sampler(state.pids);
  sampler.start();
  const committedAt = commitAndPush(`bench: ${n} environments`);
  applyArgoObjects(state.repoURL);
  await webhook();
  const composedTotal = Object.values(want).reduce((a, b) => a + b, 0);
  log(`N=${n}: committed; waiting for ${names.length} XRs Synced with ${composedTotal} composed resources`);
  let lastProgress = '';
  let appsSyncedMs: number | undefined;
  const allComposedMs = await until('every XR Synced with all it composes', () => {
    if (appsSyncedMs === undefined) {
      const apps = getJson(['get', 'applications', '-n', 'argocd']).items.filter((a: any) => a.metadata.name.startsWith('payments-'));
      if (apps.length === names.length && apps.every((a: any) => a.status?.sync?.status === 'Synced')) appsSyncedMs = Date.now() - committedAt;
    }
    const rows = xrs();
    const done = rows.filter((r) => r.synced && r.refs >= want[r.name]).length;
    const progress = `${rows.length}/${names.length} XRs, ${done} complete, ${rows.reduce((a, r) => a + r.refs, 0)} composed`;
    if (progress !== lastProgress) log(`N=${n}: ${progress}`);
    lastProgress = progress;
    return done === names.length ? Date.now() - committedAt : undefined;
  }, 3_600_000, 2000);
  const usage = sampler.stop();
  log(`N=${n}: all composed after ${(allComposedMs / 1000).toFixed(1)} s`);
  const atRest = await steadyState(state.ports.xpMetrics, state.pids);
  log(`N=${n}: at rest ${JSON.stringify(atRest)}`);

  // With N present: one environment's commit, and one hand edit, each timed.
  const devFile = join(envDir, 'dev.yaml');
  const claim = parse(readFileSync(devFile, 'utf8'));
  // The same ECR repository with another tag: Lambda runs ECR images only (src/schema.ts refuses others).
  claim.spec.appImage = claim.spec.appImage.replace(/:[^:@/]+$/, `:scale-${n}`);
  writeFileSync(devFile, stringify(claim));
  const commitAt = commitAndPush(`bench: dev image at ${n} environments`);
  await webhook();
  const lambda = () => getJson(['get', 'functions.lambda.aws.m.upbound.io', '-n', 'payments-dev', '-l', 'paymentenv.io/component=lambda']).items[0];
  const commitToComposedMs = await until('dev Lambda has the new image', () => (lambda()?.spec.forProvider.imageUri === claim.spec.appImage ? Date.now() - commitAt : undefined), 900_000, 250);

  const dlqOf = () => getJson(['get', 'queues.sqs.aws.m.upbound.io', '-n', 'payments-dev', '-l', 'paymentenv.io/component=dlq']).items[0];
  const dlq = dlqOf();
  const retention = dlq.spec.forProvider.messageRetentionSeconds;
  // What waits in Crossplane's queues when the edit lands, and the most that waited until it was reverted.
  const queuesAtEdit = await busyQueues(state.ports.xpMetrics);
  const queuesPeak: Record<string, number> = { ...queuesAtEdit };
  const editAt = Date.now();
  kubectl(['patch', 'queues.sqs.aws.m.upbound.io', '-n', 'payments-dev', dlq.metadata.name, '--type=merge', '-p', JSON.stringify({ spec: { forProvider: { messageRetentionSeconds: 60 } } })]);
  const sampleQueues = setInterval(() => busyQueues(state.ports.xpMetrics).then((q) => {
    for (const [k, v] of Object.entries(q)) queuesPeak[k] = Math.max(queuesPeak[k] ?? 0, v);
  }, () => undefined), 500);
  const revertComposedEditMs = await until('DLQ retention reverted', () => (dlqOf().spec.forProvider.messageRetentionSeconds === retention ? Date.now() - editAt : undefined), 900_000, 250)
    .finally(() => clearInterval(sampleQueues));

  const etcdDbBytes = await metric(state.ports.etcd, 'etcd_mvcc_db_total_size_in_bytes');
  const etcdKeys = await metric(state.ports.etcd, 'etcd_debugging_mvcc_keys_total');
  const breaker = await circuitBreaker(state.ports.xpMetrics);
  const row = {
    envs: names.length,
    composed: composedTotal,
    clusterUpMs,
    allComposedMs,
    appsSyncedMs: appsSyncedMs ?? null,
    composedPerSecond: Math.round((composedTotal / (allComposedMs / 1000)) * 10) / 10,
    commitToComposedMs,
    revertComposedEditMs,
    crossplaneQueuesAtEdit: queuesAtEdit,
    crossplaneQueuesPeakUntilReverted: queuesPeak,
    crossplaneArgs: shipped().crossplaneArgs,
    etcdDbMb: etcdDbBytes === undefined ? null : Math.round((etcdDbBytes / 2 ** 20) * 10) / 10,
    etcdKeys: etcdKeys ?? null,
    circuitBreakerOpens: breaker.opens,
    circuitBreakerDroppedEvents: breaker.droppedEvents,
    circuitBreakerEvents: breaker.events,
    usage,
    atRest,
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
    ...(note ? { note } : {}),
  };
  log(`N=${n}: ${JSON.stringify(row)}`);
  return row;
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--envs');
  const ns = (arg > 0 ? process.argv[arg + 1] : '10,30,60').split(',').map(Number);
  // --note: what else ran on the machine (the measurements share its cores).
  const noteAt = process.argv.indexOf('--note');
  const note = noteAt > 0 ? process.argv[noteAt + 1] : '';
  if (ns.some((x) => !Number.isInteger(x) || x < 4 || x > 250)) throw new Error('--envs: comma-separated environment counts, each 4..250 (dev, staging and prod of git are three of them; N = 3 is npm run e2e)');
  const runs = [];
  try {
    for (const n of ns) runs.push(await measure(n, note));
  } finally {
    await down(true);
  }
  const prev = (() => { try { return JSON.parse(readFileSync(RESULTS, 'utf8')); } catch { return undefined; } })();
  const byN = new Map<number, unknown>((prev?.runs ?? []).map((r: any) => [r.envs, r]));
  for (const r of runs) byN.set(r.envs as number, r);
  // What the shipped settings must hold at every N (src/bootstrap/index.ts: the circuit breaker's
  // burst and refill, Argo CD's processors): no XR's breaker opens, and a hand edit is reverted
  // within twice the time it takes with the three environments of git (npm run e2e's
  // revertComposedEdit: the same edit on the same control plane; git's three are already
  // committed, so this bench cannot time N = 3 from a commit).
  const all = [...byN.values()] as any[];
  const e2e = (() => { try { return JSON.parse(readFileSync(join(ROOT_DIR, 'bench', 'results', 'e2e.json'), 'utf8')); } catch { return undefined; } })();
  const atThree = e2e?.latenciesMs?.revertComposedEdit as number | undefined;
  if (atThree === undefined) throw new Error('bench/results/e2e.json has no revertComposedEdit: run npm run e2e first (the N = 3 reference)');
  for (const r of all) {
    r.checks = {
      circuitBreakerNeverOpened: r.circuitBreakerOpens === 0,
      revertWithin2xOfThreeEnvironments: r.revertComposedEditMs <= 2 * atThree,
    };
  }
  mkdirSync(join(ROOT_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify({
    when: new Date().toISOString(),
    machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    versions: { crossplane: PINS.CROSSPLANE_VERSION, argocd: PINS.ARGOCD_VERSION, kubernetes: PINS.KUBERNETES_VERSION, etcd: PINS.ETCD_VERSION },
    revertComposedEditMsAtThree: atThree,
    runs: [...byN.entries()].sort(([a], [b]) => a - b).map(([, r]) => r),
  }, null, 2)}\n`);
  log(`written ${RESULTS}`);
  const failed = all.flatMap((r) => Object.entries(r.checks).filter(([, ok]) => !ok).map(([check]) => `N=${r.envs}: ${check}`));
  if (failed.length) throw new Error(`the shipped settings do not hold: ${failed.join(', ')}`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`bench:scale: ${(e as Error).message}`);
    process.exit(1);
  });
}
