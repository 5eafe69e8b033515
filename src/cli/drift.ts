// `payenv drift [env]`
import { driftReports, driftText } from '../ops/drift';
import { inventory } from '../ops/inventory';
import { flag, Parsed, UsageError } from './args';
import { CONNECTION_HELP, connection, oneEnv, outputFormat, progress, render } from './ops';

export const help = `Usage: payenv drift [env] [--since 24] [--details] [-o text|json|yaml] [--argocd-namespace argocd]

One line per environment: what is not in its desired state now, by class,
  converging  being created, never yet Ready
  failing     the provider reports an error (the AWS error is shown)
  drifted     was Ready and is not (not yet put back), or Argo CD OutOfSync
and what happened in the last --since hours:
  corrected   put back: a provider's update, the drift listener's reconcile request
  unmanaged   an AWS change to what no managed resource describes (drift listener)
Failing, drifted and unmanaged are always listed; --details lists the rest.
Exit code: 0 when clean or only converging, 2 when failing, drifted or unmanaged
changes are present, 1 on errors.

${CONNECTION_HELP}`;

export async function driftCommand(p: Parsed): Promise<number> {
  const since = Number(flag(p, 'since') || '24');
  if (!(since > 0)) throw new UsageError(`--since must be a positive number of hours, got "${flag(p, 'since')}"`);
  const format = outputFormat(p, ['text', 'json', 'yaml']);
  const c = connection(p);
  const done = progress(`reading PaymentEnvironments, events and applications from ${c.server}`);
  const reports = await driftReports(c, await inventory(c, oneEnv(p)), since, flag(p, 'argocd-namespace') || 'argocd').finally(done);
  process.stdout.write(render(format, reports, () => driftText(reports, since, p.flags.has('details'))));
  return reports.some((r) => r.drift) ? 2 : 0;
}
