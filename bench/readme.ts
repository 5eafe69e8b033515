// npm run readme: the measured tables of README.md and docs/*.md, written from
// bench/results/*.json (the files the runs that measured them wrote). Each table sits
// between <!-- results:NAME --> and <!-- /results:NAME --> in one of those pages; nothing
// between the markers is typed by hand. test/readme.test.ts fails when they disagree.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { auditTable } from '../src/audit';
import { composedResources } from '../src/composition';
import { AWS_CASE_GROUPS } from '../src/dev/fault-groups';
import { TIERS } from '../src/schema';
import { ROOT_DIR as ROOT } from '../src/versions';

/** The pages that may hold results sections. */
export const PAGES = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => join(ROOT, 'docs', f))];
export const results = (name: string) => {
  const f = join(ROOT, 'bench', 'results', `${name}.json`);
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
};
const s = (ms: number | null | undefined) => (ms == null ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** Managed resources whose spec was rewritten in a steady-state window (runs before it was recorded: —). */
const rewrites = (q: any) => (q?.specRewrites ? q.specRewrites.map((w: any) => `${w.kind} ${w.name} x${w.generations}`).join(', ') || '0' : '—');

/** The AWS-layer run (npm run e2e:aws): readiness, steady-state calls and hand changes per tier. */
function e2eAws(r: any): string {
  if (!r?.tiers) return '_No multi-tier run recorded yet: run `npm run e2e:aws`._';
  const tiers = Object.entries(r.tiers) as [string, any][];
  const out = [
    `Run of ${r.when.slice(0, 10)}: ${r.machine.cores} cores, provider-aws ${r.versions.providerAws}, moto ${r.versions.moto}, poll ${r.setup.poll}, ${r.setup.familiesRunning.length} families.`,
    '',
    '| tier | Ready / composed | all Ready after | writes at steady state | spec rewrites at steady state | AWS reads / min at steady state |',
    '|---|---|---|---|---|---|',
    ...tiers.map(([t, x]) => `| ${t} | ${x.ready} / ${x.total} | ${s(x.msUntilAllReady)} | ${x.steadyState.writes.reduce((a: number, w: any) => a + w.count, 0)} | ${rewrites(x.steadyState)} | ${x.steadyState.readsPerMinute} |`),
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
  // The control plane's cost at rest, both windows (runs before 2026-12-07 did not record it).
  if (r.cpuSecondsPerMinute) {
    const ev = r.events?.cpuSecondsPerMinute ?? {};
    out.push('', `CPU seconds per minute at steady state, by component (2 cores give 120): poll ${r.setup.poll} / poll ${r.events?.poll ?? '—'} with the drift listener:`, '',
      '| component | ' + `poll ${r.setup.poll} | poll ${r.events?.poll ?? '—'} + listener |`, '|---|---|---|',
      ...[...new Set([...Object.keys(r.cpuSecondsPerMinute), ...Object.keys(ev)])].map((c) => `| ${c === 'controlPlane' ? '**control plane**' : c} | ${r.cpuSecondsPerMinute[c] ?? '—'} | ${ev[c] ?? '—'} |`));
  }
  // What keeps the API server busy at rest: its busiest requests by verb and resource, both windows.
  const rest = r.apiserver?.requestsPerMinute;
  if (rest) {
    const evRest = r.events?.apiserver?.requestsPerMinute ?? {};
    out.push('', `The API server's busiest requests per minute at steady state (verb and resource): poll ${r.setup.poll} / poll ${r.events?.poll ?? '—'}:`, '',
      `| request | poll ${r.setup.poll} | poll ${r.events?.poll ?? '—'} |`, '|---|---|---|',
      ...[...new Set([...Object.keys(rest), ...Object.keys(evRest)])].map((k) => `| ${k} | ${rest[k] ?? '—'} | ${evRest[k] ?? '—'} |`));
  }
  const notReady = tiers.flatMap(([t, x]) => x.notReady.map((n: any) => `- ${t}: ${n.kind} \`${n.name}\`: ${n.error.replace(/\s+/g, ' ').slice(0, 300)}`));
  if (notReady.length) out.push('', 'Not Ready, with the provider\'s error:', '', ...notReady);
  // The events phase's commit ran with the providers as shipped (--poll=10m) and the listener.
  const journeys = [...(r.commitToAws ?? []).map((j: any) => ({ ...j, trigger: `${j.trigger}, providers at --poll=${r.setup.poll}` })),
    ...(r.events?.commitToAws ? [{ ...r.events.commitToAws, trigger: `${r.events.commitToAws.trigger}, providers at --poll=${r.events.commitToAws.poll}` }] : [])];
  if (journeys.length) {
    out.push('', '| commit to `environments/dev.yaml` (appImage) | until the new image is in "AWS" on | total | Argo CD | Crossplane | provider |', '|---|---|---|---|---|---|');
    for (const j of journeys) {
      // Runs before the ECS slots recorded one resource (the Lambda function) per commit.
      for (const x of j.resources ?? [j]) {
        out.push(`| ${j.trigger} | ${x.resource} | ${x.msToAws != null ? s(x.msToAws) : 'not reached'} | ${s(x.shares?.argocd)} | ${s(x.shares?.crossplane)} | ${s(x.shares?.provider)} |`);
      }
    }
    const w = journeys.filter((j: any) => j.writesAfterCommit);
    if (w.length) {
      out.push('', `What one such commit wrote to AWS within 2 min of the image arriving (each a CloudTrail event the drift listener ignores as Crossplane's): ${w.map((j: any) => `${j.writesAfterCommit.total} writes, ${j.writesAfterCommit.tagging} of them tag calls moving the \`ConfigHash\` marker (${j.trigger})`).join('; ')}. \`payenv plan\` shows that marker as one line per environment.`);
    }
  }
  return out.join('\n');
}

/** Drift by events against drift by polling, from the same npm run e2e:aws (its events phase). */
function driftEvents(r: any): string {
  const ev = r?.events;
  if (!ev) return '_No run with the drift listener recorded yet: run `npm run e2e:aws`._';
  if (ev.error) return `_The events phase of the run of ${r.when.slice(0, 10)} failed, so it has no figures: ${String(ev.error).split('\n').slice(0, 2).join(' ').replace(/\|/g, '\\|')}_`;
  const tiers = Object.entries(r.tiers) as [string, any][];
  const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);
  const restored = (ds: any[]) => ds.filter((d) => d.restoredMs != null).map((d) => d.restoredMs as number);
  // A change put back before the harness read it: aws-drift.py before it read the changed state
  // ahead of the event said so with these words (the drift listener's log shows the reconcile).
  const tooFast = (d: any) => d.restoredMs == null && ['the change did not show in the emulator', 'the emulator did not take the change'].includes(d.error);
  const failed = (ds: any[]) => ds.filter((d) => d.restoredMs == null && !d.refusedByAws && !tooFast(d)).length;
  const evFor = (t: string) => ev.drift.filter((d: any) => d.env === t);
  const out = [
    `Run of ${r.when.slice(0, 10)}, one \`npm run e2e:aws\`: the same hand changes, first with the providers polling every ${r.setup.poll} and no listener, then with the providers on \`--poll=${ev.poll}\` and the drift listener (the event of each change put on the emulator's EventBridge as CloudTrail would; CloudTrail's own delivery delay is not in these figures).`,
    '',
    `| tier | restore, median: poll ${r.setup.poll} | restore, median: events + poll ${ev.poll} (timed ones) | not restored (${r.setup.poll} / events) | AWS reads / min: poll ${r.setup.poll} | AWS reads / min: poll ${ev.poll} + the tier's share of the listener's calls | fewer reads | writes / spec rewrites at steady state, poll ${ev.poll} |`,
    '|---|---|---|---|---|---|---|---|',
    ...tiers.map(([t, x]) => {
      const a = x.steadyState.readsPerMinute;
      // The listener's long polls read each environment's queue: its calls count against the events mode.
      const share = (ev.listenerCallsPerMinute ?? 0) / tiers.length;
      const b = ev.steadyState[t] ? Math.round((ev.steadyState[t].readsPerMinute + share) * 10) / 10 : undefined;
      const q = ev.steadyState[t];
      const writes = (q?.writes ?? []).reduce((n: number, w: any) => n + w.count, 0);
      return `| ${t} | ${s(median(restored(x.drift)))} | ${s(median(restored(evFor(t))))} | ${failed(x.drift)} / ${failed(evFor(t))} | ${a} | ${b} | ${b ? `${(a / b).toFixed(1)}x` : '—'} | ${writes} / ${rewrites(q)} |`;
    }),
    '',
    `${ev.firstPassMs != null ? `The ${ev.poll} window began once the providers' first pass after their restart was done (${s(ev.firstPassMs)}). ` : ''}The listener's own calls (SQS long polls and STS, all environments): ${ev.listenerCallsPerMinute} / min. \`payenv drift\` exit code after the unmanaged changes: ${ev.payenvDrift.exit}.`,
    '',
    '| changed by hand, with its event | tier | back after |',
    '|---|---|---|',
    ...ev.drift.map((d: any) => `| ${d.what} | ${d.env} | ${d.restoredMs != null ? s(d.restoredMs) : d.refusedByAws ? 'refused by AWS' : tooFast(d) ? 'not timed: back before the harness read the change' : 'not restored'} |`),
    '',
    '| changed where nothing manages it | tier | created | reported by `payenv drift` |',
    '|---|---|---|---|',
    ...ev.unmanaged.map((u: any) => `| ${u.kind} | ${u.env} | ${u.created.map((c: string) => `\`${c.replace(/^arn:aws:iam::\d+:policy\//, 'policy/')}\``).join(', ')} | ${u.reportedByPayenvDrift ? 'yes' : 'no'} |`),
    ...(ev.scaleOut ? ['', 'A scale-out as Application Auto Scaling makes it (UpdateService desiredCount by its service-linked role, with the CloudTrail event, and a reconcile forced 5 s later): left alone when the count is still the scaled one 90 s later and no provider wrote to ECS.', '',
      '| tier | desired count before | scaled to | 90 s later | providers\' ECS writes |', '|---|---|---|---|---|',
      ...ev.scaleOut.map((x: any) => `| ${x.env} | ${x.before} | ${x.scaledTo} | ${x.after} | ${x.providerEcsWrites.length ? x.providerEcsWrites.join(', ') : 'none'} |`)] : []),
  ];
  return out.join('\n');
}

/** The live GitOps loop (npm run e2e). */
const E2E_ROWS: [string, (l: Record<string, number>) => string][] = [
  ['`cluster:up` (etcd → Argo CD applied)', (l) => s(l.clusterUp)],
  ['Argo CD syncs platform + 3 environments', (l) => s(l.firstSyncAllApps)],
  ['commit of `environments/dev.yaml` → composed resource updated (the git host\'s push webhook to Argo CD)', (l) => s(l.commitToComposed_webhook)],
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

/** Components killed mid-work (npm run e2e:faults). */
function faults(r: any): string {
  if (!r?.cases?.length) return '_No run recorded yet: run `npm run e2e:faults`._';
  const inv = (c: any) => {
    if (!c.invariants) return c.error ?? '—';
    const bad = Object.entries(c.invariants).filter(([, i]: [string, any]) => !i.composedAsRendered || i.duplicates.length || i.orphans.length);
    return bad.length ? bad.map(([e, i]: [string, any]) => `${e}: missing ${i.missing.length}, extra ${i.extra.length}, duplicates ${i.duplicates.length}, orphans ${i.orphans.length}`).join('; ')
      : `${Object.keys(c.invariants).join(', ')}: as rendered, no duplicate, no orphan`;
  };
  return [`Run of ${r.when.slice(0, 10)}, ${r.scope} (\`bench/results/faults.json\`):`, '',
    '| killed (kill -9), restarted like a pod | when | at the kill | recovered after restart | afterwards |', '|---|---|---|---|---|',
    ...r.cases.map((c: any) => `| ${c.name} | ${c.when} | ${c.atKill ?? '—'} | ${c.recoveryMs != null ? s(c.recoveryMs) : 'not recovered'} | ${c.ok ? '' : 'FAILED: '}${inv(c).replace(/\|/g, '\\|')} |`),
    ...(r.aws ? ['', awsFaults(r.aws)] : ['', '_The AWS cases (`npm run e2e:faults -- --aws`, after `npm run e2e:aws`) have no run recorded yet._']),
  ].join('\n');
}

/** What an AWS case found afterwards, in words (the JSON has the rest). */
function afterwards(i: any): string {
  const out: string[] = [];
  if (i.inAwsAfterRestart !== undefined) out.push(`${i.inAwsAfterRestart} in AWS after the restart (answer held: ${i.heldAnswer})`);
  if (i.orphans?.length) out.push(`orphan ${i.orphans.map((o: string) => o.split('/').pop()).join(', ')} ${i.orphansReported ? `named by payenv drift ${s(i.reportedAfterMs)} after its event` : 'NOT named by payenv drift'}, ${i.inAwsAfterRunbook} in AWS after the runbook`);
  if (i.inventoryChanges) out.push(i.inventoryChanges.length ? `inventory changed: ${i.inventoryChanges.join(', ')}` : 'nothing created twice or lost');
  if (i.throttled !== undefined) out.push(`${i.throttled} calls refused as throttled (busiest ${i.throttledBusiest.slice(0, 3).map((b: any) => `${b.service} ${b.operation} ${b.count}`).join(', ')}); ${i.callsPerMinuteUnthrottled} calls/min unthrottled; ${i.extraCalls} extra calls`);
  else if (i.callsDuringAndAfter !== undefined) out.push(`${i.callsDuringAndAfter} calls during and after`);
  if (i.failingWithTheAwsError !== undefined) {
    out.push(`${i.failingWithTheAwsError} resources failing with the AWS error`);
    out.push(`kubectl get paymentenvironments ${i.kubectlGetShowsIt ? 'says Ready False' : 'did NOT say Ready False'}`);
    out.push(`payenv status ${i.payenvStatusShowsIt ? 'names the error' : 'did NOT name the error'}`);
    if (i.xrReadyAfterFix !== undefined) out.push(i.xrReadyAfterFix ? 'Ready again after the fix' : 'NOT Ready again after the fix');
  }
  const ops = (m: Record<string, number> = {}) => (Object.keys(m).length ? Object.entries(m).map(([op, n]) => `${op} ${n}`).join(', ') : 'none');
  if (i.lostToUpMs !== undefined) {
    // Control plane lost (src/dev/rebuild-aws.ts): the timeline, then what AWS saw.
    const bound = (i.rounds ?? []).reduce((n: number, r: any) => n + (r.counts?.bound ?? 0), 0);
    const agreed = Object.values(i.lookupAgreement ?? {}).reduce((n: number, a: any) => n + a.same, 0);
    const differ = Object.values(i.lookupAgreement ?? {}).flatMap((a: any) => a.differ);
    out.push(`new control plane up ${s(i.lostToUpMs)} after the loss; composed ${s(i.composedMs)}, every resource named ${s(i.adoptedMs)}, Ready ${i.readyMs != null ? s(i.readyMs) : 'NOT'} after it was up`);
    out.push(`adopt bound ${bound} (${agreed} by lookups, the same as before the loss${differ.length ? `; ${differ.length} otherwise: ${differ.slice(0, 3).join(', ')}` : ''})`);
    out.push(`AWS creates ${ops(i.creates)}; deletes ${ops(i.deletes)}; data-store updates ${ops(i.dataStoreUpdates)}; other updates ${ops(i.updates)}; tag writes ${Object.values(i.tags ?? {}).reduce((n: number, x: any) => n + x, 0)}`);
    out.push(`drift listener reading ${i.listenerReading?.join(', ') || 'NONE'}`);
  }
  if (i.built !== undefined) {
    // Brownfield (src/dev/brownfield-aws.ts).
    out.push(`${i.built} resources built by the CDK-style script the Composition describes: ${i.notBound.length ? `NOT bound: ${i.notBound.join(', ')}` : 'every one bound'}; replaced ${i.replaced.length ? i.replaced.join(', ') : 'none'}; the sessions table kept ${i.sessionsTableItems} item(s)`);
    out.push(`cannot adopt (named with the way out): ${Object.entries(i.cannotAdopt).map(([c, w]: [string, any]) => `${c} (${w.adopt})`).join(', ')}`);
    out.push(`${i.differencesBeforeLeaving.length} differences shown before leaving adoption mode (${i.differencesBeforeLeaving.slice(0, 3).join('; ')})`);
    out.push(`Ready ${i.readyMs != null ? s(i.readyMs) : 'NOT'} after leaving it; AWS creates ${ops(i.creates)}; deletes ${ops(i.deletes)}`);
  }
  if (i.notWell?.length) out.push(`not Ready/Synced: ${i.notWell.slice(0, 3).join('; ')}`);
  return out.length ? out.join('; ') : JSON.stringify(i).slice(0, 500);
}

/** The AWS cases of npm run e2e:faults -- --aws: what broke, recovery, and what held afterwards. */
function awsFaults(a: any): string {
  const cell = (v: unknown) => JSON.stringify(v).replace(/\|/g, '\\|').slice(0, 500);
  // Runs of some groups keep the other groups' cases, each with the prod check of its own run.
  const runs: any[] = a.runs ?? [{ when: a.when, groups: a.groups ?? ['kill', 'outage', 'throttle', 'credentials'], prodDeletes: a.prodDeletes, prodDataStores: a.prodDataStores }];
  const prod = (r: any) => `delete calls ${Object.keys(r.prodDeletes).length ? cell(r.prodDeletes) : 'none'}; its data stores (buckets, tables, keys) ${r.prodDataStores.same ? 'the same before and after' : `CHANGED: ${cell(r.prodDataStores)}`}`;
  return [`AWS cases, ${runs.length > 1 ? `runs of ${runs.map((r) => `${r.when.slice(0, 16).replace('T', ' ')} (${r.groups.join(', ')})`).join(' and ')}` : `run of ${a.when.slice(0, 10)}`}, ${a.scope}:`, '',
    '| case | broke | recovered | afterwards |', '|---|---|---|---|',
    ...a.cases.map((c: any) => `| ${c.name} | ${c.broke} | ${c.recoveryMs != null ? s(c.recoveryMs) : 'not recovered'} | ${c.ok ? '' : 'FAILED: '}${c.upstream ? `(upstream ${c.upstream.split(':')[0]}) ` : ''}${c.error ? cell(c.error) : afterwards(c.invariants).replace(/\|/g, '\\|')} |`),
    '', ...runs.map((r) => `Prod over the ${runs.length > 1 ? `run of ${r.groups.join(', ')}` : 'whole run'}: ${prod(r)}.`),
    // A run of some groups only (--cases) says which were left out, so a missing case is not read as passed.
    ...((left) => (left.length ? ['', `Not in this run (\`--cases ${a.groups.join(',')}\`): ${left.join(', ')}.`] : []))(
      a.groups ? AWS_CASE_GROUPS.filter((g) => !a.groups.includes(g)) : []),
  ].join('\n');
}

/** Many environments on one control plane (npm run bench:scale). */
function scale(r: any): string {
  if (!r?.runs?.length) return '_No run recorded yet: run `npm run bench:scale`._';
  const comps = Object.keys(r.runs[0].usage);
  return [`${r.machine.cores} cores, ${r.machine.memoryGb} GiB; Crossplane ${r.versions.crossplane}, Argo CD ${r.versions.argocd}, Kubernetes ${r.versions.kubernetes}; ${r.when.slice(0, 10)} (\`bench/results/scale.json\`):`, '',
    '| environments | composed | commit → all Applications Synced | commit → all composed | composed / s | one commit → composed, at N | hand edit → reverted, at N | etcd db, keys | circuit breaker opens (dropped events) | load (1 min) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.runs.map((x: any) => `| ${x.envs} | ${x.composed} | ${s(x.appsSyncedMs)} | ${s(x.allComposedMs)} | ${x.composedPerSecond} | ${s(x.commitToComposedMs)} | ${s(x.revertComposedEditMs)} | ${x.etcdDbMb ?? '—'} MB, ${x.etcdKeys ?? '—'} | ${x.circuitBreakerOpens ?? 'no metric'} (${x.circuitBreakerDroppedEvents ?? '—'}) | ${x.loadAverage1m} |`),
    '', 'Peak memory (MB) and CPU seconds while composing, per component:', '',
    `| environments | ${comps.join(' | ')} |`, `|---|${comps.map(() => '---').join('|')}|`,
    ...r.runs.map((x: any) => `| ${x.envs} | ${comps.map((c) => `${x.usage[c].peakRssMb} MB, ${x.usage[c].cpuSeconds} s`).join(' | ')} |`),
    ...(r.runs.some((x: any) => x.checks) ? ['', `Checks of the shipped settings (circuit breaker never opens; a hand edit reverted within 2x of the ${s(r.revertComposedEditMsAtThree)} it takes with 3 environments, npm run e2e): ${r.runs.map((x: any) => `N=${x.envs} ${x.checks && Object.values(x.checks).every(Boolean) ? 'ok' : 'MISSED'}`).join(', ')}.`] : []),
    ...(r.runs.some((x: any) => x.note) ? ['', `Note: ${[...new Set(r.runs.map((x: any) => x.note).filter(Boolean))].join('; ')}.`] : []),
  ].join('\n');
}

/**
 * Cited limits the projection compares against. Each with its source; none measured here.
 * - upjet providers' --max-reconcile-rate default 100/s (provider-upjet-aws cmd/provider/<family>/zz_main.go)
 * - EC2 API: a token bucket per action and account and region; non-mutating (Describe*) actions
 *   refill 20 per second (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html)
 * - etcd: default backend quota 2 GiB, 8 GiB the suggested maximum (https://etcd.io/docs/v3.5/dev-guide/limit/)
 */
export const LIMITS = { reconcilesPerSecond: 100, ec2ReadsPerSecond: 20, etcdQuotaMb: 2048, etcdMaxMb: 8192 } as const;

const busiestEc2 = (ss: any): number => (ss.busiestReadsPerMinute
  ? Math.max(0, ...Object.entries(ss.busiestReadsPerMinute).filter(([op]) => op.startsWith('ec2 ')).map(([, n]) => n as number))
  : ss.readsPerMinuteByService.ec2 ?? 0);

/** y = a + b*N through the smallest and largest measured N. */
function fit(runs: any[], y: (r: any) => number): { a: number; b: number } {
  const lo = runs[0];
  const hi = runs[runs.length - 1];
  const b = (y(hi) - y(lo)) / (hi.envs - lo.envs);
  return { a: y(lo) - b * lo.envs, b };
}

/** 10, 100 and 1,000 environments on one control plane, from scale.json and e2e-aws.json, against the cited limits. */
function projection(scaleRun: any, aws: any): string {
  if (!scaleRun?.runs?.length || scaleRun.runs.length < 2 || !aws?.tiers) return '_Needs `npm run bench:scale` (two N at least) and `npm run e2e:aws`._';
  const runs = [...scaleRun.runs].sort((x: any, y: any) => x.envs - y.envs);
  const tiers = Object.values(aws.tiers) as any[];
  // What ships: the providers' poll of the run's events phase (with the drift listener) when it ran.
  const shipped = aws.events && !aws.events.error;
  const poll = shipped ? aws.events.poll : aws.setup.poll;
  const steady = (Object.entries(aws.tiers) as [string, any][]).map(([t, x]) => (shipped ? aws.events.steadyState[t] : x.steadyState));
  const perEnv = {
    managed: tiers.reduce((acc, t) => acc + t.total, 0) / tiers.length,
    readsPerMinute: steady.reduce((acc, x) => acc + x.readsPerMinute, 0) / steady.length,
    // The busiest single EC2 action (its own bucket); runs before per-operation counts: all EC2 reads.
    ec2ReadsPerMinute: steady.reduce((acc, x) => acc + busiestEc2(x), 0) / steady.length,
  };
  const perAction = steady.every((x) => x.busiestReadsPerMinute);
  // The largest provider family: managed resources per environment, tiers mixed evenly.
  const families = new Map<string, number>();
  for (const r of composedResources().filter((x) => x.base.apiVersion.includes('.aws.m.upbound.io/'))) {
    const share = (r.tiers ?? TIERS).length / TIERS.length;
    const f = r.base.apiVersion.split('.')[0];
    families.set(f, (families.get(f) ?? 0) + share);
  }
  const [bigFamily, bigCount] = [...families.entries()].sort((x, y) => y[1] - x[1])[0];
  const pollSeconds = Number(String(poll).replace(/m$/, '')) * 60 || 60;
  const etcd = fit(runs, (r) => r.etcdDbMb);
  const apiserver = fit(runs, (r) => r.usage['kube-apiserver'].peakRssMb);
  const xp = fit(runs, (r) => r.usage.crossplane.peakRssMb);
  const argo = fit(runs, (r) => r.usage['argocd-controller'].peakRssMb);
  const compose = fit(runs, (r) => r.allComposedMs / 1000);
  const ns = [10, 100, 1000];
  const pct = (v: number, limit: number) => `${Math.round((100 * v) / limit)} %`;
  const at = (f: { a: number; b: number }, n: number) => Math.max(0, f.a + f.b * n);
  const rows: [string, (n: number) => string, string][] = [
    ['managed resources (full stack, tiers mixed evenly)', (n) => `${Math.round(perEnv.managed * n)}`, `e2e-aws: ${perEnv.managed.toFixed(0)} per environment`],
    [`observes / s of the largest family (${bigFamily}) at poll ${poll}`, (n) => `${((bigCount * n) / pollSeconds).toFixed(1)} (${pct((bigCount * n) / pollSeconds, LIMITS.reconcilesPerSecond)} of ${LIMITS.reconcilesPerSecond}/s)`, `${bigCount.toFixed(1)} per environment; --max-reconcile-rate default`],
    ['AWS reads / s, one account and region', (n) => `${((perEnv.readsPerMinute * n) / 60).toFixed(1)}`, `e2e-aws: ${perEnv.readsPerMinute.toFixed(0)} / min per environment at poll ${poll}`],
    [perAction ? 'reads / s of the busiest EC2 action vs its refill rate' : 'EC2 reads / s (all actions) vs one action\'s refill rate', (n) => `${((perEnv.ec2ReadsPerMinute * n) / 60).toFixed(1)} (${pct((perEnv.ec2ReadsPerMinute * n) / 60, LIMITS.ec2ReadsPerSecond)} of ${LIMITS.ec2ReadsPerSecond}/s)`, 'EC2 API throttling'],
    ['etcd database', (n) => `${Math.round(at(etcd, n))} MB (${pct(at(etcd, n), LIMITS.etcdQuotaMb)} of the 2 GiB quota)`, `scale: +${etcd.b.toFixed(2)} MB per environment, no provider status`],
    ['kube-apiserver peak memory', (n) => `${Math.round(at(apiserver, n))} MB`, `scale: +${apiserver.b.toFixed(1)} MB per environment`],
    ['Crossplane peak memory', (n) => `${Math.round(at(xp, n))} MB`, `scale: +${xp.b.toFixed(1)} MB per environment`],
    ['Argo CD controller peak memory', (n) => `${Math.round(at(argo, n))} MB`, `scale: +${argo.b.toFixed(1)} MB per environment`],
    ['commit of every environment → all composed', (n) => `${Math.round(at(compose, n))} s`, `scale: +${compose.b.toFixed(2)} s per environment on ${scaleRun.machine.cores} cores`],
  ];
  const limitN = Math.min(
    (LIMITS.reconcilesPerSecond * pollSeconds) / bigCount,
    perEnv.ec2ReadsPerMinute ? (LIMITS.ec2ReadsPerSecond * 60) / perEnv.ec2ReadsPerMinute : Infinity,
    etcd.b > 0 ? (LIMITS.etcdQuotaMb - etcd.a) / etcd.b : Infinity,
  );
  return [`Projected linearly from the smallest and largest N of \`bench/results/scale.json\` (${runs.map((r) => r.envs).join(', ')} environments) and the per-environment figures of \`bench/results/e2e-aws.json\`; limits cited in \`bench/readme.ts\`:`, '',
    `| | ${ns.map((n) => `${n} environments`).join(' | ')} | from |`, `|---|${ns.map(() => '---').join('|')}|---|`,
    ...rows.map(([what, f, from]) => `| ${what} | ${ns.map(f).join(' | ')} | ${from} |`),
    '', `First limit reached at about **${Math.floor(limitN)} environments** per control plane (account and region): split before it.`,
  ].join('\n');
}

export const SECTIONS: Record<string, () => string> = {
  'compliance': () => compliance(results('compliance')),
  'e2e': () => e2e(results('e2e')),
  'bench': () => bench(results('bench')),
  'e2e-aws': () => e2eAws(results('e2e-aws')),
  'drift-events': () => driftEvents(results('e2e-aws')),
  'scale': () => scale(results('scale')),
  'faults': () => faults(results('faults')),
  'projection': () => projection(results('scale'), results('e2e-aws')),
  // Not measured: the real-account audit's rows (src/audit/), as docs/aws.md "What AWS enforces" shows them.
  'aws-audit': () => auditTable(),
};

/** A page with each results section it holds regenerated. */
export function regenerated(text: string): string {
  let out = text;
  for (const [name, make] of Object.entries(SECTIONS)) {
    const re = new RegExp(`(<!-- results:${name} -->\\n)[\\s\\S]*?(<!-- /results:${name} -->)`);
    if (re.test(out)) out = out.replace(re, (_, open, close) => `${open}${make()}\n${close}`);
  }
  return out;
}

/** docs/img/scale.svg: the cost of N environments as curves (vega-lite, rendered headless to SVG). */
export const SCALE_PLOT = join(ROOT, 'docs', 'img', 'scale.svg');
export async function scalePlot(r: any): Promise<string | undefined> {
  if (!r?.runs?.length) return undefined;
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const times = r.runs.flatMap((x: any) => [
    ['commit of every environment → all composed', x.allComposedMs], ['one commit → composed, at N', x.commitToComposedMs], ['hand edit → reverted, at N', x.revertComposedEditMs],
  ].map(([what, ms]) => ({ envs: x.envs, what, seconds: Math.round(ms / 100) / 10 })));
  const memory = r.runs.flatMap((x: any) => Object.entries(x.usage).map(([component, u]: [string, any]) => ({ envs: x.envs, component, mb: u.peakRssMb })));
  const line = (title: string, values: object[], y: string, yTitle: string, color: string) => ({
    title, width: 300, height: 220, data: { values }, mark: { type: 'line', point: true },
    encoding: { x: { field: 'envs', type: 'quantitative', title: 'environments' }, y: { field: y, type: 'quantitative', title: yTitle }, color: { field: color, type: 'nominal', title: null, legend: { orient: 'bottom', columns: 1, labelLimit: 320 } } },
  });
  const spec = vl.compile({
    hconcat: [line('Time', times, 'seconds', 'seconds', 'what'), line('Peak memory while composing', memory, 'mb', 'MB', 'component')],
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  } as any).spec;
  return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
}

/** Sections no page holds (each must be in exactly one). */
export function missingSections(texts: string[]): string[] {
  return Object.keys(SECTIONS).filter((name) => texts.filter((t) => t.includes(`<!-- results:${name} -->`)).length !== 1);
}

if (require.main === module) {
  const texts = PAGES.map((p) => readFileSync(p, 'utf8'));
  const missing = missingSections(texts);
  if (missing.length) throw new Error(`results sections not in exactly one of README.md, docs/*.md: ${missing.join(', ')}`);
  PAGES.forEach((p, i) => writeFileSync(p, regenerated(texts[i])));
  console.log(`regenerated ${Object.keys(SECTIONS).join(', ')} in README.md and docs/ from bench/results/`);
  scalePlot(results('scale')).then((svg) => {
    if (!svg) return;
    mkdirSync(join(ROOT, 'docs', 'img'), { recursive: true });
    writeFileSync(SCALE_PLOT, `${svg}\n`);
    console.log('drew docs/img/scale.svg from bench/results/scale.json');
  });
}
