// payenv revisions: which releases dist/ ships and which environments select each
// (the live restore runs in npm run e2e, test/e2e/1-loop.e2e.ts, on a fresh control plane).
import { cpSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { DIGEST_LABEL } from '../src/names';
import { releasesInDist, revisionsText } from '../src/ops/revisions';
import { currentDigest, pins } from '../src/releases';
import { Tier } from '../src/schema';
import { DIST_DIR } from '../src/versions';
import { tempDir } from './helpers';

test('dist/ ships the current Composition and each earlier pinned release, each with the environments selecting it', () => {
  const releases = releasesInDist();
  expect(releases[0]).toMatchObject({ digest: currentDigest(), current: true, file: join(DIST_DIR, 'platform', 'composition.yaml') });
  const tierOf = (env: string): Tier => parse(readFileSync(join(DIST_DIR, 'environments', env, 'paymentenvironment.yaml'), 'utf8')).spec.tier;
  for (const r of releases) for (const env of r.environments) expect(pins()[tierOf(env)] ?? currentDigest()).toBe(r.digest);
  expect(releases.flatMap((r) => r.environments).sort()).toEqual(['dev', 'prod', 'staging']);
});

test('a claim selecting a release dist/ does not ship is named, with the fix', () => {
  const dist = tempDir();
  cpSync(DIST_DIR, dist, { recursive: true });
  const file = join(dist, 'environments', 'staging', 'paymentenvironment.yaml');
  const claim = parse(readFileSync(file, 'utf8'));
  claim.spec.crossplane.compositionRevisionSelector.matchLabels[DIGEST_LABEL] = '0123456789ab';
  writeFileSync(file, stringify(claim));
  expect(() => releasesInDist(dist)).toThrow('dist/environments/staging/paymentenvironment.yaml: spec.crossplane.compositionRevisionSelector selects 0123456789ab, which dist/ does not ship: run npm run synth');
});

test('a selected release without a revision is called out', () => {
  const text = revisionsText([
    { digest: 'aaaaaaaaaaaa', file: 'x', current: true, environments: ['dev'], revision: { name: 'r-1', revision: 2 } },
    { digest: 'bbbbbbbbbbbb', file: 'y', current: false, environments: ['staging', 'prod'] },
  ]);
  expect(text).toBe('aaaaaaaaaaaa  current  r-1 (revision 2)  dev\nbbbbbbbbbbbb  earlier  NO REVISION  staging, prod\n'
    + '1 release(s) selected without a revision: their environments do not compose; run payenv revisions --restore\n');
});
