// The case "brownfield dev" of npm run e2e:faults -- --aws (issue 38): an environment built
// outside this platform (scripts/brownfield.py: the way a CDK app builds it, with its own names
// and tags and settings that differ from the tier's policy) is taken over as docs/operations.md
// says: its claim committed in adoption mode, payenv adopt --lookup, the differences shown, then
// adoption mode left. Checked: every resource built that the Composition describes under the same
// identity is bound to it, none is replaced (same id afterwards, the table's items still there),
// what cannot be adopted is named with the way out, and nothing is deleted.
import { execFile } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { promisify } from 'util';
import { parse, stringify } from 'yaml';
import { EXTERNAL_NAME } from '../composition/resource';
import { ADOPT_ANNOTATION } from '../names';
import { BOUNDARY_NAME, boundaryPolicy } from '../bootstrap/iam';
import { converge } from '../plan/observe';
import { claimFile } from '../render';
import { environmentFiles, synth } from '../synth';
import { startFunctions } from '../tools';
import { namespaceOf } from '../validate';
import { ROOT_DIR } from '../versions';
import { composedManaged, kubeconfigOf, kubectl, readState, STATE, until } from './cluster';
import { emulatorProviderConfig } from './e2e-aws';
import { applyArgoObjects, commitAndPush, webhook, WORK, workClone } from './git';
import { emulatorCalls, writesBetween } from './calls';
import { adopterAws } from './rebuild-aws';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PYTHON = join(ROOT_DIR, '.tools', 'moto', 'bin', 'python');
const ENV = 'legacy';
const cond = (o: any, type: string) => (o?.status?.conditions ?? []).find((c: any) => c.type === type);
const managed = () => composedManaged(ENV);
const slot = (o: any) => o.metadata.annotations?.['crossplane.io/composition-resource-name'];

/** The claim a team adopting the platform writes for what LegacyStack built: dev's, with its own name and CIDR block. */
function writeClaim(adopting: boolean): void {
  const doc = parse(readFileSync(join(WORK, 'environments', 'dev.yaml'), 'utf8'));
  doc.metadata = { name: ENV, namespace: namespaceOf(ENV), ...(adopting ? { annotations: { [ADOPT_ANNOTATION]: 'true' } } : {}) };
  doc.spec.vpcCidr = '10.7.0.0/16';
  doc.spec.apiDomain = `api-${ENV}.payments.example.com`;
  writeFileSync(join(WORK, 'environments', `${ENV}.yaml`), `# Built by LegacyStack (CDK); taken over by the platform.\n${stringify(doc)}`);
}

export async function brownfield(endpoint: string, log: (m: string) => void) {
  const calls = () => emulatorCalls(endpoint);
  const awsDrift = async (...args: string[]) => (await run(PYTHON, [join(ROOT_DIR, 'scripts', 'aws-drift.py'), endpoint, ...args])).stdout.trim();

  // The Composition's render of the claim: the identity scripts/brownfield.py matches where a team would.
  workClone();
  writeClaim(true);
  synth(environmentFiles(join(WORK, 'environments')), join(WORK, 'dist'));
  const servers = await startFunctions(readFileSync(join(ROOT_DIR, 'dist', 'platform', 'functions.yaml'), 'utf8'));
  // Converged offline (src/plan/observe.ts): every resource composed, as once the environment exists.
  const { rendered } = await converge(ENV, claimFile(ENV, join(WORK, 'dist')), servers).finally(() => servers.stop());
  const plan = {
    env: ENV,
    resources: Object.fromEntries([...rendered.resources].map(([n, o]) => [n, { kind: o.kind, forProvider: o.spec?.forProvider ?? {} }])),
    names: Object.fromEntries([...rendered.resources].map(([n, o]) => [n, o.metadata?.annotations?.[EXTERNAL_NAME]]).filter(([, v]) => v)),
  };
  const planFile = join(STATE, 'brownfield-plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const { built, cannotAdopt } = JSON.parse((await run(PYTHON, [join(ROOT_DIR, 'scripts', 'brownfield.py'), endpoint, planFile])).stdout) as
    { built: Record<string, string>; cannotAdopt: Record<string, [string, string]> };
  log(`LegacyStack built ${Object.keys(built).length} resources the Composition describes (and ${Object.keys(cannotAdopt).length} it names otherwise)`);
  // What exists before any environment does (as e2e:aws seeds it): the workload boundary.
  const doc = join(STATE, `boundary-${ENV}.json`);
  writeFileSync(doc, JSON.stringify(boundaryPolicy()));
  await awsDrift('create-policy', BOUNDARY_NAME(ENV), doc);

  const callsBefore = await calls();
  commitAndPush(`${ENV}: take over what LegacyStack built (adoption mode)`);
  // As the root Application would, with the cluster's profile (e2e:aws: ProviderConfigs not from git) and the new environment.
  const profile = readState()!.profile;
  applyArgoObjects(readState()!.repoURL, join(WORK, 'dist'), { ...profile, envs: [...(profile.envs ?? []), ENV] });
  await webhook();
  await until(`namespace ${namespaceOf(ENV)} from Argo CD`, () => kubectl(['get', 'namespace', namespaceOf(ENV), '-o', 'name', '--ignore-not-found']).trim(), 300_000, 1000);
  kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], emulatorProviderConfig(ENV, endpoint).map((o) => stringify(o)).join('---\n'));
  const t0 = Date.now();
  await until(`${ENV} composed, every managed resource Observe-only`, () => {
    const ms = managed();
    return ms.length > 50 && ms.every((o) => JSON.stringify(o.spec.managementPolicies) === '["Observe"]');
  }, 600_000, 2000);

  // payenv adopt --lookup until a round binds nothing new and nothing new is composed.
  const aws = adopterAws(endpoint);
  let report: any;
  let last = '';
  const rounds: unknown[] = [];
  for (let stable = 0; stable < 2 && Date.now() - t0 < 900_000;) {
    await sleep(20_000);
    const r = await run(process.execPath, [join(ROOT_DIR, 'bin', 'payenv.js'), 'adopt', ENV, '--lookup', '-o', 'json', '--kubeconfig', kubeconfigOf('operator')],
      { env: { ...process.env, ...aws }, maxBuffer: 64 * 1024 * 1024 }).catch((e) => e);
    report = JSON.parse(r.stdout);
    rounds.push({ atMs: Date.now() - t0, counts: report.counts, differences: report.differences.length, reobserved: report.reobserved.length });
    const key = JSON.stringify([report.bindings.length, report.counts]);
    stable = report.counts.bound === 0 && key === last ? stable + 1 : 0;
    last = key;
  }
  const bindings = new Map<string, any>((report.bindings as any[]).map((b) => [b.name, b]));
  // Each managed resource's external name by composition name.
  const namesNow = () => new Map(managed().map((o) => [slot(o), o.metadata.annotations?.[EXTERNAL_NAME] ?? null]));
  const adoptedNames = namesNow();
  const adopted = Object.fromEntries(Object.entries(built).map(([c, id]) => [c, { built: id, named: adoptedNames.get(c) ?? null }]));
  const notBound = Object.entries(adopted).filter(([, a]) => a.named !== a.built).map(([c, a]) => `${c}: built ${a.built}, named ${a.named}`);
  const wayOut = Object.fromEntries(Object.entries(cannotAdopt).map(([c, [what, why]]) => [c, { built: what, adopt: bindings.get(c)?.outcome ?? 'not composed', reason: bindings.get(c)?.reason ?? null, wayOut: why }]));
  const differences = (report.differences as any[]).map((d) => `${d.name} ${d.field}: ${JSON.stringify(d.observed)} -> ${JSON.stringify(d.desired)}`.slice(0, 240));
  log(`adopt: ${JSON.stringify(report.counts)}; ${notBound.length} built resources not bound; ${differences.length} differences shown`);

  // Leaving adoption mode: a commit; what is missing is created, the differences applied.
  writeClaim(false);
  commitAndPush(`${ENV}: managed by the platform`);
  await webhook();
  const t1 = Date.now();
  let readyMs: number | null = null;
  let notWell: string[] = [];
  while (Date.now() - t1 < 1_500_000) {
    notWell = managed().filter((o) => cond(o, 'Ready')?.status !== 'True' || cond(o, 'Synced')?.status !== 'True' || JSON.stringify(o.spec.managementPolicies) === '["Observe"]')
      .map((o) => `${o.kind}/${slot(o)}: ${(cond(o, 'Synced')?.message ?? 'not ready').slice(0, 160)}`);
    if (!notWell.length) { readyMs = Date.now() - t1; break; }
    await sleep(5000);
  }
  const writes = writesBetween(callsBefore, await calls(), [ENV]);
  // None replaced: each adopted resource keeps the id it was built with, and the table keeps its items.
  const finalNames = namesNow();
  const replaced = Object.entries(built).filter(([c, id]) => finalNames.get(c) !== id).map(([c]) => c);
  const items = JSON.parse(await awsDrift('inventory')).tables.includes(built['table-sessions'])
    ? Number((await run(PYTHON, ['-c', `import boto3;print(boto3.client('dynamodb',endpoint_url='${endpoint}',region_name='us-east-1',aws_access_key_id='cdk',aws_secret_access_key='t').scan(TableName='${built['table-sessions']}')['Count'])`])).stdout.trim())
    : 0;
  const invariants = {
    built: Object.keys(built).length, adopt: report.counts, rounds, notBound, cannotAdopt: wayOut, differencesBeforeLeaving: differences,
    readyMs, notWell: notWell.slice(0, 10), ...writes, replaced, sessionsTableItems: items,
  };
  const ok = !notBound.length && Object.values(wayOut).every((w) => w.adopt === 'missing' || w.adopt === 'not composed') && readyMs !== null
    && !Object.keys(writes.deletes).length && !replaced.length && items === 1;
  return { recoveryMs: readyMs, invariants, ok };
}
