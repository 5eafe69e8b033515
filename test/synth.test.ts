// npm run synth: deterministic, complete, and all-or-nothing.
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { SETTINGS } from '../src/platform';
import { DIGEST_LABEL } from '../src/composition';
import { currentCompositionYaml, currentDigest, earlierReleases, keepPinnedReleases, keptComposition, pins, RELEASES_DIR } from '../src/releases';
import { Tier } from '../src/schema';
import { FUNCTIONS } from '../src/versions';
import { environmentFiles, render, synth } from '../src/synth';
import { loadEnvironments, ValidationError } from '../src/validate';
import { GOOD_SPECS } from './design-table';
import { claim, tempDir, writeClaim } from './helpers';

const ROOT = join(__dirname, '..');

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

describe('synth', () => {
  test('two runs give byte-identical output', () => {
    const a = tempDir();
    const b = tempDir();
    synth(environmentFiles(), a);
    synth(environmentFiles(), b);
    expect(tree(a)).toEqual(tree(b));
  });

  test('the committed dist/ is what synth produces now', () => {
    const fresh = tempDir();
    synth(environmentFiles(), fresh);
    expect(tree(join(ROOT, 'dist'))).toEqual(tree(fresh));
  });

  test('writes the platform once and one directory per environment', () => {
    const out = tempDir();
    const files = synth(environmentFiles(), out);
    expect(files).toEqual(expect.arrayContaining([
      'platform/xrd.yaml', 'platform/composition.yaml', 'platform/functions.yaml',
      'environments/dev/paymentenvironment.yaml', 'environments/staging/paymentenvironment.yaml', 'environments/prod/paymentenvironment.yaml',
    ]));
    for (const f of files) {
      for (const d of parseAllDocuments(readFileSync(join(out, f), 'utf8'))) {
        const o = d.toJS();
        if (f.startsWith('bootstrap/iam-') || f === 'bootstrap/aws-account.yaml') {
          // The IAM bootstrap is CloudFormation, not Kubernetes (test/iam-bootstrap.test.ts lints it).
          expect(o.AWSTemplateFormatVersion).toBe('2010-09-09');
          continue;
        }
        expect(o.apiVersion).toBeTruthy();
        expect(o.kind).toBeTruthy();
      }
    }
  });

  test('the claim in dist/ carries only the allowed variables plus a content hash of them', () => {
    const out = tempDir();
    const dir = tempDir();
    const spec = { ...GOOD_SPECS.staging };
    synth([writeClaim(dir, 'qa', claim('qa', spec))], out);
    const c = parseAllDocuments(readFileSync(join(out, 'environments/qa/paymentenvironment.yaml'), 'utf8'))[0].toJS();
    const { crossplane, ...vars } = c.spec;
    expect(vars).toEqual(spec);
    expect(c.metadata.annotations['paymentenv.io/config-hash']).toMatch(/^[0-9a-f]{16}$/);
    // The hash follows the variables, not the clock: same spec, same hash; new spec, new hash.
    synth([writeClaim(dir, 'qa', claim('qa', spec))], out);
    const again = parseAllDocuments(readFileSync(join(out, 'environments/qa/paymentenvironment.yaml'), 'utf8'))[0].toJS();
    expect(again.metadata.annotations).toEqual(c.metadata.annotations);
    synth([writeClaim(dir, 'qa', claim('qa', { ...spec, appImage: '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments/api:2.0.0' }))], out);
    const changed = parseAllDocuments(readFileSync(join(out, 'environments/qa/paymentenvironment.yaml'), 'utf8'))[0].toJS();
    expect(changed.metadata.annotations['paymentenv.io/config-hash']).not.toBe(c.metadata.annotations['paymentenv.io/config-hash']);
  });

  test('writes nothing when any environment is invalid', () => {
    const out = tempDir();
    writeFileSync(join(out, 'marker'), 'kept');
    const dir = tempDir();
    const good = writeClaim(dir, 'good', claim('good', { ...GOOD_SPECS.dev }));
    const bad = writeClaim(dir, 'bad', claim('bad', { ...GOOD_SPECS.prod, drRegion: undefined }));
    expect(() => synth([good, bad], out)).toThrow(ValidationError);
    expect(readdirSync(out)).toEqual(['marker']);
    expect(existsSync(join(out, 'environments'))).toBe(false);
  });
});

describe('releases: the Composition each tier composes with', () => {
  const claimOf = (env: string) => parseAllDocuments(readFileSync(join(ROOT, 'dist/environments', env, 'paymentenvironment.yaml'), 'utf8'))[0].toJS();
  test.each(['dev', 'staging', 'prod'])('%s selects its tier\'s promoted digest, or the current one', (env) => {
    const c = claimOf(env);
    const want = pins()[c.spec.tier as Tier] ?? currentDigest();
    expect(c.spec.crossplane).toEqual({ compositionUpdatePolicy: 'Automatic', compositionRevisionSelector: { matchLabels: { [DIGEST_LABEL]: want } } });
  });
  test('dev is never pinned: a Composition change reaches it first', () => {
    expect(pins().dev).toBeUndefined();
  });
  test('every earlier pinned release ships in dist/releases, byte for byte as kept, and nothing else does', () => {
    const shipped = existsSync(join(ROOT, 'dist/releases')) ? readdirSync(join(ROOT, 'dist/releases')).sort() : [];
    expect(shipped).toEqual([...earlierReleases().keys()].sort().map((d) => `${d}.yaml`));
    for (const f of shipped) expect(readFileSync(join(ROOT, 'dist/releases', f), 'utf8')).toBe(readFileSync(join(RELEASES_DIR, f), 'utf8'));
  });
  test('the platform installs exactly the functions the current Composition and the pinned releases name', () => {
    const named = new Set<string>(parse(readFileSync(join(ROOT, 'dist/platform/composition.yaml'), 'utf8')).spec.pipeline.map((s: any) => s.functionRef.name));
    for (const d of earlierReleases().keys()) for (const s of keptComposition(d).spec.pipeline) named.add(s.functionRef.name);
    expect(Object.values(FUNCTIONS).map((f) => f.name).sort()).toEqual([...named].sort());
  });
  test('the current Composition is kept as synth writes it', () => {
    expect(currentCompositionYaml()).toBe(readFileSync(join(ROOT, 'dist/platform/composition.yaml'), 'utf8'));
  });
  test('a pin whose Composition is not kept fails synth, naming src/releases.json, the tier and the fix', () => {
    const envs = loadEnvironments(environmentFiles());
    expect(() => render(envs, { staging: '0123456789ab' })).toThrow(/src\/releases\.json: staging: pinned to 0123456789ab, but .*src\/releases\/0123456789ab\.yaml is missing.*promote staging again/);
  });
  test('a kept file that is not its release is refused', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '0123456789ab.yaml'), readFileSync(join(ROOT, 'dist/platform/composition.yaml')));
    expect(() => keptComposition('0123456789ab', dir)).toThrow(/must hold one Composition labelled paymentenv.io\/composition-digest: 0123456789ab/);
  });
  test('promote keeps the Composition it pins and drops releases no tier pins', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'aaaaaaaaaaaa.yaml'), 'stale');
    writeFileSync(join(dir, 'bbbbbbbbbbbb.yaml'), 'still pinned');
    const r = keepPinnedReleases({ staging: currentDigest(), prod: 'bbbbbbbbbbbb' }, dir);
    expect(r).toEqual({ kept: [currentDigest()], dropped: ['aaaaaaaaaaaa'] });
    expect(readdirSync(dir).sort()).toEqual([`${currentDigest()}.yaml`, 'bbbbbbbbbbbb.yaml'].sort());
    expect(readFileSync(join(dir, `${currentDigest()}.yaml`), 'utf8')).toBe(currentCompositionYaml());
  });
});

describe('AWS accounts per environment (src/platform.ts SETTINGS)', () => {
  const saved = { accounts: { ...SETTINGS.accounts }, isolatedTiers: [...SETTINGS.isolatedTiers] };
  afterEach(() => {
    SETTINGS.accounts = { ...saved.accounts };
    SETTINGS.isolatedTiers = [...saved.isolatedTiers];
  });
  const read = (dir: string, f: string) => parseAllDocuments(readFileSync(join(dir, f), 'utf8'))[0].toJS();

  test('prod in its own account: its claim and its ProviderConfig name that account, dev keeps the shared one', () => {
    SETTINGS.accounts = { prod: '444455556666' };
    SETTINGS.isolatedTiers = ['prod'];
    const out = tempDir();
    // Prod's image comes from prod's own account (ECR replication puts it there): the execution role pulls only there.
    const files = environmentFiles().map((f) => {
      if (!f.endsWith('/prod.yaml')) return f;
      const copy = join(tempDir(), 'prod.yaml');
      writeFileSync(copy, readFileSync(f, 'utf8').replace(`${SETTINGS.awsAccountId}.dkr.ecr`, '444455556666.dkr.ecr'));
      return copy;
    });
    synth(files, out);
    expect(read(out, 'environments/prod/paymentenvironment.yaml').metadata.annotations['paymentenv.io/aws-account-id']).toBe('444455556666');
    expect(read(out, 'environments/prod/providerconfig.yaml').spec.assumeRoleChain[0].roleARN).toBe('arn:aws:iam::444455556666:role/prod-crossplane-deployer');
    expect(read(out, 'environments/dev/paymentenvironment.yaml').metadata.annotations['paymentenv.io/aws-account-id']).toBe(SETTINGS.awsAccountId);
  });

  test.each([
    [{ dev: '12345' }, [], 'src/platform.ts: SETTINGS.accounts.dev: must be a 12-digit AWS account id, got "12345"'],
    [{ qa: '444455556666' }, [], 'src/platform.ts: SETTINGS.accounts.qa: no environment "qa" in environments/ (known: dev, prod, staging)'],
    [{ prod: '444455556666' }, [], '/environments/prod.yaml: spec.appImage: must be in 444455556666\'s Amazon ECR under payments/ (444455556666.dkr.ecr.us-east-1.amazonaws.com/payments/...): the task execution role pulls only from there'],
    [{}, ['prod'], `src/platform.ts: SETTINGS.accounts.prod: prod is an isolated tier (SETTINGS.isolatedTiers) but shares account ${SETTINGS.awsAccountId} with dev, staging`],
  ])('%j isolated %j is refused before anything is written', (accounts, isolated, message) => {
    SETTINGS.accounts = accounts as Record<string, string>;
    SETTINGS.isolatedTiers = isolated as never;
    const out = tempDir();
    expect(() => synth(environmentFiles(), out)).toThrow(message);
    expect(readdirSync(out)).toEqual([]);
  });
});

// Argo CD honours a resource's own argocd.argoproj.io/sync-options over the Application's
// (Argo CD "Sync Options"): prod's claim is kept even by a manual sync with prune.
test('a claim whose tier keeps data carries Prune=false,Delete=false itself; one whose tier may delete does not', () => {
  const out = render(loadEnvironments(environmentFiles()));
  const claimOf = (env: string) => out.get(`environments/${env}/paymentenvironment.yaml`)![0] as any;
  expect(claimOf('prod').metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  expect(claimOf('dev').metadata.annotations['argocd.argoproj.io/sync-options']).toBeUndefined();
  expect(claimOf('staging').metadata.annotations['argocd.argoproj.io/sync-options']).toBeUndefined();
});

// The hosted zone of SETTINGS.dnsZones an apiDomain is in names where its certificate's validation record goes.
test('a claim whose apiDomain is in a configured hosted zone names the zone', () => {
  const out = render(loadEnvironments(environmentFiles()));
  const [zoneName, zoneId] = Object.entries(SETTINGS.dnsZones)[0];
  for (const env of ['dev', 'staging', 'prod']) {
    const c = out.get(`environments/${env}/paymentenvironment.yaml`)![0] as any;
    expect(c.spec.apiDomain.endsWith(`.${zoneName}`)).toBe(true);
    expect(c.metadata.annotations['paymentenv.io/dns-zone-id']).toBe(zoneId);
  }
});
