// payenv parity between environments on different releases: a difference in a resource
// the two releases define differently is the release's; anything else stays unexplained.
import { DIGEST_LABEL } from '../src/composition';
import { Inventory } from '../src/ops/inventory';
import { parity } from '../src/ops/parity';
import { compositionOf, currentDigest } from '../src/releases';

// An earlier release: the current Composition with the audit bucket's encryption entry changed.
const EARLIER = 'eeeeeeeeeeee';
const earlier = structuredClone(compositionOf(currentDigest()));
earlier.spec.pipeline[0].input.resources.find((r: any) => r.name === 'audit-bucket-encryption').patches.pop();
const releases = (d: string) => (d === EARLIER ? earlier : compositionOf(d));

function inv(env: string, tier: string, digest: string, resources: Record<string, object>): Inventory {
  return {
    env,
    xr: { apiVersion: 'paymentenv.io/v1alpha1', kind: 'PaymentEnvironment', metadata: { name: env, namespace: `payments-${env}` },
      spec: { tier, crossplane: { compositionRevisionSelector: { matchLabels: { [DIGEST_LABEL]: digest } } } } },
    resources: Object.entries(resources).map(([name, forProvider]) => ({
      name, area: 'storage', obj: { apiVersion: 'x/v1', kind: 'X', metadata: { name }, spec: { forProvider } },
    })),
  };
}

// The same tier twice, so the tier policy explains nothing and only the release can.
const sse = (key: string) => ({ rule: [{ applyServerSideEncryptionByDefault: [{ kmsMasterKeyId: key, sseAlgorithm: 'aws:kms' }] }] });
const dlq = (s: number) => ({ messageRetentionSeconds: s });

describe('parity across releases (a tier not yet promoted)', () => {
  test('a resource the two releases define differently: explained by the release', () => {
    const d = parity([inv('a', 'staging', currentDigest(), { 'audit-bucket-encryption': sse('k1') }), inv('b', 'staging', EARLIER, { 'audit-bucket-encryption': sse('k2') })], releases);
    expect(d).toEqual([expect.objectContaining({ resource: 'audit-bucket-encryption', explained: true, because: `releases ${currentDigest()} and ${EARLIER} define it differently` })]);
  });
  test('the same difference on one release: unexplained (a hand edit)', () => {
    const d = parity([inv('a', 'staging', currentDigest(), { 'audit-bucket-encryption': sse('k1') }), inv('b', 'staging', currentDigest(), { 'audit-bucket-encryption': sse('k2') })], releases);
    expect(d).toEqual([expect.objectContaining({ resource: 'audit-bucket-encryption', explained: false })]);
  });
  test('on different releases, a resource both define alike: unexplained', () => {
    const d = parity([inv('a', 'staging', currentDigest(), { dlq: dlq(1209600) }), inv('b', 'staging', EARLIER, { dlq: dlq(60) })], releases);
    expect(d).toEqual([expect.objectContaining({ resource: 'dlq', explained: false })]);
  });
  test('a release not kept here explains nothing', () => {
    const d = parity([inv('a', 'staging', currentDigest(), { 'audit-bucket-encryption': sse('k1') }), inv('b', 'staging', 'ffffffffffff', { 'audit-bucket-encryption': sse('k2') })], releases);
    expect(d).toEqual([expect.objectContaining({ resource: 'audit-bucket-encryption', explained: false })]);
  });
});
