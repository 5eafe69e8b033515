// The measured tables of README.md and docs/*.md are what bench/results/*.json say (npm run readme writes them).
import { readFileSync } from 'fs';
import { missingSections, PAGES, regenerated, results, SCALE_PLOT, scalePlot } from '../bench/readme';

test.each(PAGES.map((p) => [p.replace(/.*\/(?=README|docs)/, ''), p]))('%s: tables match bench/results (run npm run readme after a measuring run)', (_name, page) => {
  const text = readFileSync(page, 'utf8');
  expect(regenerated(text)).toBe(text);
});

test('every results section is in exactly one page', () => {
  expect(missingSections(PAGES.map((p) => readFileSync(p, 'utf8')))).toEqual([]);
});

test('a number typed into a generated table is caught', () => {
  const page = PAGES.find((p) => readFileSync(p, 'utf8').includes('<!-- results:e2e-aws -->'))!;
  const text = readFileSync(page, 'utf8');
  const typed = text.replace(/(<!-- results:e2e-aws -->\n)/, '$1| typed | 1 s |\n');
  expect(regenerated(typed)).not.toBe(typed);
});

test('docs/img/scale.svg is drawn from bench/results/scale.json', async () => {
  expect(readFileSync(SCALE_PLOT, 'utf8')).toBe(`${await scalePlot(results('scale'))}\n`);
});
