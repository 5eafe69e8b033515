// `payenv parity`
import { inventory } from '../ops/inventory';
import { parity, parityText } from '../ops/parity';
import { Parsed, UsageError } from './args';
import { CONNECTION_HELP, connection, outputFormat, progress, render } from './ops';

export const help = `Usage: payenv parity [--all] [-o text|json|yaml]

Compares the live composed resources of every pair of environments, with each
environment's own values (name, region, CIDR, domain, image, tags) set aside.
A difference is explained when the Composition maps that field from spec.tier
(the tier policy, src/policy.ts) between different tiers, or when the resource
exists only in some tiers or only with an optional variable, or when the two
environments are on different releases (a tier not yet promoted, payenv
promote) that define that resource differently. Prints the
unexplained ones (--all: every difference). Exit code 2 when any is unexplained.

${CONNECTION_HELP}`;

export async function parityCommand(p: Parsed): Promise<number> {
  if (p.positionals.length) throw new UsageError('parity compares every environment; it takes no environment name');
  const format = outputFormat(p, ['text', 'json', 'yaml']);
  const c = connection(p);
  const done = progress(`reading PaymentEnvironments from ${c.server}`);
  const invs = await inventory(c).finally(done);
  const diffs = parity(invs);
  process.stdout.write(render(format, { environments: invs.map((i) => i.env), differences: diffs }, () => parityText(diffs, p.flags.has('all'))));
  return diffs.some((d) => !d.explained) ? 2 : 0;
}
