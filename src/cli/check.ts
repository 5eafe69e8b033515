// `payenv check`: `crossplane resource validate` on every claim and every
// rendered composed resource, offline, against the pinned CRDs and our XRD.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { claimFile, environmentsInDist, renderAll, validateResources, writeComposed } from '../render';
import { Parsed } from './args';

export const help = `Usage: payenv check

Renders every environment in dist/ and validates the claims and all composed
resources with \`crossplane resource validate\` (schemas, unknown fields, CEL
rules) against the pinned provider-upjet-aws CRDs, Crossplane's CRDs and the
PaymentEnvironment XRD. Exit code 0 when all pass; otherwise 1 with the
tool's messages.`;

export async function checkCommand(_p: Parsed): Promise<number> {
  const envs = environmentsInDist();
  const dir = mkdtempSync(join(tmpdir(), 'payenv-check-'));
  const rendered = await renderAll();
  const files = envs.map((env) => {
    const f = join(dir, `${env}-composed.yaml`);
    writeComposed(rendered.get(env)!, f);
    return f;
  });
  const result = await validateResources([...envs.map((e) => claimFile(e)), ...files]);
  const counts = envs.map((e) => `${e}: ${rendered.get(e)!.resources.size}`).join(', ');
  if (!result.ok) {
    console.error(result.output);
    console.error(`check failed (composed resources ${counts})`);
    return 1;
  }
  console.log(result.output.split('\n').filter((l) => !/^\[✓\]/.test(l)).join('\n'));
  console.log(`check passed: ${envs.length} claims and their composed resources (${counts})`);
  return 0;
}
