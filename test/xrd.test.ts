// The XRD and synth-time validation agree: every bad case that synth rejects
// and the XRD can express is rejected by `crossplane resource validate` with the
// XRD too (schema, unknown fields, CEL), and the good claims pass.
import { writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { claimFile, environmentsInDist, validateResources } from '../src/render';
import { BAD_CASES, badSpec } from './cases';
import { DESIGN_TIERS, GOOD_SPECS } from './design-table';
import { claim, tempDir } from './helpers';

const xrd = parse(require('fs').readFileSync(join(__dirname, '..', 'dist', 'platform', 'xrd.yaml'), 'utf8'));

test('XRD: v2, namespaced, kind PaymentEnvironment with a short name and useful columns', () => {
  expect(xrd.apiVersion).toBe('apiextensions.crossplane.io/v2');
  expect(xrd.spec.scope).toBe('Namespaced');
  expect(xrd.spec.names).toMatchObject({ kind: 'PaymentEnvironment', plural: 'paymentenvironments', shortNames: ['payenv'] });
  expect(xrd.spec.versions[0].additionalPrinterColumns.map((c: any) => c.jsonPath))
    .toEqual(['.spec.tier', '.spec.region', '.status.api.url', '.status.database.endpoint']);
  const status = xrd.spec.versions[0].schema.openAPIV3Schema.properties.status.properties;
  for (const k of ['network', 'database', 'api', 'alb', 'auditBucket', 'queues', 'kmsKeyArn', 'configHash']) expect(status[k]).toBeDefined();
});

describe('crossplane resource validate with the XRD', () => {
  const dir = tempDir();
  const cases = BAD_CASES.filter((c) => c.xrd);
  let output = '';
  beforeAll(async () => {
    const docs = [
      ...cases.map((c, i) => claim(`bad-${i}`, badSpec(c))),
      ...DESIGN_TIERS.map((t) => claim(`good-${t}`, { ...GOOD_SPECS[t] })),
    ];
    writeFileSync(join(dir, 'claims.yaml'), docs.map((d) => stringify(d)).join('---\n'));
    const r = await validateResources([join(dir, 'claims.yaml')]);
    expect(r.ok).toBe(false);
    output = r.output;
  });

  test.each(cases.map((c, i) => [c.reason, i, c] as const))('rejects: %s', (_reason, i, c) => {
    const lines = output.split('\n').filter((l) => l.includes(`PaymentEnvironment, bad-${i} :`));
    expect(lines.length).toBeGreaterThan(0);
    // The API server names the same field synth names, and CEL rules say the same words.
    const [field, ...rest] = c.expect.split(': ');
    expect(lines.join('\n')).toContain(`: ${field}: `);
    const message = rest.join(': ').split(', got')[0];
    const cel = lines.filter((l) => l.includes('CEL validation error') && l.includes(`: ${field}: `));
    // Type and enum errors come from OpenAPI, whose wording differs; CEL rules share ours.
    if (cel.length && !/^must be (a string|one of)/.test(message)) expect(cel.join('\n')).toContain(message);
  });

  test.each(DESIGN_TIERS)('accepts the good %s claim', (t) => {
    expect(output).not.toMatch(new RegExp(`\\[x\\].*PaymentEnvironment, good-${t} :`));
  });

  test('accepts the committed claims', async () => {
    const r = await validateResources(environmentsInDist().map((e) => claimFile(e)));
    expect(r.output).toMatch(/0 failure cases/);
    expect(r.ok).toBe(true);
  });
});
