// `payenv drift [env]`
import { driftReports, driftText } from '../ops/drift';
import { inventory } from '../ops/inventory';
import { flag, Parsed, UsageError } from './args';
import { CONNECTION_HELP, connection, oneEnv, outputFormat, progress, render } from './ops';

export const help = `Usage: payenv drift [env] [--since 24] [-o text|json] [--argocd-namespace argocd]

What is not in its desired state now: composed resources not Synced or not Ready,
and Argo CD applications OutOfSync; and what was corrected in the last --since
hours: events that created, updated or deleted a composed resource, and Argo CD's
last automated sync. Crossplane and Argo CD correct drift; this shows it.
Exit code: 0 when clean, 2 when drift is present, 1 on errors.

${CONNECTION_HELP}`;

export async function driftCommand(p: Parsed): Promise<number> {
  const c = connection(p);
  const since = Number(flag(p, 'since') || '24');
  if (!(since > 0)) throw new UsageError(`--since must be a positive number of hours, got "${flag(p, 'since')}"`);
  const format = outputFormat(p, ['text', 'json']);
  const done = progress(`reading PaymentEnvironments, events and applications from ${c.server}`);
  const reports = await driftReports(c, await inventory(c, oneEnv(p)), since, flag(p, 'argocd-namespace') || 'argocd').finally(done);
  process.stdout.write(render(format, reports, () => driftText(reports, since)));
  return reports.some((r) => r.drift) ? 2 : 0;
}
