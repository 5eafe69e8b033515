// Synth-time validation of environments/*.yaml against src/schema.ts: the
// same fields, patterns and rules the XRD gives the API server, plus what only
// synth can see (file name = environment name, CIDR overlap across files).
// Every problem is collected as `<file>: <field path>: <what is wrong>`.
import { readdirSync, readFileSync } from 'fs';
import { basename, extname, join } from 'path';
import { Document, isMap, isPair, isScalar, LineCounter, parseAllDocuments, Scalar, visit } from 'yaml';
import {
  cidrsOverlap, ENV_NAME_HINT, ENV_NAME_PATTERN, EnvironmentSpec, FIELD_RULES, FieldSchema, ObjectSchema,
  REQUIRED_FIELDS, SPEC_FIELDS, SPEC_RULES,
} from './schema';
import { ADOPT_ANNOTATION, XR_API_VERSION, XR_KIND } from './names';
import { ROOT_DIR } from './versions';
import { ACCEPT_ANNOTATION, malformedAcceptances } from './plan/guard';

export interface Environment {
  readonly file: string;
  readonly name: string;
  readonly namespace: string;
  readonly spec: EnvironmentSpec;
  /** The annotations the file may carry (only the plan's data-change acceptance). */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Problem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.path}: ${p.message}`;
}

export class ValidationError extends Error {
  constructor(public readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export const namespaceOf = (env: string) => `payments-${env}`;

export const ENV_DIR = join(ROOT_DIR, 'environments');

/** environments/*.yaml, sorted. */
export function environmentFiles(dir = ENV_DIR): string[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`);

function checkObject(
  obj: unknown, path: string, fields: Record<string, FieldSchema | ObjectSchema>, required: readonly string[], report: (path: string, msg: string) => void,
): boolean {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    report(path, `must be an object, got ${describe(obj)}`);
    return false;
  }
  const o = obj as Record<string, unknown>;
  let ok = true;
  for (const key of Object.keys(o)) {
    if (!(key in fields)) {
      // Unknown fields are errors, but do not hide the rules on the known ones.
      report(`${path}.${key}`, `unknown field (allowed: ${Object.keys(fields).join(', ')})`);
    }
  }
  for (const key of required) {
    if (o[key] === undefined || o[key] === null) {
      report(`${path}.${key}`, 'required');
      ok = false;
    }
  }
  for (const [key, f] of Object.entries(fields)) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    const p = `${path}.${key}`;
    if (f.type === 'object') {
      ok = checkObject(v, p, f.properties, f.required, report) && ok;
      continue;
    }
    if (typeof v !== 'string') {
      report(p, `must be a string, got ${describe(v)}`);
      ok = false;
      continue;
    }
    if (f.enum && !f.enum.includes(v)) {
      report(p, `must be one of ${f.enum.join(', ')}, got "${v}"`);
      ok = false;
    } else if (f.maxLength && v.length > f.maxLength) {
      report(p, `must be at most ${f.maxLength} characters, got ${v.length}`);
      ok = false;
    } else if (f.pattern && !new RegExp(f.pattern).test(v)) {
      report(p, `must be ${f.patternHint}, got "${v}"`);
      ok = false;
    } else {
      for (const r of FIELD_RULES.filter((fr) => `spec.${fr.field}` === p)) {
        if (!r.check(v)) {
          report(p, r.message);
          ok = false;
        }
      }
    }
  }
  return ok;
}

/** Parses and validates one environment file on its own. */
export function validateFile(file: string, text?: string): { env?: Environment; problems: Problem[] } {
  const problems: Problem[] = [];
  const report = (path: string, message: string) => problems.push({ file, path, message });
  let source: string;
  try {
    source = text ?? readFileSync(file, 'utf8');
  } catch (e) {
    report('(file)', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return { problems };
  }
  if (source.trim() === '') {
    report('(file)', 'empty file: expected one PaymentEnvironment');
    return { problems };
  }
  const lineCounter = new LineCounter();
  // uniqueKeys rejects duplicate keys; maxAliasCount stops alias bombs before expansion.
  const docs = parseAllDocuments(source, { uniqueKeys: true, lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) {
    report('(file)', 'not a YAML document');
    return { problems };
  }
  const real = docs.filter((d) => d.contents !== null || d.errors.length > 0);
  if (real.length !== 1) {
    report('(file)', `expected exactly one YAML document, found ${real.length}`);
    return { problems };
  }
  const doc = real[0];
  if (doc.errors.length) {
    // A duplicate key is named by its field path, like every other problem.
    const lines = new LineCounter();
    const dups = duplicateKeys(parseAllDocuments(source, { uniqueKeys: false, lineCounter: lines }) as never);
    for (const d of dups) report(d.path, `duplicate key (line ${lines.linePos(d.offset).line}): each field may appear once`);
    for (const e of doc.errors.filter((x) => !(dups.length && x.code === 'DUPLICATE_KEY'))) {
      const pos = e.pos ? lineCounter.linePos(e.pos[0]) : undefined;
      report(pos ? `(line ${pos.line})` : '(file)', `invalid YAML: ${e.message.split('\n')[0]}`);
    }
    return { problems };
  }
  if (!isMap(doc.contents)) {
    report('(file)', 'must be a YAML mapping (a PaymentEnvironment object)');
    return { problems };
  }
  let obj: Record<string, unknown>;
  try {
    obj = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  } catch (e) {
    report('(file)', `invalid YAML: ${(e as Error).message.split('\n')[0]}`);
    return { problems };
  }

  const name = basename(file, extname(file));
  for (const key of Object.keys(obj)) {
    if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(key)) report(key, 'unknown field (allowed: apiVersion, kind, metadata, spec)');
  }
  if (obj.apiVersion !== XR_API_VERSION) report('apiVersion', `must be ${XR_API_VERSION}, got ${describe(obj.apiVersion)}`);
  if (obj.kind !== XR_KIND) report('kind', `must be ${XR_KIND}, got ${describe(obj.kind)}`);
  if (!ENV_NAME_PATTERN.test(name)) report('(file name)', `"${name}" must be ${ENV_NAME_HINT}`);
  const meta = obj.metadata as Record<string, unknown> | undefined;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    report('metadata', 'required: an object with name and namespace');
  } else {
    for (const key of Object.keys(meta)) {
      if (!['name', 'namespace', 'annotations'].includes(key)) report(`metadata.${key}`, 'unknown field (allowed: name, namespace, annotations; synth adds the rest)');
    }
    annotationProblems(meta.annotations, report);
    if (meta.name !== name) report('metadata.name', `must equal the file name "${name}", got ${describe(meta.name)}`);
    if (meta.namespace !== namespaceOf(name)) report('metadata.namespace', `must be "${namespaceOf(name)}", got ${describe(meta.namespace)}`);
  }
  // Cross-field rules need well-formed fields; report them only then, like the API server.
  if (checkObject(obj.spec, 'spec', SPEC_FIELDS, REQUIRED_FIELDS, report)) {
    const spec = obj.spec as unknown as EnvironmentSpec;
    for (const r of SPEC_RULES) if (!r.check(spec)) report(`spec.${r.field}`, r.message);
  }
  if (problems.length) return { problems };
  const annotations = (meta as { annotations?: Record<string, string> }).annotations;
  return { env: { file, name, namespace: namespaceOf(name), spec: obj.spec as EnvironmentSpec, ...(annotations ? { annotations } : {}) }, problems };
}

/** An environment file may carry two annotations: the data changes it accepts (src/plan/guard.ts) and adoption mode. */
function annotationProblems(a: unknown, report: (path: string, message: string) => void): void {
  if (a === undefined) return;
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return report('metadata.annotations', 'must be a map of strings');
  for (const [k, v] of Object.entries(a)) {
    if (k === ADOPT_ANNOTATION) {
      if (v !== 'true') report(`metadata.annotations.${k}`, `must be "true" (adoption mode; remove the annotation to leave it), got ${describe(v)}`);
      continue;
    }
    if (k !== ACCEPT_ANNOTATION) { report(`metadata.annotations.${k}`, `unknown annotation (allowed: ${ACCEPT_ANNOTATION}, ${ADOPT_ANNOTATION}; synth adds the rest)`); continue; }
    if (typeof v !== 'string') { report(`metadata.annotations.${k}`, `must be a string of lines "<resource name>: <reason>", got ${describe(v)}`); continue; }
    for (const line of malformedAcceptances(v)) report(`metadata.annotations.${k}`, `line ${JSON.stringify(line.trim())} must be "<composition resource name or environment>: <reason>"`);
  }
}

/** Every key that appears twice in one mapping: its field path and where the second one is. */
function duplicateKeys(docs: Document[]): { path: string; offset: number }[] {
  const out: { path: string; offset: number }[] = [];
  for (const d of docs) {
    visit(d, {
      Map(_, map, ancestors) {
        const prefix = ancestors.filter(isPair).map((p) => String(isScalar(p.key) ? p.key.value : p.key));
        const seen = new Set<string>();
        for (const item of map.items) {
          const key = String(isScalar(item.key) ? item.key.value : item.key);
          if (seen.has(key)) out.push({ path: [...prefix, key].join('.'), offset: (item.key as Scalar | null)?.range?.[0] ?? 0 });
          seen.add(key);
        }
      },
    });
  }
  return out;
}

/** Values that must differ between environments: the API's domain is one name in DNS. */
const UNIQUE_FIELDS = ['apiDomain'] as const;

/**
 * Rules across environments: no two VPC networks may overlap (sorted sweep, O(n log n)),
 * and no two environments share a value that must be unique.
 */
export function crossEnvironmentProblems(envs: Environment[]): Problem[] {
  const problems: Problem[] = [];
  for (const field of UNIQUE_FIELDS) {
    const first = new Map<string, Environment>();
    for (const e of [...envs].sort((a, b) => a.name.localeCompare(b.name))) {
      const v = String(e.spec[field]).toLowerCase();
      const prev = first.get(v);
      if (prev) problems.push({ file: e.file, path: `spec.${field}`, message: `"${e.spec[field]}" is already used by environment "${prev.name}" (${prev.file}); it must be unique` });
      else first.set(v, e);
    }
  }
  const sorted = [...envs].sort((a, b) => ipv4(a.spec.vpcCidr) - ipv4(b.spec.vpcCidr) || a.name.localeCompare(b.name));
  for (let i = 1; i < sorted.length; i++) {
    const [prev, cur] = [sorted[i - 1], sorted[i]];
    if (cidrsOverlap(prev.spec.vpcCidr, cur.spec.vpcCidr)) {
      problems.push({ file: cur.file, path: 'spec.vpcCidr', message: `${cur.spec.vpcCidr} overlaps ${prev.spec.vpcCidr} of environment "${prev.name}" (${prev.file})` });
    }
  }
  return problems;
}

function ipv4(cidr: string): number {
  return cidr.split('/')[0].split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

/** Validates every file and the rules across them; throws ValidationError listing every problem. */
export function loadEnvironments(files: string[]): Environment[] {
  const results = files.map((f) => validateFile(f));
  const envs = results.flatMap((r) => (r.env ? [r.env] : []));
  const problems = [...results.flatMap((r) => r.problems), ...crossEnvironmentProblems(envs)];
  if (problems.length) throw new ValidationError(problems);
  return envs.sort((a, b) => a.name.localeCompare(b.name));
}
