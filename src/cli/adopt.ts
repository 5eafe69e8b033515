// `payenv adopt <env>`
import { adopt, adoptText, readBackup } from '../ops/adopt';
import { inventory } from '../ops/inventory';
import { flag, Parsed, UsageError } from './args';
import { CONNECTION_HELP, connection, outputFormat, progress, render } from './ops';

export const help = `Usage: payenv adopt <env> [--from <manifest.json>] [--lookup] [--dry-run] [-o text|json|yaml]

Binds the managed resources of a claim in adoption mode to what exists in AWS: each one
without an external name gets the one --from records for it (the payenv manifest -o json
of the control plane that built the environment), and with --lookup the one AWS has for
what the Composition describes (a subnet by its VPC and CIDR block, a load balancer by its
name, a route by its table and destination: src/ops/lookup.ts), with the AWS credentials
and Region settings of the environment (AWS_PROFILE, AWS_ENDPOINT_URL, ...; read-only calls:
Describe, List, Get). Two candidates for one resource: refused, both named. In adoption mode (the claim's annotation
paymentenv.io/adopt: "true", committed in environments/<env>.yaml) every managed resource
is Observe-only: nothing is created, changed or deleted in AWS until the annotation is
removed by a commit. Resources held back until others are observed appear later: run
adopt again until it reports nothing more to bind. docs/operations.md, "When the control
plane is lost".

  bound     given its external name (with --dry-run: would be)
  missing   no name known (or it waits for another to be named), or the name the
            Composition gives is not in AWS (the provider observed it absent): created
            when the environment leaves adoption mode
  refused   not Observe-only yet, changed meanwhile, recorded as another kind, or two
            candidates in AWS
A resource observed but never marked Ready (crossplane-runtime#791) is asked to reconcile.
Exit code: 0 when every managed resource is named, 2 when some are missing or refused,
1 on errors (not in adoption mode, an unreadable --from).

${CONNECTION_HELP}`;

export async function adoptCommand(p: Parsed): Promise<number> {
  if (p.positionals.length !== 1) throw new UsageError('exactly one environment name');
  const env = p.positionals[0];
  const format = outputFormat(p, ['text', 'json', 'yaml']);
  const from = flag(p, 'from');
  if (from === '') throw new UsageError('--from needs a file');
  const backup = from ? readBackup(from, env) : undefined;
  const c = connection(p);
  const done = progress(`reading ${env} from ${c.server}`);
  const [inv] = await inventory(c, env).finally(done);
  const report = await adopt(c, inv, backup, p.flags.has('dry-run'), p.flags.has('lookup') ? new (await import('../ops/lookup')).Clients() : undefined);
  process.stdout.write(render(format, report, () => adoptText(report)));
  return report.counts.missing + report.counts.refused > 0 ? 2 : 0;
}
