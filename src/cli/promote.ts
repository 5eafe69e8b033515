// `payenv promote <tier...>`: pin tiers to the current Composition revision.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { compositionProps, DIGEST_LABEL } from '../composition';
import { Tier, TIERS } from '../schema';
import { ROOT_DIR } from '../versions';
import { Parsed, UsageError } from './args';

export const help = `Usage: payenv promote <tier...>

Pins the given tiers (staging, prod) to the Composition as it is now: writes its
digest to src/releases.json. Environments of a pinned tier select the
CompositionRevision labelled with that digest, so a Composition change reaches
dev first and staging/prod only when promoted. Then run npm run synth and commit.`;

export async function promoteCommand(p: Parsed): Promise<number> {
  if (!p.positionals.length) throw new UsageError('promote needs at least one tier');
  const bad = p.positionals.filter((t) => !TIERS.includes(t as Tier));
  if (bad.length) throw new UsageError(`unknown tier(s) ${bad.join(', ')} (tiers: ${TIERS.join(', ')})`);
  const digest = compositionProps().metadata!.labels![DIGEST_LABEL];
  // The file as it is now, not the copy compiled into lib/ (two promotes in a row keep both).
  const file = join(ROOT_DIR, 'src', 'releases.json');
  const next: Record<string, string> = JSON.parse(readFileSync(file, 'utf8'));
  for (const t of p.positionals) next[t] = digest;
  const sorted = Object.fromEntries(TIERS.filter((t) => next[t]).map((t) => [t, next[t]]));
  writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`pinned ${p.positionals.join(', ')} to composition digest ${digest}; now run npm run synth and commit`);
  return 0;
}
