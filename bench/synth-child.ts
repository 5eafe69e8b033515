// One measured synth in a fresh process: validation + render + write of every
// environment in a directory. Prints {ms, validateMs, maxRssMb, files, objects, bytes}.
import { readFileSync } from 'fs';
import { join } from 'path';
import { environmentFiles, synth } from '../src/synth';
import { loadEnvironments } from '../src/validate';

const [dir, out] = process.argv.slice(2);
const files = environmentFiles(dir);
const v0 = performance.now();
loadEnvironments(files);
const validateMs = performance.now() - v0;
const t0 = performance.now();
const written = synth(files, out);
const ms = performance.now() - t0;
let objects = 0;
let bytes = 0;
for (const f of written) {
  const text = readFileSync(join(out, f), 'utf8');
  bytes += Buffer.byteLength(text);
  objects += text.split(/^---$/m).length;
}
console.log(JSON.stringify({ ms, validateMs, maxRssMb: process.resourceUsage().maxRSS / 1024, files: written.length, objects, bytes }));
