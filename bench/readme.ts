// npm run readme: the README's measured tables, written from bench/results/*.json
// (the files the runs that measured them wrote). Each table sits between
// <!-- results:NAME --> and <!-- /results:NAME --> in README.md; nothing between
// the markers is typed by hand. test/readme.test.ts fails when they disagree.
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ROOT_DIR as ROOT } from '../src/versions';

const README = join(ROOT, 'README.md');
const results = (name: string) => {
  const f = join(ROOT, 'bench', 'results', `${name}.json`);
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
};
const s = (ms: number | null | undefined) => (ms == null ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** The AWS-layer run (npm run e2e:aws): readiness, steady-state calls and hand changes per tier. */
function e2eAws(r: any): string {
  if (!r?.tiers) return '_No multi-tier run recorded yet: run `npm run e2e:aws`._';
  const tiers = Object.entries(r.tiers) as [string, any][];
  const out = [
    `Run of ${r.when.slice(0, 10)}: ${r.machine.cores} cores, provider-aws ${r.versions.providerAws}, moto ${r.versions.moto}, poll ${r.setup.poll}, ${r.setup.familiesRunning.length} families.`,
    '',
    '| tier | Ready / composed | all Ready after | writes at steady state | AWS reads / min at steady state |',
    '|---|---|---|---|---|',
    ...tiers.map(([t, x]) => `| ${t} | ${x.ready} / ${x.total} | ${s(x.msUntilAllReady)} | ${x.steadyState.writes.reduce((a: number, w: any) => a + w.count, 0)} | ${x.steadyState.readsPerMinute} |`),
    '',
    'Reads per minute by service at steady state (the AWS API quota polling costs, per environment):',
    '',
    `| service | ${tiers.map(([t]) => t).join(' | ')} |`,
    `|---|${tiers.map(() => '---').join('|')}|`,
    ...[...new Set(tiers.flatMap(([, x]) => Object.keys(x.steadyState.readsPerMinuteByService)))].sort()
      .map((svc) => `| ${svc} | ${tiers.map(([, x]) => x.steadyState.readsPerMinuteByService[svc] ?? 0).join(' | ')} |`),
    '',
    '| changed by hand in "AWS" (boto3) | tier | back as the claim says after |',
    '|---|---|---|',
    ...tiers.flatMap(([t, x]) => x.drift.map((d: any) => `| ${d.what} | ${t} | ${d.restoredMs != null ? s(d.restoredMs) : d.refusedByAws ? `refused by AWS: ${d.refusedByAws.replace(/\|/g, '\\|')}` : `not restored: ${(d.error ?? `${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`).replace(/\|/g, '\\|')}`} |`)),
  ];
  const notReady = tiers.flatMap(([t, x]) => x.notReady.map((n: any) => `- ${t}: ${n.kind} \`${n.name}\`: ${n.error.replace(/\s+/g, ' ').slice(0, 300)}`));
  if (notReady.length) out.push('', 'Not Ready, with the provider\'s error:', '', ...notReady);
  if (r.commitToAws?.length) {
    out.push('', '| commit to `environments/dev.yaml` (appImage) | until the new image is in "AWS" on | total | Argo CD | Crossplane | provider |', '|---|---|---|---|---|---|');
    for (const j of r.commitToAws) {
      // Runs before the ECS slots recorded one resource (the Lambda function) per commit.
      for (const x of j.resources ?? [j]) {
        out.push(`| ${j.trigger} | ${x.resource} | ${x.msToAws != null ? s(x.msToAws) : 'not reached'} | ${s(x.shares?.argocd)} | ${s(x.shares?.crossplane)} | ${s(x.shares?.provider)} |`);
      }
    }
  }
  return out.join('\n');
}

/** The live GitOps loop (npm run e2e). */
const E2E_ROWS: [string, (l: Record<string, number>) => string][] = [
  ['`cluster:up` (etcd → Argo CD applied)', (l) => s(l.clusterUp)],
  ['Argo CD syncs platform + 3 environments', (l) => s(l.firstSyncAllApps)],
  ['commit of `environments/dev.yaml` → composed resource updated (`npx payenv sync dev`, as a webhook would)', (l) => s(l.commitToComposed_refresh)],
  ['the same by Argo CD\'s polling alone', (l) => s(l.commitToComposed_polling)],
  ['composed resource edited by hand → reverted by Crossplane', (l) => s(l.revertComposedEdit)],
  ['claim edited by hand → reverted by Argo CD selfHeal', (l) => s(l.revertClaimEdit)],
  ['composed resource deleted → recreated', (l) => s(l.recreateDeletedComposed)],
  ['commit deleting `dev.yaml` → dev claim gone; its composed resources gone after', (l) => `${s(l.commitToDevDeleted)}; +${s(l.devComposedGone)}`],
];

function e2e(r: any): string {
  if (!r?.latenciesMs) return '_No run recorded yet: run `npm run e2e`._';
  return [`Run of ${r.when.slice(0, 10)} (\`bench/results/e2e.json\`):`, '', '| step | time |', '|---|---|',
    ...E2E_ROWS.map(([what, value]) => `| ${what} | ${value(r.latenciesMs)} |`)].join('\n');
}

/** npm run bench: its own rows, goals beside. */
function bench(r: any): string {
  if (!r?.rows) return '_No run recorded yet: run `npm run bench`._';
  return [`${r.machine.cpus} cores, Node ${r.machine.node.replace(/^v/, '')} (\`bench/results/bench.json\`):`, '', '| measure | value | goal |', '|---|---|---|',
    ...r.rows.map((x: any) => `| ${x.measure.trim()} | ${x.value} | ${x.goal}${x.ok === null ? '' : x.ok ? ' ok' : ' MISSED'} |`)].join('\n');
}

/** Prowler per tier and framework (the compliance step of e2e:aws), and each FAIL left. */
function compliance(r: any): string {
  if (!r?.tiers) return '_No scan recorded yet: run `npm run e2e:aws` with Prowler installed._';
  const tiers = Object.entries(r.tiers) as [string, any][];
  const frameworks = Object.keys(tiers[0][1].frameworks);
  const failing = new Map<string, string[]>();
  for (const [t, x] of tiers) {
    for (const check of new Set(frameworks.flatMap((f) => Object.entries(x.frameworks[f].checks).filter(([, c]: [string, any]) => c.status === 'FAIL').map(([c]) => c)))) {
      failing.set(check, [...(failing.get(check) ?? []), t]);
    }
  }
  const fails = [...failing.entries()].sort().map(([check, ts]) => `- \`${check}\`: ${ts.join(', ')}`);
  return [`Prowler ${r.prowler} against the emulator, ${r.when.slice(0, 10)}; mutes and their reasons: \`${r.mutelist ?? 'none'}\` (\`bench/results/compliance.json\`):`, '',
    `| tier | ${frameworks.map((f) => `${f} pass / fail / muted`).join(' | ')} | not evaluable against the emulator |`,
    `|---|${frameworks.map(() => '---').join('|')}|---|`,
    ...tiers.map(([t, x]) => `| ${t} | ${frameworks.map((f) => `${x.frameworks[f].pass} / ${x.frameworks[f].fail} / ${x.frameworks[f].muted}`).join(' | ')} | ${x.notEvaluated.length} |`),
    ...(fails.length ? ['', 'Failing, not muted:', '', ...fails] : []),
  ].join('\n');
}

export const SECTIONS: Record<string, () => string> = {
  'compliance': () => compliance(results('compliance')),
  'e2e': () => e2e(results('e2e')),
  'bench': () => bench(results('bench')),
  'e2e-aws': () => e2eAws(results('e2e-aws')),
};

/** README.md with every results section regenerated. */
export function regenerated(text: string): string {
  let out = text;
  for (const [name, make] of Object.entries(SECTIONS)) {
    const re = new RegExp(`(<!-- results:${name} -->\\n)[\\s\\S]*?(<!-- /results:${name} -->)`);
    if (!re.test(out)) throw new Error(`README.md has no <!-- results:${name} --> ... <!-- /results:${name} --> section`);
    out = out.replace(re, (_, open, close) => `${open}${make()}\n${close}`);
  }
  return out;
}

if (require.main === module) {
  writeFileSync(README, regenerated(readFileSync(README, 'utf8')));
  console.log(`README.md: regenerated ${Object.keys(SECTIONS).join(', ')} from bench/results/`);
}
