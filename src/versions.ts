// Pinned upstream versions, read from scripts/versions.sh so the tools we build
// and the packages dist/ installs never disagree.
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

/** The repository root: the nearest directory above this file with package.json (src/ or lib/src/). */
function findRoot(dir: string): string {
  return existsSync(join(dir, 'package.json')) ? dir : findRoot(dirname(dir));
}
const ROOT = findRoot(__dirname);

function readPins(): Record<string, string> {
  const text = readFileSync(join(ROOT, 'scripts', 'versions.sh'), 'utf8');
  return Object.fromEntries([...text.matchAll(/^([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
}

export const PINS = readPins();

export interface FunctionPackage {
  readonly name: string;
  readonly package: string;
  readonly version: string;
}

function fn(name: string, org: string, version: string): FunctionPackage {
  return { name, version, package: `xpkg.crossplane.io/${org}/${name}:${version}` };
}

export const FUNCTIONS = {
  patchAndTransform: fn('function-patch-and-transform', 'crossplane-contrib', PINS.FUNCTION_PAT_VERSION),
  celFilter: fn('function-cel-filter', 'crossplane-contrib', PINS.FUNCTION_CEL_FILTER_VERSION),
} as const;

export const PROVIDER_AWS_VERSION = PINS.PROVIDER_AWS_VERSION;
export const ROOT_DIR = ROOT;
export const DIST_DIR = join(ROOT, 'dist');
