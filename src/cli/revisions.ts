// `payenv revisions [--restore]`
import { releaseRevisions, restoreRevisions, revisionsText } from '../ops/revisions';
import { Parsed, UsageError } from './args';
import { CONNECTION_HELP, connection, outputFormat, progress, render } from './ops';

export const help = `Usage: payenv revisions [--restore] [-o text|json|yaml]

Lists each release dist/ ships (the current Composition, and each earlier one a
tier is still pinned to, dist/releases/) with its CompositionRevision on the
cluster and the environments that select it. Every claim selects its release by
digest, and Crossplane makes a revision only from a Composition it has been
shown: on a new control plane an earlier release has none, and the environments
pinned to it do not compose. Exit code 2 when a selected release has no revision.

--restore applies each earlier release that has no revision, waits for its
revision, applies the current Composition again, then removes its own field
manager (payenv-restore) so Argo CD alone owns the Composition. Run it once
on a new control plane after Crossplane is installed (README, step 5).

${CONNECTION_HELP}`;

export async function revisionsCommand(p: Parsed): Promise<number> {
  if (p.positionals.length) throw new UsageError('revisions takes no arguments');
  const format = outputFormat(p, ['text', 'json', 'yaml']);
  const c = connection(p);
  if (p.flags.has('restore')) await restoreRevisions(c, (m) => console.error(m));
  const done = progress(`reading CompositionRevisions from ${c.server}`);
  const releases = await releaseRevisions(c).finally(done);
  process.stdout.write(render(format, { releases }, () => revisionsText(releases)));
  return releases.some((r) => !r.revision && r.environments.length) ? 2 : 0;
}
