// `npm run synth`: validate environments/*.yaml and write dist/.
import { ValidationError } from './validate';
import { pendingPromotions, synth } from './synth';

try {
  const written = synth();
  console.log(`synthesized ${written.length} files into dist/`);
  const pending = pendingPromotions();
  if (pending.length) {
    console.log(`note: the Composition changed; still on an earlier revision: ${pending.join(', ')}. Promote with: npx payenv promote <tier>`);
  }
} catch (e) {
  if (e instanceof ValidationError) {
    console.error(e.message);
    console.error(`synth: ${e.problems.length} problem(s); nothing written`);
    process.exit(1);
  }
  throw e;
}
