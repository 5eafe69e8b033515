// npm run e2e:aws: the AWS-layer proof (issue #8). The real provider-upjet-aws
// family binaries (built from source by scripts/install-tools.sh) run out of
// cluster against the local control plane and create the dev environment's
// resources in moto's server, the local AWS emulator. Then a person changes
// AWS by hand (scripts/aws-drift.py, boto3) and we time how long the provider
// takes to put each change back. Results: bench/results/e2e-aws.json + a table.
//
// Two local stand-ins, both said in the results: the ProviderConfig points every
// service at the emulator with static test credentials (git's uses IRSA), and
// the providers get HTTP_PROXY=<emulator> so that S3 Control's account-id host
// prefix (<account>.127.0.0.1) reaches the emulator; nothing else is proxied
// (Go never proxies loopback addresses).
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { cpus } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { crdsEstablished, down, KUBECONFIG, kubectl, moduleDir, start, STATE, track, up, waitFor } from './cluster';
import { freePort, TOOLS_BIN, waitForPort } from '../tools';
import { connect, Connection } from '../ops/kube';
import { inventory } from '../ops/inventory';
import { PINS, ROOT_DIR } from '../versions';

/** The families the drift injections need; the others run when built. */
export const REQUIRED = ['kms', 's3', 'sqs', 'dynamodb'] as const;
const ENV = 'dev';
const NS = `payments-${ENV}`;
const MOTO = join(ROOT_DIR, '.tools', 'moto', 'bin');
const POLL = '15s';
const RESULTS = join(ROOT_DIR, 'bench', 'results', 'e2e-aws.json');
// Terraform endpoint names of the services the composition uses.
const SERVICES = ['acm', 'apigateway', 'appautoscaling', 'cloudwatch', 'dynamodb', 'ec2', 'ecs', 'elbv2', 'iam', 'kms', 'lambda',
  'logs', 'rds', 's3', 's3control', 'secretsmanager', 'sqs', 'ssm', 'sts', 'wafv2'];

const t0 = Date.now();
const log = (msg: string) => console.log(`[e2e:aws ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function built(): string[] {
  return readdirSync(TOOLS_BIN).filter((f) => /^provider-aws-[a-z0-9]+$/.test(f)).map((f) => f.replace('provider-aws-', '')).sort();
}

function missing(): string[] {
  const out = REQUIRED.filter((f) => !built().includes(f)).map((f) =>
    `provider-aws-${f}: bash scripts/install-tools.sh provider-aws-${f}   (first family ~80 min and ~16 GB at link; later ones ~2.5 min from the build cache)`);
  if (!existsSync(join(MOTO, 'moto_server'))) {
    out.push("moto server: python3 -m venv .tools/moto && .tools/moto/bin/pip install 'moto[server]==5.2.5' boto3");
  }
  return out;
}

const getJson = (args: string[]) => JSON.parse(kubectl([...args, '-o', 'json']));
const apply = (objs: object[]) => kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], objs.map((o) => stringify(o)).join('---\n'));
const familyOf = (o: any) => o.apiVersion.split('.')[0];

/** The provider's CRDs for the families that run, as its package would install them. */
function applyProviderCrds(families: string[]): void {
  const dir = join(moduleDir('github.com/upbound/provider-aws/v2', PINS.PROVIDER_AWS_VERSION), 'package', 'crds');
  const prefixes = ['aws.upbound.io_', 'aws.m.upbound.io_', ...families.flatMap((f) => [`${f}.aws.upbound.io_`, `${f}.aws.m.upbound.io_`])];
  const files = readdirSync(dir).filter((f) => prefixes.some((p) => f.startsWith(p)));
  for (let i = 0; i < files.length; i += 40) {
    kubectl(['apply', '--server-side', '--force-conflicts', ...files.slice(i, i + 40).flatMap((f) => ['-f', join(dir, f)])]);
  }
  log(`applied ${files.length} provider CRDs`);
}

/** The local stand-in for IRSA: static test credentials and every service at the emulator. */
function emulatorProviderConfig(endpoint: string): object[] {
  return [
    {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'aws-emulator', namespace: NS },
      stringData: { credentials: '[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n' },
    },
    {
      apiVersion: 'aws.m.upbound.io/v1beta1', kind: 'ProviderConfig', metadata: { name: 'aws', namespace: NS },
      spec: {
        credentials: { source: 'Secret', secretRef: { name: 'aws-emulator', namespace: NS, key: 'credentials' } },
        endpoint: { services: SERVICES, hostnameImmutable: true, url: { type: 'Static', static: endpoint } },
        skip_credentials_validation: true, skip_metadata_api_check: true, skip_region_validation: true, s3_use_path_style: true,
      },
    },
  ];
}

async function startProvider(family: string, endpoint: string): Promise<void> {
  const [webhook, metrics, health] = [await freePort(), await freePort(), await freePort()];
  const name = `provider-aws-${family}`;
  const child = start(name, join(TOOLS_BIN, name), [
    `--poll=${POLL}`, '--enable-management-policies', `--certs-dir=${join(STATE, 'pki', 'crossplane-tls')}`, `--webhook-port=${webhook}`,
    `--metrics-bind-address=127.0.0.1:${metrics}`, `--health-probe-bind-addr=127.0.0.1:${health}`,
  ], { KUBECONFIG, HTTP_PROXY: endpoint, http_proxy: endpoint, HTTPS_PROXY: '', NO_PROXY: '' });
  track(name, child.pid!);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) =>
    reject(new Error(`${name} exited (${code}): ${readFileSync(join(STATE, 'logs', `${name}.log`), 'utf8').trim().split('\n').slice(-3).join(' | ')}`))));
  await Promise.race([waitForPort(health, 120_000), exited]);
}

interface Row { kind: string; family: string; name: string; ready: boolean; message?: string; obj: any }

/** The environment's managed resources, read as `payenv status` reads them. */
async function managed(c: Connection): Promise<Row[]> {
  const [inv] = await inventory(c, ENV).catch(() => []);
  return (inv?.resources ?? []).filter((r) => r.obj.apiVersion.includes('.aws.m.upbound.io/')).map((r) => ({
    kind: r.obj.kind, family: familyOf(r.obj), name: r.name, ready: r.ready === 'True', message: r.reason, obj: r.obj,
  }));
}

function drift(endpoint: string, change: string, id: string): any {
  const out = execFileSync(join(MOTO, 'python'), [join(ROOT_DIR, 'scripts', 'aws-drift.py'), endpoint, 'inject', change, id, '240'], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function main(): Promise<number> {
  const m = missing();
  if (m.length) {
    console.error(`e2e:aws needs what is not built yet (see README, "AWS layer"):\n${m.map((x) => `  - ${x}`).join('\n')}`);
    return 1;
  }
  const families = built();
  log(`families built: ${families.join(', ')}`);
  const timings: Record<string, number> = {};

  // Always a fresh cluster: the emulator starts empty, so live resources from a
  // previous run would point at AWS objects that no longer exist.
  log('stopping any running local cluster');
  await down(true);
  let t = Date.now();
  await up({ envs: [ENV], providerConfigFromGit: false });
  timings.clusterUp = Date.now() - t;

  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  track('moto', start('moto', join(MOTO, 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)]).pid!);
  await waitForPort(port, 60_000);
  log(`moto ${endpoint}`);

  applyProviderCrds(families);
  await crdsEstablished();
  await waitFor(`namespace ${NS} from Argo CD`, () => !!kubectl(['get', 'namespace', NS, '-o', 'name']), 300_000);
  apply(emulatorProviderConfig(endpoint));

  t = Date.now();
  for (const f of families) await startProvider(f, endpoint);
  timings.providersStarted = Date.now() - t;
  log(`providers running: ${families.join(', ')}`);

  const conn = connect({ kubeconfig: KUBECONFIG });
  // Ready: every managed resource of a running family, until nothing changes for 3 polls.
  t = Date.now();
  const firstReady: Record<string, number> = {};
  let last = '';
  let stableSince = Date.now();
  let rows: Row[] = [];
  while (Date.now() - t < 15 * 60_000) {
    rows = await managed(conn);
    for (const r of rows) if (r.ready && !(r.family in firstReady)) firstReady[r.family] = Date.now() - t;
    // Settled when the set of Ready resources stops changing (messages of
    // resources the emulator cannot serve keep changing as they retry).
    const key = JSON.stringify(rows.map((r) => [r.kind, r.name, r.ready]));
    if (key !== last) {
      last = key;
      stableSince = Date.now();
      const running = rows.filter((r) => families.includes(r.family));
      log(`${running.filter((r) => r.ready).length}/${running.length} managed resources of running families Ready (${rows.length} composed)`);
    }
    const requiredReady = REQUIRED.every((f) => rows.some((r) => r.family === f && r.ready));
    if (requiredReady && Date.now() - stableSince > 45_000) break;
    await sleep(1000);
  }
  timings.settled = Date.now() - t;

  const running = rows.filter((r) => families.includes(r.family));
  const byFamily: Record<string, { ready: number; total: number }> = {};
  for (const r of running) {
    byFamily[r.family] ??= { ready: 0, total: 0 };
    byFamily[r.family].total++;
    if (r.ready) byFamily[r.family].ready++;
  }
  const notReady = running.filter((r) => !r.ready).map((r) => ({ kind: r.kind, name: r.name, error: r.message ?? '' }));
  const noProvider: Record<string, number> = {};
  for (const r of rows.filter((x) => !families.includes(x.family))) noProvider[r.family] = (noProvider[r.family] ?? 0) + 1;

  const xr = getJson(['get', 'paymentenvironment', '-n', NS, ENV]);
  const table = kubectl(['get', 'paymentenvironments', '-A']);
  const inventory = JSON.parse(execFileSync(join(MOTO, 'python'), [join(ROOT_DIR, 'scripts', 'aws-drift.py'), endpoint, 'inventory'], { encoding: 'utf8' }));

  // A person changes AWS by hand (IDs from the resources as last read); the provider puts it back on its next poll.
  const injections: any[] = [];
  const composedOne = (kind: string, name: string) => {
    const row = rows.find((r) => r.kind === kind && r.name === name);
    if (!row) throw new Error(`no ${kind} ${name} in ${NS}`);
    return row.obj;
  };
  const attempt = (what: string, f: () => any) => {
    try {
      injections.push({ what, ...f() });
    } catch (e) {
      injections.push({ what, error: (e as Error).message.split('\n').slice(0, 3).join(' ') });
    }
  };
  attempt('bucket versioning turned off', () => drift(endpoint, 'versioning', composedOne('Bucket', 'audit-bucket').metadata.annotations['crossplane.io/external-name']));
  attempt('queue retention changed to 60 s', () => drift(endpoint, 'retention', composedOne('Queue', 'queue').status.atProvider.url));
  attempt('DynamoDB table deleted', () => drift(endpoint, 'table', composedOne('Table', 'table-transactions').metadata.annotations['crossplane.io/external-name']));
  attempt('KMS key rotation disabled', () => drift(endpoint, 'rotation', composedOne('Key', 'kms-key').status.atProvider.keyId));

  const result = {
    when: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    versions: { providerAws: PINS.PROVIDER_AWS_VERSION, crossplane: PINS.CROSSPLANE_VERSION, moto: '5.2.5' },
    setup: { env: ENV, poll: POLL, familiesRunning: families, endpointServices: SERVICES },
    timingsMs: { ...timings, firstReadyByFamily: firstReady },
    readyByFamily: byFamily,
    notReady,
    composedWithoutProvider: noProvider,
    xrStatus: xr.status,
    getPaymentEnvironments: table,
    emulatorInventory: inventory,
    drift: injections,
  };
  mkdirSync(join(ROOT_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);

  console.log(table);
  console.log('family          ready/total  first Ready');
  for (const [f, c] of Object.entries(byFamily)) console.log(`${f.padEnd(15)} ${`${c.ready}/${c.total}`.padStart(11)}  ${firstReady[f] !== undefined ? `${(firstReady[f] / 1000).toFixed(1)} s` : '-'}`);
  for (const n of notReady) console.log(`NOT READY ${n.kind} ${n.name}: ${n.error}`);
  if (Object.keys(noProvider).length) console.log(`composed, no provider built: ${Object.entries(noProvider).map(([f, n]) => `${f} ${n}`).join(', ')}`);
  console.log('drift injected by hand                 restored after');
  for (const d of injections) console.log(`${d.what.padEnd(38)} ${d.restoredMs != null ? `${(d.restoredMs / 1000).toFixed(1)} s` : `NOT RESTORED ${d.error ?? `(${d.before} -> ${d.injected} -> ${d.after})`}`}`);
  console.log(`results: ${RESULTS}; the cluster, moto and the providers keep running (npm run cluster:down stops them)`);

  const failed = REQUIRED.filter((f) => !byFamily[f]?.ready) as string[];
  const notRestored = injections.filter((d) => d.restoredMs == null);
  if (failed.length || notRestored.length) {
    console.error(`e2e:aws FAILED: ${failed.length ? `no Ready resource in ${failed.join(', ')}; ` : ''}${notRestored.length} change(s) not restored`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => {
    console.error(`e2e:aws: ${(e as Error).stack}`);
    process.exit(1);
  });
}
