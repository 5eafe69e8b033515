// The real-account audit as a whole (src/audit/index.ts): every kind the Composition composes has
// its rows, every row cites AWS, every check it names exists, nothing unchecked goes without a
// finding that says why, and docs/aws.md shows the table as the rows make it. No rendering.
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { AUDIT, auditTable, AwsRule, findingState, firstSentence, isKind } from '../src/audit';
import { composedKinds as allComposedKinds } from '../src/platform';
import { SPEC_FIELDS } from '../src/schema';
import { ROOT_DIR as ROOT } from '../src/versions';

/** `<family>/<Kind>` of every managed resource the Composition composes (Usages are Crossplane's, not AWS's). */
const composedKinds = (): string[] => allComposedKinds().map((k) => `${k.split('.')[0]}/${k.split('/')[1]}`);

/**
 * Subjects that are no managed kind: each shipped file (dist/bootstrap/<name>.yaml), and the
 * groups whose rule spans several resources of a kind or a field of every claim.
 */
const NON_KIND_SUBJECTS: Record<string, string> = {
  'bootstrap/iam-environment': 'dist/bootstrap/iam-environment.yaml',
  'bootstrap/iam-management': 'dist/bootstrap/iam-management.yaml',
  'bootstrap/iam-peering-accepter': 'dist/bootstrap/iam-peering-accepter.yaml',
  'bootstrap/aws-account': 'dist/bootstrap/aws-account.yaml',
  // What the alarms watch (metrics and dimensions each service publishes), across cloudwatch/MetricAlarm.
  'alarms': 'src/composition/observability.ts',
  // The dashboard body's widgets (cloudwatch/Dashboard dashboardBody).
  'dashboards': 'src/composition/observability.ts',
  // The fields of the committed claims in environments/*.yaml.
  'environments': 'environments',
};

/** Sources outside AWS's documentation, each with the reason it is the right page (none so far). */
const SOURCE_EXCEPTIONS: Record<string, string> = {};
const AWS_DOCS = /^https:\/\/(docs\.aws\.amazon\.com|aws\.amazon\.com)\//;

/** A file's text as a test name reads: the \' of a single-quoted string unescaped. */
const fileText = (file: string) => readFileSync(join(ROOT, file), 'utf8').replace(/\\'/g, '\'');

/** SPEC_FIELDS keys and the fields of the nested adminPeering object (`adminPeering.cidr`). */
function validationFields(): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(SPEC_FIELDS)) {
    out.push(k);
    if ('properties' in v) out.push(...Object.keys(v.properties).map((p) => `${k}.${p}`));
  }
  return out;
}

/** What is wrong with one row's check: `none`, `validation: <field>` or `<file>: <name>` where the file holds the name. */
function checkProblems(r: AwsRule): string[] {
  if (r.check === 'none') return [];
  const validation = /^validation: (.+)$/.exec(r.check);
  if (validation) return validationFields().includes(validation[1]) ? [] : [`"${validation[1]}" is no field of SPEC_FIELDS (src/schema.ts)`];
  const i = r.check.indexOf(': ');
  if (i < 0) return [`"${r.check}" is neither none, validation: <field> nor <file>: <name>`];
  const [file, name] = [r.check.slice(0, i), r.check.slice(i + 2)];
  if (!existsSync(join(ROOT, file))) return [`${file} does not exist`];
  return fileText(file).includes(name) ? [] : [`${file} has no test "${name}"`];
}

/** What is wrong with a row, as the tests below hold it (empty: nothing). */
function rowProblems(r: AwsRule, kinds: readonly string[]): string[] {
  const out: string[] = [];
  if (!kinds.includes(r.subject) && !(r.subject in NON_KIND_SUBJECTS)) out.push(`subject ${r.subject} is neither a composed kind nor a listed non-kind subject`);
  if (!AWS_DOCS.test(r.source) && !(r.source in SOURCE_EXCEPTIONS)) out.push(`source ${r.source} is not an AWS documentation page`);
  out.push(...checkProblems(r));
  if (r.finding !== undefined && findingState(r) === undefined) out.push('finding does not start with fixed:, documented: or open:');
  if (r.check === 'none' && !['open', 'documented'].includes(findingState(r) ?? '')) out.push('check none without an open: or documented: finding');
  if (!r.fields.length || !r.rule.trim()) out.push('no fields or no rule');
  return out;
}

const KINDS = composedKinds();
const label = (r: AwsRule) => `${r.subject} [${r.fields.join(', ')}] ${r.rule.slice(0, 60)}`;
const problemsOf = (rules: readonly AwsRule[]) => rules.flatMap((r) => rowProblems(r, KINDS).map((p) => `${label(r)}: ${p}`));

test('every managed kind the Composition composes has at least one row, and every subject is such a kind or a listed file or group', () => {
  expect(KINDS.length).toBeGreaterThan(50);
  const subjects = new Set(AUDIT.map((r) => r.subject));
  expect(KINDS.filter((k) => !subjects.has(k))).toEqual([]);
  expect([...subjects].filter((s) => !KINDS.includes(s) && !(s in NON_KIND_SUBJECTS))).toEqual([]);
  // Every listed non-kind subject is in use and names something that exists.
  for (const [s, where] of Object.entries(NON_KIND_SUBJECTS)) expect([s, subjects.has(s), existsSync(join(ROOT, where))]).toEqual([s, true, true]);
  for (const s of subjects) expect([s, isKind(s)]).toEqual([s, KINDS.includes(s)]);
});

test('every row cites an AWS documentation page', () => {
  expect(AUDIT.filter((r) => !AWS_DOCS.test(r.source) && !(r.source in SOURCE_EXCEPTIONS)).map((r) => `${label(r)}: ${r.source}`)).toEqual([]);
  // An exception listed but no longer used is dropped.
  expect(Object.keys(SOURCE_EXCEPTIONS).filter((s) => !AUDIT.some((r) => r.source === s))).toEqual([]);
});

test('every check is none, validation: <a field of SPEC_FIELDS>, or <file>: <a test name in that file>', () => {
  expect(AUDIT.flatMap((r) => checkProblems(r).map((p) => `${label(r)}: ${p}`))).toEqual([]);
});

test('a row checked by nothing has an open: or documented: finding, and every finding says fixed:, documented: or open:', () => {
  expect(AUDIT.filter((r) => r.check === 'none' && !['open', 'documented'].includes(findingState(r) ?? '')).map(label)).toEqual([]);
  expect(AUDIT.filter((r) => r.finding !== undefined && findingState(r) === undefined).map(label)).toEqual([]);
});

test('a broken row is caught: unknown subject, a source outside AWS, a test that does not exist, an unknown field, none without a finding', () => {
  const good = AUDIT.find((r) => r.check !== 'none' && !r.check.startsWith('validation:'))!;
  expect(problemsOf([good])).toEqual([]);
  const broken: [Partial<AwsRule>, RegExp | null][] = [
    [{ subject: 'ec2/Instance' }, /neither a composed kind/],
    [{ source: 'https://stackoverflow.com/questions/1' }, /not an AWS documentation page/],
    [{ check: 'test/audit-network.test.ts: a test nobody wrote' }, /has no test/],
    [{ check: 'test/no-such-file.test.ts: anything' }, /does not exist/],
    [{ check: 'validation: spec.region' }, /no field of SPEC_FIELDS/],
    [{ check: 'validation: adminPeering.vpcId' }, null],
    [{ check: 'none', finding: undefined }, /check none without/],
    [{ check: 'none', finding: 'fixed: something' }, /check none without/],
    [{ finding: 'Fixed in the working tree' }, /does not start with/],
  ];
  for (const [change, expected] of broken) {
    const found = problemsOf([{ ...good, ...change }]);
    if (expected) expect([change, found.some((p) => expected.test(p))]).toEqual([change, true]);
    else expect([change, found]).toEqual([change, []]);
  }
});

test('docs/aws.md shows the audit table as src/audit makes it (npm run readme writes it)', () => {
  const page = readFileSync(join(ROOT, 'docs', 'aws.md'), 'utf8');
  const m = /<!-- results:aws-audit -->\n([\s\S]*?)\n<!-- \/results:aws-audit -->/.exec(page);
  expect(m).not.toBeNull();
  expect(m![1]).toBe(auditTable());
  // One row per rule, in the table's order, and the totals count what the rows say.
  const table = auditTable();
  expect(table.split('\n').filter((l) => l.startsWith('| `')).length).toBe(AUDIT.length);
  expect(table).toContain(`${AUDIT.length} rules;`);
  expect(table).toContain(`${AUDIT.filter((r) => findingState(r) === 'open').length} open.`);
  // A changed row changes the table.
  expect(auditTable([{ ...AUDIT[0], emulator: AUDIT[0].emulator === 'enforces' ? 'forgives' : 'enforces' }, ...AUDIT.slice(1)])).not.toBe(table);
});

test('the table cell of a finding is its first sentence, and markup in a rule stays text', () => {
  expect(firstSentence('fixed: initProvider (src/a.ts; test/b.test.ts: c). Then more.')).toBe('fixed: initProvider (src/a.ts; test/b.test.ts: c).');
  expect(firstSentence('open: no full stop')).toBe('open: no full stop');
  const [row] = auditTable([{ subject: 'ec2/VPC', fields: ['a'], rule: 'x | <id> *y*', source: 'https://docs.aws.amazon.com/p.html', emulator: 'forgives', check: 'none', finding: 'open: z.' }]).split('\n').slice(2);
  expect(row).toBe('| `ec2/VPC` | `a` | x \\| &lt;id&gt; \\*y\\* ([p](https://docs.aws.amazon.com/p.html)) | forgives | none | open: z. |');
});
