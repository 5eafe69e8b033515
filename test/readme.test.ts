// The README's measured tables are what bench/results/*.json say (npm run readme writes them).
import { readFileSync } from 'fs';
import { join } from 'path';
import { regenerated } from '../bench/readme';

test('README tables match bench/results (run npm run readme after a measuring run)', () => {
  const text = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  expect(regenerated(text)).toBe(text);
});

test('a number typed into a generated table is caught', () => {
  const text = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const typed = text.replace(/(<!-- results:e2e-aws -->\n)/, '$1| typed | 1 s |\n');
  expect(regenerated(typed)).not.toBe(typed);
});
