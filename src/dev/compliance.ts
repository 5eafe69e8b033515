// An independent scanner's view of each deployed tier: Prowler's PCI DSS 4.0 and
// AWS Foundational Security Best Practices checks, scoped to the tier's resources
// (tag Environment=<env>) in the emulator `npm run e2e:aws` left running. A step of
// e2e:aws; alone: node lib/src/dev/compliance.js <emulator-url> [env...].
// Writes bench/results/compliance.json: per tier and framework, each check's
// pass / fail / muted, and what Prowler could not evaluate (its errors), so nobody
// mistakes "not evaluated" for "passed". Mutes: compliance/mutelist.yaml, each with a reason.
import { execFile } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { promisify } from 'util';
import { parse } from 'yaml';
import { SETTINGS } from '../platform';
import { claimFile } from '../render';
import { PINS, ROOT_DIR } from '../versions';
import { STATE } from './cluster';

export const PROWLER_VERSION = PINS.PROWLER_VERSION;
const PROWLER = join(ROOT_DIR, '.tools', 'prowler', 'bin', 'prowler');
export const MUTELIST = join(ROOT_DIR, 'compliance', 'mutelist.yaml');
const RESULTS = join(ROOT_DIR, 'bench', 'results', 'compliance.json');
/** Prowler's framework ids, and the key each finding's compliance map uses for them. */
const FRAMEWORKS = { pci_4_0: ['pci_4.0_aws', 'PCI-4.0'], aws_fsbp: ['aws_foundational_security_best_practices_aws', 'AWS-Foundational-Security-Best-Practices'] } as const;
const run = promisify(execFile);

/** Prowler is installed (`bash scripts/install-tools.sh prowler`). */
export const prowlerInstalled = () => existsSync(PROWLER);

interface Finding { check: string; status: 'PASS' | 'FAIL' | 'MUTED' | 'MANUAL'; resource: string; detail: string; requirements: Record<string, string[]> }

function findings(dir: string): Finding[] {
  const file = readdirSync(dir).find((f) => f.endsWith('.ocsf.json'));
  if (!file) return [];
  return (JSON.parse(readFileSync(join(dir, file), 'utf8')) as any[]).map((x) => ({
    check: x.metadata.event_code,
    status: x.status === 'Suppressed' || x.unmapped?.muted ? 'MUTED' : x.status_code,
    resource: x.resources?.[0]?.uid ?? '',
    detail: x.status_detail ?? '',
    requirements: x.unmapped?.compliance ?? {},
  }));
}

/** Prowler's errors: checks or services it could not evaluate against the emulator. */
function errors(logFile: string): { where: string; error: string }[] {
  if (!existsSync(logFile)) return [];
  const out = new Map<string, string>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let e: any;
    try { e = JSON.parse(line); } catch { continue; }
    if (e.level !== 'ERROR' && e.level !== 'CRITICAL') continue;
    const where = `${e.module ?? ''}.${e.function ?? ''}`;
    if (!out.has(where)) out.set(where, String(e.message).replace(/\s+/g, ' ').slice(0, 300));
  }
  return [...out.entries()].map(([where, error]) => ({ where, error }));
}

/** Scans one tier; returns per framework the status of each check, and the errors. */
export async function scanTier(endpoint: string, env: string, regions: string[]) {
  const out = join(STATE, 'prowler', env);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const logFile = join(out, 'prowler.log.json');
  const args = ['aws', '--compliance', ...Object.values(FRAMEWORKS).map(([id]) => id), '--resource-tag', `Environment=${env}`,
    '-f', ...regions, '-M', 'json-ocsf', 'csv', '--output-directory', out, '--no-banner', '--log-level', 'ERROR', '--log-file', logFile,
    ...(existsSync(MUTELIST) ? ['--mutelist-file', MUTELIST] : [])];
  const t = Date.now();
  try {
    await run(PROWLER, args, {
      env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'prowler', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: regions[0] },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    // Prowler exits 3 when a check fails: the findings are still written.
    if ((e as { code?: number }).code !== 3) throw e;
  }
  const all = findings(out);
  const frameworks = Object.fromEntries(Object.entries(FRAMEWORKS).map(([name, [, key]]) => {
    const checks: Record<string, { status: string; resources: { resource: string; status: string; detail: string }[]; requirements: string[] }> = {};
    for (const f of all.filter((x) => x.requirements[key])) {
      const c = (checks[f.check] ??= { status: 'PASS', resources: [], requirements: f.requirements[key] });
      c.resources.push({ resource: f.resource, status: f.status, detail: f.detail });
      // A check fails when any of its resources fails; muted only when every failure is muted.
      if (f.status === 'FAIL') c.status = 'FAIL';
      else if (f.status === 'MUTED' && c.status === 'PASS') c.status = 'MUTED';
    }
    const count = (s: string) => Object.values(checks).filter((c) => c.status === s).length;
    return [name, { pass: count('PASS'), fail: count('FAIL'), muted: count('MUTED'), checks }];
  }));
  return { regions, seconds: Math.round((Date.now() - t) / 100) / 10, findings: all.length, frameworks, notEvaluated: errors(logFile) };
}

export async function compliance(endpoint: string, tiers: { env: string; regions: string[] }[]) {
  const result = {
    when: new Date().toISOString(),
    prowler: PROWLER_VERSION,
    account: SETTINGS.awsAccountId,
    mutelist: existsSync(MUTELIST) ? 'compliance/mutelist.yaml' : null,
    tiers: {} as Record<string, unknown>,
  };
  for (const t of tiers) result.tiers[t.env] = await scanTier(endpoint, t.env, t.regions);
  mkdirSync(join(ROOT_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/** The regions a tier's resources live in, from its claim in dist/. */
export function regionsOf(env: string): string[] {
  const claim = parse(readFileSync(claimFile(env), 'utf8'));
  return [claim.spec.region, ...(claim.spec.drRegion ? [claim.spec.drRegion] : [])];
}

if (require.main === module) {
  const [endpoint, ...envs] = process.argv.slice(2);
  if (!endpoint) {
    console.error('usage: node lib/src/dev/compliance.js <emulator-url> [env...]');
    process.exit(2);
  }
  if (!prowlerInstalled()) {
    console.error('needs Prowler: bash scripts/install-tools.sh prowler');
    process.exit(1);
  }
  compliance(endpoint, (envs.length ? envs : ['dev', 'staging', 'prod']).map((env) => ({ env, regions: regionsOf(env) })))
    .then((r) => { console.log(JSON.stringify(Object.fromEntries(Object.entries(r.tiers).map(([e, x]: [string, any]) => [e, Object.fromEntries(Object.entries(x.frameworks).map(([f, y]: [string, any]) => [f, { pass: y.pass, fail: y.fail, muted: y.muted }]))])), null, 1)); },
      (e) => { console.error(`compliance: ${(e as Error).message}`); process.exit(1); });
}
