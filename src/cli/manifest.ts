// `payenv manifest [env]`
import { writeFileSync } from 'fs';
import { inventory } from '../ops/inventory';
import { manifest } from '../ops/manifest';
import { flag, Parsed } from './args';
import { CONNECTION_HELP, connection, oneEnv, outputFormat, progress, render } from './ops';

export const help = `Usage: payenv manifest [env] [-o json|yaml] [--out <file>]

The deployed inventory per environment: every composed resource with its kind,
external name, ARN, id and endpoints; the XR's outputs; the SSM parameters under
/payments/<env>/. Stable ordering: two runs on an unchanged cluster are identical.

${CONNECTION_HELP}`;

export async function manifestCommand(p: Parsed): Promise<number> {
  const format = outputFormat(p, ['json', 'yaml']);
  const c = connection(p);
  const done = progress(`reading PaymentEnvironments from ${c.server}`);
  const m = manifest(await inventory(c, oneEnv(p)).finally(done));
  const text = render(format, m, () => '');
  const out = flag(p, 'out');
  if (out) {
    writeFileSync(out, text);
    console.error(`wrote ${m.environments.length} environment(s), ${m.environments.reduce((n, e) => n + e.resources.length, 0)} resources to ${out}`);
  } else process.stdout.write(text);
  return 0;
}
