// The real-account audit, whole: every rule of src/audit/*.ts, and the table docs/aws.md
// "What AWS enforces" shows (bench/readme.ts writes it between its results markers;
// test/audit.test.ts holds the rows to the Composition, to AWS's pages and to the tests named).
import { COMPUTE } from './compute';
import { DATA } from './data';
import { NETWORK } from './network';
import { OPERATIONS } from './operations';
import { AwsRule } from './rule';

export type { AwsRule } from './rule';

/** Every rule, in a fixed order: by subject, then by fields (rules on the same fields keep their written order). */
export const AUDIT: readonly AwsRule[] = [...NETWORK, ...DATA, ...COMPUTE, ...OPERATIONS]
  .map((r, i) => ({ r, i }))
  .sort((a, b) => cmp(a.r.subject, b.r.subject) || cmp(a.r.fields.join(','), b.r.fields.join(',')) || a.i - b.i)
  .map(({ r }) => r);

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How a finding stands: the prefix its text starts with. */
export type FindingState = 'fixed' | 'documented' | 'open';
export const FINDING_STATES: readonly FindingState[] = ['fixed', 'documented', 'open'];
export const findingState = (r: AwsRule): FindingState | undefined =>
  r.finding === undefined ? undefined : FINDING_STATES.find((s) => r.finding!.startsWith(`${s}:`));

/** Subjects that are managed kinds (`<family>/<Kind>`, the Kind capitalised), not shipped files. */
export const isKind = (subject: string) => /^[a-z0-9]+\/[A-Z]\w*$/.test(subject);

/** Text in a markdown table cell: nothing in it is read as markup, a table pipe or an HTML tag. */
const md = (s: string) => s.replace(/([\\`*_[\]|])/g, '\\$1').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The first sentence: up to the first full stop followed by white space (not e.g., i.e., etc.), or the end. */
export function firstSentence(s: string): string {
  const m = /^[\s\S]*?(?<!\b(?:e\.g|i\.e|etc|vs))\.(?=\s|$)/.exec(s);
  return (m ? m[0] : s).trim();
}

/** The name of an AWS page, from its address (API_CreateSubnet, vpc-cidr-blocks). */
const pageName = (url: string) => url.replace(/[#?].*$/, '').replace(/\/$/, '').split('/').pop()!.replace(/\.html?$/, '');

/** The audit as one markdown table and its totals (docs/aws.md, between the aws-audit markers). */
export function auditTable(rules: readonly AwsRule[] = AUDIT): string {
  const rows = rules.map((r) => [
    `\`${r.subject}\``,
    r.fields.map((f) => `\`${f.replace(/\|/g, '\\|')}\``).join(', '),
    `${md(r.rule)} ([${md(pageName(r.source))}](${r.source}))`,
    r.emulator,
    md(r.check),
    r.finding === undefined ? '' : md(firstSentence(r.finding)),
  ]);
  const subjects = new Set(rules.map((r) => r.subject));
  const kinds = [...subjects].filter(isKind).length;
  const by = <T>(f: (r: AwsRule) => T, v: T) => rules.filter((r) => f(r) === v).length;
  const totals = [
    `${subjects.size} subjects (${kinds} managed kinds, ${subjects.size - kinds} shipped files and cross-resource groups), ${rules.length} rules;`,
    `emulator enforces ${by((r) => r.emulator, 'enforces')}, forgives ${by((r) => r.emulator, 'forgives')}, not applicable ${by((r) => r.emulator, 'not-applicable')};`,
    `${rules.filter((r) => r.check !== 'none').length} rules checked by a test or validation;`,
    `findings: ${FINDING_STATES.map((s) => `${by(findingState, s)} ${s}`).join(', ')}.`,
  ].join(' ');
  return [
    '| kind / file | fields | what AWS enforces | emulator | checked by | finding |',
    '|---|---|---|---|---|---|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `Totals: ${totals}`,
  ].join('\n');
}
