// Test helpers: claim files in a temporary directory.
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';

export function tempDir(prefix = 'payenv-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function claim(name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) {
  return {
    apiVersion: 'platform.paymentenv.io/v1alpha1',
    kind: 'PaymentEnvironment',
    metadata: { name, namespace: `payments-${name}`, ...metadata },
    spec,
  };
}

/** Writes `<dir>/<name>.yaml` holding a claim (or raw text) and returns its path. */
export function writeClaim(dir: string, name: string, content: Record<string, unknown> | string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, typeof content === 'string' ? content : stringify(content));
  return file;
}
