// `payenv promote <tier...>`: pin tiers to the current Composition revision.
import { writeFileSync } from 'fs';
import { currentDigest, keepPinnedReleases, pins, RELEASES_DIR, RELEASES_FILE } from '../releases';
import { Tier, TIERS } from '../schema';
import { Parsed, UsageError } from './args';

export const help = `Usage: payenv promote <tier...>

Pins the given tiers (staging, prod) to the Composition as it is now: writes its
digest to src/releases.json and keeps the Composition itself in
src/releases/<digest>.yaml (a release no tier pins any more is removed).
Environments of a pinned tier select the CompositionRevision labelled with that
digest, so a Composition change reaches dev first and staging/prod only when
promoted. A new control plane is shown the kept releases first (payenv revisions
--restore). Then run npm run synth and commit.`;

export async function promoteCommand(p: Parsed): Promise<number> {
  if (!p.positionals.length) throw new UsageError('promote needs at least one tier');
  const bad = p.positionals.filter((t) => !TIERS.includes(t as Tier));
  if (bad.length) throw new UsageError(`unknown tier(s) ${bad.join(', ')} (tiers: ${TIERS.join(', ')})`);
  const digest = currentDigest();
  const next = pins();
  for (const t of p.positionals) next[t as Tier] = digest;
  const sorted = Object.fromEntries(TIERS.filter((t) => next[t]).map((t) => [t, next[t]]));
  writeFileSync(RELEASES_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
  const { kept, dropped } = keepPinnedReleases(sorted);
  console.log(`pinned ${p.positionals.join(', ')} to composition digest ${digest}`);
  for (const d of kept) console.log(`kept ${RELEASES_DIR}/${d}.yaml`);
  for (const d of dropped) console.log(`removed ${RELEASES_DIR}/${d}.yaml (no tier pins it)`);
  console.log('now run npm run synth and commit');
  return 0;
}
