// payenv validate / synth-time validation: every rule, good and bad cases,
// the exact messages, and the file-level and cross-environment rules.
import { execFileSync, spawnSync } from 'child_process';
import { join } from 'path';
import { loadEnvironments, validateFile, ValidationError, formatProblem } from '../src/validate';
import { synth } from '../src/synth';
import { BAD_CASES, badSpec } from './cases';
import { DESIGN_TIERS, GOOD_SPECS } from './design-table';
import { claim, tempDir, writeClaim } from './helpers';

const PAYENV = join(__dirname, '..', 'bin', 'payenv.js');

describe('a good spec of every tier is valid', () => {
  test.each(DESIGN_TIERS)('%s', (tier) => {
    const dir = tempDir();
    const { env, problems } = validateFile(writeClaim(dir, `t-${tier}`, claim(`t-${tier}`, { ...GOOD_SPECS[tier] })));
    expect(problems).toEqual([]);
    expect(env?.namespace).toBe(`payments-t-${tier}`);
  });
});

describe('each rule rejects its bad case with a message naming the field', () => {
  test.each(BAD_CASES.map((c) => [c.reason, c] as const))('%s', (_reason, c) => {
    const dir = tempDir();
    const file = writeClaim(dir, 'bad', claim('bad', badSpec(c)));
    const lines = validateFile(file).problems.map(formatProblem);
    expect(lines.some((l) => l.startsWith(`${file}: ${c.expect}`))).toBe(true);
    expect(lines.every((l) => l.startsWith(`${file}: `))).toBe(true);
  });
});

describe('file-level rules', () => {
  const good = claim('tt', { ...GOOD_SPECS.dev });
  test.each([
    ['empty file', '', '(file): empty file: expected one PaymentEnvironment'],
    ['multi-document file', 'a: 1\n---\nb: 2\n', '(file): expected exactly one YAML document, found 2'],
    ['duplicate keys', 'kind: A\nkind: B\n', 'kind: duplicate key (line 2): each field may appear once'],
    ['malformed YAML', 'spec: [1, 2\n', 'invalid YAML'],
    ['a list, not an object', '- 1\n- 2\n', '(file): must be a YAML mapping'],
    ['alias bomb', 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n', 'resource exhaustion'],
  ])('%s', (_reason, text, expected) => {
    const dir = tempDir();
    const file = writeClaim(dir, 'tt', text);
    expect(validateFile(file).problems.map(formatProblem).join('\n')).toContain(expected);
  });

  test('metadata.name must equal the file name', () => {
    const file = writeClaim(tempDir(), 'qa', good);
    expect(validateFile(file).problems.map(formatProblem)).toContain(`${file}: metadata.name: must equal the file name "qa", got string "tt"`);
  });

  test('namespace must be payments-<name>', () => {
    const file = writeClaim(tempDir(), 'tt', claim('tt', { ...GOOD_SPECS.dev }, { namespace: 'default' }));
    expect(validateFile(file).problems.map(formatProblem)).toContain(`${file}: metadata.namespace: must be "payments-tt", got string "default"`);
  });

  test('metadata may not carry other fields (synth adds them)', () => {
    const file = writeClaim(tempDir(), 'tt', claim('tt', { ...GOOD_SPECS.dev }, { labels: { a: 'b' } }));
    expect(validateFile(file).problems.map(formatProblem)[0]).toMatch(/metadata\.labels: unknown field/);
  });

  test('wrong kind and apiVersion', () => {
    const file = writeClaim(tempDir(), 'tt', { ...good, kind: 'Deployment', apiVersion: 'apps/v1' });
    const lines = validateFile(file).problems.map(formatProblem);
    expect(lines).toContain(`${file}: apiVersion: must be platform.paymentenv.io/v1alpha1, got string "apps/v1"`);
    expect(lines).toContain(`${file}: kind: must be PaymentEnvironment, got string "Deployment"`);
  });

  test('environment names must fit AWS names', () => {
    const file = writeClaim(tempDir(), 'Prod_EU', claim('Prod_EU', { ...GOOD_SPECS.dev }, { namespace: 'payments-Prod_EU' }));
    expect(validateFile(file).problems.map(formatProblem)[0]).toMatch(/\(file name\): "Prod_EU" must be a lower-case DNS label/);
  });

  // RDS identifiers "can't contain two consecutive hyphens" (API_CreateDBCluster); the cluster is payment-db-<env>.
  test('environment names without "--" (the DB cluster identifier carries it)', () => {
    const file = writeClaim(tempDir(), 'eu--1', claim('eu--1', { ...GOOD_SPECS.dev }));
    expect(validateFile(file).problems.map(formatProblem)).toEqual([`${file}: (file name): "eu--1" must be a lower-case DNS label of 2-16 characters without "--" (it becomes part of AWS names)`]);
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html: at most 63 characters.
  test('a long environment name with a long DR region: the bucket name S3 would refuse is named', () => {
    const dir = tempDir();
    const file = writeClaim(dir, 'payments-prod-eu', claim('payments-prod-eu', { ...GOOD_SPECS.prod, drRegion: 'ap-southeast-1' }));
    expect(() => synth([file], join(dir, 'out'))).toThrow(`${file}: spec.drRegion: makes the S3 bucket name "payments-payments-prod-eu-access-logs-ap-southeast-1-111122223333" 65 characters; S3 allows 63: use a shorter environment name`);
  });

  test('a region without zone IDs in src/zones.ts is refused at synth, naming the file', () => {
    const dir = tempDir();
    const file = writeClaim(dir, 'west', claim('west', { ...GOOD_SPECS.dev, region: 'us-west-1', appImage: '111122223333.dkr.ecr.us-west-1.amazonaws.com/payments/api:1.0.0' }));
    expect(() => synth([file], join(dir, 'out'))).toThrow(`${file}: spec.region: no Availability Zone IDs for us-west-1 in src/zones.ts (supported: us-east-1, us-east-2, us-west-2, eu-west-1, eu-central-1): add the three AZ IDs your accounts use there`);
  });
});

describe('rules across environments', () => {
  test('two environments with the same vpcCidr are rejected, naming both', () => {
    const dir = tempDir();
    const a = writeClaim(dir, 'aa', claim('aa', { ...GOOD_SPECS.dev }));
    const b = writeClaim(dir, 'bb', claim('bb', { ...GOOD_SPECS.dev, apiDomain: 'api-bb.payments.example.com' }));
    expect(() => loadEnvironments([a, b])).toThrow(ValidationError);
    try {
      loadEnvironments([a, b]);
    } catch (e) {
      expect((e as ValidationError).message).toBe(`${b}: spec.vpcCidr: 10.11.0.0/16 overlaps 10.11.0.0/16 of environment "aa" (${a})`);
    }
  });

  test('two environments with the same apiDomain are rejected (one name in DNS)', () => {
    const dir = tempDir();
    const a = writeClaim(dir, 'aa', claim('aa', { ...GOOD_SPECS.dev }));
    const b = writeClaim(dir, 'bb', claim('bb', { ...GOOD_SPECS.dev, vpcCidr: '10.12.0.0/16', apiDomain: GOOD_SPECS.dev.apiDomain }));
    expect(() => loadEnvironments([a, b])).toThrow(`${b}: spec.apiDomain: "${GOOD_SPECS.dev.apiDomain}" is already used by environment "aa" (${a}); it must be unique`);
  });

  test('a duplicate key deep in the spec is named by its path', () => {
    const file = writeClaim(tempDir(), 'tt', 'spec:\n  adminPeering:\n    cidr: 10.255.0.0/16\n    cidr: 10.254.0.0/16\n');
    expect(validateFile(file).problems.map(formatProblem)).toEqual([`${file}: spec.adminPeering.cidr: duplicate key (line 4): each field may appear once`]);
  });

  test('several environments of one tier (prod and prod-eu) are fine', () => {
    const dir = tempDir();
    const envs = loadEnvironments([
      writeClaim(dir, 'prod', claim('prod', { ...GOOD_SPECS.prod })),
      writeClaim(dir, 'prod-eu', claim('prod-eu', {
        ...GOOD_SPECS.prod, vpcCidr: '10.14.0.0/16', region: 'eu-west-1', drRegion: 'eu-central-1', apiDomain: 'api-prod-eu.payments.example.com',
        appImage: GOOD_SPECS.prod.appImage.replace('.us-east-1.', '.eu-west-1.'),
      })),
    ]);
    expect(envs.map((e) => e.name)).toEqual(['prod', 'prod-eu']);
  });
});

describe('the payenv validate command', () => {
  test('exit 0 on the committed environments', () => {
    const r = spawnSync('node', [PAYENV, 'validate'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });

  test('exit 1 and one line per problem, no stack trace', () => {
    const dir = tempDir();
    const file = writeClaim(dir, 'bad', claim('bad', badSpec(BAD_CASES.find((c) => c.reason === 'prod without drRegion')!)));
    const r = spawnSync('node', [PAYENV, 'validate', file, writeClaim(dir, 'empty', '')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${file}: spec.drRegion: required when tier is prod`,
      `${join(dir, 'empty.yaml')}: (file): empty file: expected one PaymentEnvironment`,
    ]);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  test('a missing file is a clear error', () => {
    const r = spawnSync('node', [PAYENV, 'validate', '/nonexistent/x.yaml'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('/nonexistent/x.yaml: (file): cannot read: ENOENT');
  });

  test('--help', () => {
    expect(execFileSync('node', [PAYENV, 'validate', '--help'], { encoding: 'utf8' })).toContain('Usage: payenv validate');
  });
});
