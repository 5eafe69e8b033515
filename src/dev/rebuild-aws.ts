// The case "control plane lost" of npm run e2e:faults -- --aws (issue 38): on what npm run e2e:aws
// leaves running, the control plane is lost (every process stopped, etcd deleted) and a new one
// is bootstrapped from git as docs/operations.md says: adoption mode committed first, the README's
// bootstrap, payenv adopt for every environment, adoption mode left by a commit. AWS (the
// emulator) and git (the local repository) live outside the control plane and are kept.
// Counted from the loss on, by the emulator: creates, deletes, and writes to data stores.
import { execFile, execFileSync } from 'child_process';
import { readFileSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { promisify } from 'util';
import { parse, stringify } from 'yaml';
import { EXTERNAL_NAME } from '../composition/resource';
import { ADOPT_ANNOTATION, isAwsManaged } from '../names';
import { providerFamilies } from '../platform';
import { namespaceOf } from '../validate';
import { waitForPort } from '../tools';
import { ROOT_DIR } from '../versions';
import { composedManaged, crdsEstablished, down, KUBECONFIG, kubeconfigOf, kubectl, readState, snapshot, STATE, start, track, until, up } from './cluster';
import { applyProviderCrds, emulatorProviderConfig } from './e2e-aws';
import { emulatorCalls, writesBetween } from './calls';
import { commitAndPush, webhook, WORK, workClone } from './git';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PAYENV = join(ROOT_DIR, 'bin', 'payenv.js');
const PYTHON = join(ROOT_DIR, '.tools', 'moto', 'bin', 'python');
const cond = (o: any, type: string) => (o?.status?.conditions ?? []).find((c: any) => c.type === type);
const managed = composedManaged;

/** payenv as a person runs it (the operator identity: cluster-admin, not break-glass); exit code and output. */
async function payenv(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, [PAYENV, ...args, '--kubeconfig', kubeconfigOf('operator')], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e: any) {
    return { code: e.code ?? 1, out: e.stdout ?? '', err: e.stderr ?? String(e) };
  }
}

/** The environments' claims in (or out of) adoption mode: one commit, as a person makes it. */
function setAdoption(envs: string[], on: boolean): number {
  for (const env of envs) {
    const file = join(WORK, 'environments', `${env}.yaml`);
    const doc = parse(readFileSync(file, 'utf8'));
    const annotations = { ...doc.metadata.annotations };
    if (on) annotations[ADOPT_ANNOTATION] = 'true';
    else delete annotations[ADOPT_ANNOTATION];
    doc.metadata.annotations = Object.keys(annotations).length ? annotations : undefined;
    writeFileSync(file, stringify(doc));
  }
  return commitAndPush(on ? `${envs.join(', ')}: adoption mode (control plane lost)` : `${envs.join(', ')}: leave adoption mode`);
}

/** The AWS settings of the person running payenv adopt --lookup: the emulator, as caller "adopt" (reads only). */
export const adopterAws = (endpoint: string) => ({
  AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'adopt', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

/**
 * Loses the control plane and rebuilds it from git; `from` is how payenv adopt names what AWS
 * picked: a `payenv manifest -o json` backup taken before the loss, or lookups in AWS alone.
 */
export async function controlPlaneLost(endpoint: string, envs: string[], from: 'backup' | 'lookup', log: (m: string) => void) {
  const calls = () => emulatorCalls(endpoint);
  const inventory = async () => JSON.parse((await run(PYTHON, [join(ROOT_DIR, 'scripts', 'aws-drift.py'), endpoint, 'inventory'])).stdout);
  const backup = join(STATE, 'manifest-backup.json');
  const made = await payenv(['manifest', '-o', 'json', '--out', backup]);
  if (made.code !== 0) throw new Error(`payenv manifest: ${made.err}`);
  const names = new Map<string, string | null>(JSON.parse(readFileSync(backup, 'utf8')).environments
    .flatMap((e: any) => e.resources.filter(isAwsManaged).map((r: any) => [`${e.name}/${r.name}`, r.externalName] as const)));
  const [inventoryBefore, callsBefore] = [await inventory(), await calls()];

  // Everything outside the control plane that talks to it, as it ran (pods come back the same way).
  const s = readState()!;
  const outside = Object.entries(s.pids).filter(([n]) => n.startsWith('provider-aws-') || n === 'drift-listener').map(([name, pid]) => ({ name, pid, ...snapshot(pid) }));
  for (const p of outside) { try { process.kill(p.pid, 'SIGTERM'); } catch { /* gone */ } }
  await until('providers and listener stopped', () => outside.every((p) => { try { process.kill(p.pid, 0); return false; } catch { return true; } }), 60_000, 200);
  const emulatorPid = s.pids.emulator;
  delete s.pids.emulator;
  for (const p of outside) delete s.pids[p.name];
  writeFileSync(join(STATE, 'state.json'), JSON.stringify(s, null, 2));

  // git as the team's repository holds it: this project's HEAD, merged with what e2e:aws committed
  // to the environments since; then, as docs/operations.md says, adoption mode before the new
  // control plane reads git.
  workClone();
  execFileSync('git', ['-C', WORK, 'fetch', '-q', ROOT_DIR, 'HEAD']);
  execFileSync('git', ['-C', WORK, 'merge', '-q', '--no-ff', '--no-commit', '-X', 'theirs', 'FETCH_HEAD']);
  commitAndPush('platform: this project\'s HEAD');
  setAdoption(envs, true);
  const lostAt = Date.now();
  await down(true);
  log(`control plane lost (etcd deleted); bootstrapping a new one from git with ${envs.join(', ')} in adoption mode`);
  await up({ envs, providerConfigFromGit: false, keepRepository: true });
  track('emulator', emulatorPid);
  const upAt = Date.now();
  applyProviderCrds(providerFamilies());
  await crdsEstablished();
  for (const env of envs) {
    await until(`namespace ${namespaceOf(env)} from Argo CD`, () => kubectl(['get', 'namespace', namespaceOf(env), '-o', 'name', '--ignore-not-found']).trim(), 300_000, 1000);
    kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], emulatorProviderConfig(env, endpoint).map((o) => stringify(o)).join('---\n'));
  }
  await until('every environment composed, every managed resource Observe-only', () => envs.every((env) => {
    const ms = managed(env);
    return ms.length > 50 && ms.every((o) => JSON.stringify(o.spec.managementPolicies) === '["Observe"]');
  }), 600_000, 2000);
  const composedMs = Date.now() - upAt;
  const listenerLog = join(STATE, 'logs', 'drift-listener.log');
  const logFrom = statSync(listenerLog, { throwIfNoEntry: false })?.size ?? 0;
  // One at a time, each until it serves its health probe (as e2e:aws starts them): 21 families
  // started at once load 2 cores past 40 and the API server times out the Composition's applies.
  for (const p of outside) {
    track(p.name, start(p.name, p.argv[0], p.argv.slice(1), p.env).pid!);
    const health = p.argv.find((a) => a.startsWith('--health-probe-bind-addr='))?.split(':').pop();
    if (health) await waitForPort(Number(health), 180_000).catch(() => undefined);
  }
  log(`composed in ${(composedMs / 1000).toFixed(1)} s; providers and the drift listener started again`);

  // payenv adopt until every environment is named: resources held back until others are
  // observed appear in later rounds.
  // With a backup, lookups name only what it does not (a task definition slot composed under the other name).
  const adoptArgs = from === 'backup' ? ['--from', backup, '--lookup'] : ['--lookup'];
  const aws = adopterAws(endpoint);
  const rounds: Record<string, unknown>[] = [];
  const agreement: Record<string, { same: number; differ: string[] }> = {};
  // What leaving adoption mode would change, as adopt's last round saw it (src/ops/adopt.ts differences).
  const differences: Record<string, string[]> = {};
  const t = Date.now();
  // One round: payenv adopt for one environment; true once it is done.
  const round = async (env: string): Promise<boolean> => {
    const r = await payenv(['adopt', env, ...adoptArgs, '-o', 'json'], aws);
    const report = r.out ? JSON.parse(r.out) : { counts: {}, notComposed: [], error: r.err.slice(0, 300) };
    const sources = (report.bindings ?? []).filter((b: any) => b.outcome === 'bound').reduce((n: Record<string, number>, b: any) => ({ ...n, [b.source]: (n[b.source] ?? 0) + 1 }), {});
    rounds.push({ env, atMs: Date.now() - upAt, exit: r.code, counts: report.counts, sources, notComposed: report.notComposed ?? null,
      differences: report.differences?.length ?? null, reobserved: report.reobserved?.length ?? null, error: report.error });
    differences[env] = (report.differences ?? []).map((d: any) => `${d.name} ${d.field}: ${JSON.stringify(d.observed)} -> ${JSON.stringify(d.desired)}`.slice(0, 240));
    for (const b of report.bindings ?? []) {
      if (b.outcome !== 'bound' || b.source !== 'lookup') continue;
      const a = (agreement[env] ??= { same: 0, differ: [] });
      if (names.get(`${env}/${b.name}`) === b.externalName) a.same++;
      else a.differ.push(`${b.name}: ${b.externalName} (before the loss: ${names.get(`${env}/${b.name}`)})`);
    }
    // Done when nothing more will be composed: every resource named and observed, and the
    // environment Ready (no resource held back for a field another has not reported yet). What
    // the backup has and this composition does not (a task definition slot composed under the other
    // name: the new control plane composes blue, which reads the family's latest revision) stays.
    if (r.code !== 0 || report.counts.bound || report.counts.missing || report.counts.refused) return false;
    const xr = JSON.parse(kubectl(['get', 'paymentenvironment', '-n', namespaceOf(env), env, '-o', 'json']));
    return cond(xr, 'Ready')?.status === 'True' && managed(env).every((o) => cond(o, 'Ready')?.status === 'True');
  };
  let pending = [...envs];
  // The environments one beside the other, as a team with three terminals would.
  while (pending.length && Date.now() - t < 1_500_000) {
    const done = await Promise.all(pending.map(round));
    pending = pending.filter((_, i) => !done[i]);
    if (pending.length) await sleep(15_000);
  }
  const adoptedMs = Date.now() - upAt;
  const unnamed = envs.flatMap((env) => managed(env).filter((o) => !o.metadata.annotations?.[EXTERNAL_NAME]).map((o) => `${env}/${o.metadata.annotations?.['crossplane.io/composition-resource-name']}`));
  log(`adopt: ${pending.length ? `NOT done for ${pending.join(', ')}` : 'every managed resource named'} after ${(adoptedMs / 1000).toFixed(1)} s`);

  // Leaving adoption mode: a commit. Unnamed resources would be created now, so not when any is left.
  let readyMs: number | null = null;
  let notWell: string[] = [];
  if (!unnamed.length) {
    setAdoption(envs, false);
    await webhook();
    const t2 = Date.now();
    while (Date.now() - t2 < 900_000) {
      notWell = envs.flatMap((env) => managed(env).filter((o) => cond(o, 'Ready')?.status !== 'True' || cond(o, 'Synced')?.status !== 'True'
        || JSON.stringify(o.spec.managementPolicies) === '["Observe"]').map((o) => `${env} ${o.kind}/${o.metadata.annotations?.['crossplane.io/composition-resource-name']}: ${(cond(o, 'Synced')?.message ?? 'not ready').slice(0, 160)}`));
      if (!notWell.length) { readyMs = Date.now() - upAt; break; }
      await sleep(3000);
    }
  }
  // The drift listener at work again: it reads each environment's queue (its log since the restart says so).
  const reading = () => envs.filter((env) => readFileSync(listenerLog).subarray(logFrom).toString().includes(`reading ${env} `));
  await until('the drift listener reading every environment\'s queue', () => reading().length === envs.length, 180_000, 2000).catch(() => undefined);
  const writes = writesBetween(callsBefore, await calls(), envs);
  const inventoryAfter = await inventory();
  const changed = ['buckets', 'queues', 'tables', 'vpcs'].flatMap((k) => [
    ...inventoryAfter[k].filter((v: string) => !inventoryBefore[k].includes(v)).map((v: string) => `${k}: new ${v}`),
    ...inventoryBefore[k].filter((v: string) => !inventoryAfter[k].includes(v)).map((v: string) => `${k}: gone ${v}`)]);
  const invariants = {
    from, lostToUpMs: upAt - lostAt, composedMs, adoptedMs, readyMs, rounds, unnamed, notWell: notWell.slice(0, 10),
    // Names lookups gave, against what the lost control plane recorded (its payenv manifest).
    lookupAgreement: agreement, differencesBeforeLeaving: differences,
    ...writes, inventoryChanges: changed,
    listenerReading: reading(),
  };
  const ok = readyMs !== null && readyMs < 900_000 && !Object.keys(writes.creates).length && !Object.keys(writes.deletes).length
    && !Object.keys(writes.dataStoreUpdates).length && !changed.length && invariants.listenerReading.length === envs.length;
  return { recoveryMs: readyMs, invariants, ok, kubeconfig: KUBECONFIG };
}
