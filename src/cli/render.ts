// `payenv render <env> [--observed <dir>]`: the real `crossplane composition render`.
import { renderEnvironment } from '../render';
import { flag, Parsed, UsageError } from './args';

export const help = `Usage: payenv render <env> [--observed <file|dir>] [--results] [--latest]

Renders dist/environments/<env> with the release its claim selects (its tier's
pinned Composition from dist/releases, or dist/platform's; --latest: always
dist/platform's, i.e. what a promote would bring) with the pinned Crossplane
CLI and core binary; the composition functions run as local processes (started
and stopped by this command). Prints the XR and its composed resources as YAML.
--observed passes observed composed resources, so their status (e.g. the DB
endpoint) and readiness flow into the XR. --results adds the functions' messages
(kind: Result), e.g. which resources wait for another resource's output.`;

export async function renderCommand(p: Parsed): Promise<number> {
  const [env] = p.positionals;
  if (!env || p.positionals.length > 1) throw new UsageError('render needs exactly one environment name');
  const rendered = await renderEnvironment(env, { observed: flag(p, 'observed') || undefined, results: p.flags.has('results'), release: !p.flags.has('latest') });
  process.stdout.write(rendered.yaml);
  return 0;
}
