// Helpers for the live e2e: kubectl on the local control plane, waiting with
// measured latency, and a work clone of the local git repository that plays
// "a person committing to the environments repo".
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { KUBECONFIG, kubectl } from '../../src/dev/cluster';
import { startFunctions, tool } from '../../src/tools';
import { ROOT_DIR as ROOT } from '../../src/versions';

export function getJson(args: string[]): any {
  return JSON.parse(kubectl([...args, '-o', 'json']));
}

export function tryGetJson(args: string[]): any | undefined {
  try {
    return getJson(args);
  } catch {
    return undefined;
  }
}

/** Polls until probe returns a value; resolves with it and the milliseconds it took. */
export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 180_000, everyMs = 250): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const v = probe();
      if (v !== undefined && v !== false) return { value: v as T, ms: Date.now() - t0 };
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export { applyArgoObjects, commitAndPush, webhook, WORK, workClone } from '../../src/dev/git';

/** The composed resources of a PaymentEnvironment, by kind. */
export function composedCountsByKind(env: string): Record<string, number> {
  const xr = getJson(['get', 'paymentenvironment', '-n', `payments-${env}`, env]);
  const counts: Record<string, number> = {};
  for (const r of xr.spec.crossplane?.resourceRefs ?? []) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
}

/** A composed resource of an environment by its composition resource name. */
export function composed(env: string, kind: string, name: string): any | undefined {
  const list = getJson(['get', kind, '-n', `payments-${env}`, '-l', `paymentenv.io/component=${name}`]);
  return list.items[0];
}

/** Merges this file's results into bench/results/e2e.json (each e2e file adds its part). */
export function recordResults(part: { latenciesMs?: Record<string, number>; composedCounts?: unknown; notes?: Record<string, string> }): void {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'e2e.json');
  const prev = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const next = {
    when: new Date().toISOString(),
    latenciesMs: { ...prev.latenciesMs, ...part.latenciesMs },
    composedCounts: part.composedCounts ?? prev.composedCounts ?? {},
    notes: { ...prev.notes, ...part.notes },
  };
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  const rows = Object.entries(next.latenciesMs as Record<string, number>).map(([k, v]) => `${k.padEnd(40)} ${(v / 1000).toFixed(1).padStart(7)} s`);
  console.log(['e2e latencies so far', ...rows].join('\n'));
}

export interface PeerDiff { exitCode: number; added: string[]; modified: string[]; removed: string[] }

/**
 * crossplane-contrib/crossplane-diff (the peer of payenv plan) on a claim file against the live
 * cluster: the composed resources it would add, modify and remove, by composition resource name.
 * It reads the pipeline's Functions from the cluster and runs them as their render annotations
 * say; with no Docker engine here they are paused Function objects pointing at local insecure
 * processes, and it renders with the pinned Crossplane binary (--crossplane-render-binary)
 * instead of the crossplane image it pulls by default.
 */
export async function crossplaneDiff(claimFile: string, dist: string): Promise<PeerDiff> {
  const servers = await startFunctions(readFileSync(join(dist, 'platform', 'functions.yaml'), 'utf8'));
  const fns = parseAllDocuments(readFileSync(servers.functionsFile, 'utf8')).map((d) => d.toJS());
  for (const f of fns) f.metadata.annotations['crossplane.io/paused'] = 'true';
  try {
    kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], fns.map((f) => stringify(f)).join('---\n'));
    const r = spawnSync(tool('crossplane-diff'), ['xr', claimFile, '--crossplane-render-binary', tool('crossplane-core'), '-o', 'json', '--timeout=3m',
      // The deployment marker moves on every claim change: the plan summarises it in one line.
      '--ignore-paths', 'spec.forProvider.tags[ConfigHash]'],
      { encoding: 'utf8', env: { ...process.env, KUBECONFIG } });
    // Its exit codes: 0 no change, 3 changes; 1 and 2 are errors.
    if (r.status !== 0 && r.status !== 3) throw new Error(`crossplane-diff exit ${r.status}: ${r.stderr}`);
    const changes: any[] = JSON.parse(r.stdout).changes ?? [];
    const of = (type: string) => changes.filter((c) => c.type === type)
      .map((c) => (c.diff.new ?? c.diff.old)?.metadata?.annotations?.['crossplane.io/composition-resource-name'])
      .filter((n): n is string => !!n).sort();
    return { exitCode: r.status, added: of('added'), modified: of('modified'), removed: of('removed') };
  } finally {
    await servers.stop();
    kubectl(['delete', 'functions.pkg.crossplane.io', ...fns.map((f) => f.metadata.name), '--ignore-not-found', '--wait=false']);
  }
}
