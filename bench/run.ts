// npm run bench: cost of synth, validation, render and check as environments
// grow, and the GitOps loop latencies from the live e2e when present.
// Writes bench/results/bench.json and prints a table with the goals beside.
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { cpus, totalmem, tmpdir } from 'os';
import { join } from 'path';
import { generate } from '../src/dev/environments';
import { planBench } from './plan';
import { PINS, ROOT_DIR } from '../src/versions';

const RESULTS = join(ROOT_DIR, 'bench', 'results');
const NODE = process.execPath;
const PAYENV = join(ROOT_DIR, 'bin', 'payenv.js');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeCommand(args: string[], runs: number): { medianMs: number; runsMs: number[] } {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(NODE, [PAYENV, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`payenv ${args.join(' ')} failed: ${r.stderr}`);
    runsMs.push(performance.now() - t0);
  }
  return { medianMs: median(runsMs), runsMs };
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const rows: { measure: string; value: string; goal: string; ok: boolean | null }[] = [];
  const synthScaling: Record<number, unknown> = {};
  for (const n of [3, 30, 100, 250]) {
    const dir = generate(n);
    const out = mkdtempSync(join(tmpdir(), 'payenv-bench-out-'));
    const runs = [1, 2, 3].map(() => {
      const t0 = performance.now();
      const json = execFileSync(NODE, [join(ROOT_DIR, 'lib', 'bench', 'synth-child.js'), dir, out], { encoding: 'utf8' });
      return { ...JSON.parse(json), processMs: performance.now() - t0 };
    });
    const best = runs.sort((a, b) => a.processMs - b.processMs)[Math.floor(runs.length / 2)];
    const validate = timeCommand(['validate', ...Array.from({ length: n }, (_, i) => join(dir, `env-${String(i).padStart(3, '0')}.yaml`))], 3);
    synthScaling[n] = { ...best, validateCommandMs: validate.medianMs };
    const goal = n === 3 ? 2000 : n === 250 ? 15000 : undefined;
    rows.push({
      measure: `synth+validate, ${n} envs (process, median of 3)`, value: `${best.processMs.toFixed(0)} ms, ${best.maxRssMb.toFixed(0)} MB peak`,
      goal: goal ? `< ${goal / 1000} s` : '', ok: goal ? best.processMs < goal : null,
    });
    rows.push({ measure: `  payenv validate, ${n} envs`, value: `${validate.medianMs.toFixed(0)} ms`, goal: '', ok: null });
  }
  const s3 = synthScaling[3] as any;
  const s250 = synthScaling[250] as any;
  const ratio = s250.ms / s3.ms;
  rows.push({ measure: 'growth: in-process synth time(250)/time(3)', value: `${ratio.toFixed(1)}x for 83x the environments`, goal: '~linear (<= 83x)', ok: ratio <= 83 });
  rows.push({ measure: 'growth: validation time(250)/time(3)', value: `${(s250.validateMs / s3.validateMs).toFixed(1)}x`, goal: '~linear (<= 83x)', ok: s250.validateMs / s3.validateMs <= 83 });

  // Render and check of the committed environments, warm (tools built), median of 5.
  const render = timeCommand(['render', 'dev'], 5);
  const renderProd = timeCommand(['render', 'prod'], 5);
  const check = timeCommand(['check'], 3);
  rows.push({ measure: 'payenv render dev (warm, median of 5)', value: `${render.medianMs.toFixed(0)} ms`, goal: '< 3 s', ok: render.medianMs < 3000 });
  rows.push({ measure: 'payenv render prod (warm, median of 5)', value: `${renderProd.medianMs.toFixed(0)} ms`, goal: '< 3 s', ok: renderProd.medianMs < 3000 });
  rows.push({ measure: 'payenv check, 3 envs (render + validate all, median of 3)', value: `${check.medianMs.toFixed(0)} ms`, goal: `< ${3 * 3} s (3 s per env)`, ok: check.medianMs < 9000 });
  const planned = await planBench();
  rows.push({ measure: 'payenv plan, 3 envs both sides rendered (cold: no render cache)', value: `${(planned.coldMs / 1000).toFixed(1)} s`, goal: '', ok: null });
  rows.push({ measure: 'payenv plan, 3 envs both sides rendered (warm)', value: `${(planned.warmMs / 1000).toFixed(1)} s`, goal: '< 10 s', ok: planned.warmMs < 10000 });
  rows.push({ measure: 'dist/ for 3 envs', value: `${s3.bytes} bytes, ${s3.objects} objects, ${s3.files} files`, goal: '', ok: null });
  rows.push({ measure: 'dist/ for 250 envs', value: `${s250.bytes} bytes, ${s250.objects} objects, ${s250.files} files`, goal: '', ok: null });

  const e2eFile = join(RESULTS, 'e2e.json');
  const e2e = existsSync(e2eFile) ? JSON.parse(readFileSync(e2eFile, 'utf8')) : undefined;
  if (e2e?.latenciesMs) {
    for (const [k, v] of Object.entries(e2e.latenciesMs as Record<string, number>)) {
      const goal = k === 'commitToComposed_webhook' ? 15000 : undefined;
      rows.push({ measure: `e2e: ${k}`, value: `${(v / 1000).toFixed(1)} s`, goal: goal ? '< 15 s' : '', ok: goal ? v < goal : null });
    }
  } else {
    rows.push({ measure: 'e2e latencies', value: 'no bench/results/e2e.json (run npm run e2e)', goal: '', ok: null });
  }

  const result = {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    versions: PINS,
    synthScaling,
    render: { dev: render, prod: renderProd },
    check,
    plan: planned,
    e2e: e2e ?? null,
    rows,
  };
  writeFileSync(join(RESULTS, 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
  const w = Math.max(...rows.map((r) => r.measure.length));
  const v = Math.max(...rows.map((r) => r.value.length));
  console.log(`${'measure'.padEnd(w)}  ${'value'.padEnd(v)}  goal`);
  for (const r of rows) console.log(`${r.measure.padEnd(w)}  ${r.value.padEnd(v)}  ${r.goal}${r.ok === null ? '' : r.ok ? '  ok' : '  MISSED'}`);
  console.log(`\nwritten: ${join('bench', 'results', 'bench.json')}`);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
