// How a plan reads: like terraform plan (`+`, `~`, `-/+`, `-`, a summary line per
// environment), as JSON, or as markdown for a pull request comment (one collapsible
// section per environment, the plan in a diff block, as Atlantis posts it).
import { EnvironmentPlan, ObjectChange, Plan } from './index';
import { ResourceChange } from './diff';
import { ACCEPT_ANNOTATION } from './guard';

const SYMBOL: Record<ResourceChange['action'], string> = { create: '+', update: '~', replace: '-/+', delete: '-' };
const RUNBOOK = 'docs/operations.md "When a resource needs replacing"';

export interface Summary { add: number; change: number; replace: number; destroy: number; kubernetesOnly: number }

export function summary(e: EnvironmentPlan): Summary {
  const c = e.diff.changes;
  return {
    add: c.filter((x) => x.action === 'create').length,
    change: c.filter((x) => x.action === 'update' && !x.kubernetesOnly).length,
    replace: c.filter((x) => x.action === 'replace').length,
    destroy: c.filter((x) => x.action === 'delete').length,
    kubernetesOnly: c.filter((x) => x.kubernetesOnly).length,
  };
}

const show = (v: unknown) => {
  if (v === undefined) return '(none)';
  const s = JSON.stringify(v);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
};

function resourceLines(c: ResourceChange): string[] {
  const note = c.action === 'replace'
    ? `  # ${c.reason}; provider-upjet-aws refuses to replace (Synced False until a person follows ${RUNBOOK})`
    : c.kubernetesOnly ? '  # Kubernetes only: nothing sent to AWS' : '';
  const out = [`  ${SYMBOL[c.action]} ${c.name} (${c.kind})${note}`];
  for (const f of c.fields) {
    const why = f.replace === 'forces' ? '  # forces replacement' : f.replace === 'may' ? '  # may force replacement' : '';
    const create = f.path.startsWith('spec.initProvider.') ? '  # create-time only (initProvider)' : '';
    out.push(`      ~ ${f.path}: ${show(f.before)} -> ${show(f.after)}${why}${create}`);
  }
  return out;
}

export function summaryLine(e: EnvironmentPlan): string {
  const s = summary(e);
  return `${s.add} to add, ${s.change} to change, ${s.replace} to replace, ${s.destroy} to destroy${s.kubernetesOnly ? ` (${s.kubernetesOnly} Kubernetes-only)` : ''}`;
}

export function environmentLines(e: EnvironmentPlan): string[] {
  const rel = e.release.base === e.release.head ? `release ${e.release.head}` : `release ${e.release.base ?? '(none)'} -> ${e.release.head ?? '(none)'}`;
  const out = [`${e.env} (tier ${e.tier}, ${rel}): ${e.state === 'removed' ? 'REMOVED' : e.state === 'added' ? 'new environment' : e.state}`];
  for (const c of e.diff.changes) out.push(...resourceLines(c));
  if (e.diff.marker) out.push(`  ~ tags.ConfigHash ${e.diff.marker.from} -> ${e.diff.marker.to} on ${e.diff.marker.resources} resources (the deployment marker: one tag call each, not listed)`);
  const a = e.diff.adoption;
  if (a?.entering) out.push(`  ~ adoption mode: ${a.resources} managed resources Observe-only (Kubernetes only: nothing is created, changed or deleted in AWS until it is left; bind them with payenv adopt ${e.env})`);
  if (a && !a.entering) out.push(`  ~ leaving adoption mode: ${a.resources} managed resources managed again (what AWS holds is brought to the claim; run payenv adopt ${e.env} --dry-run first: a missing one is created)`);
  out.push(`  Plan: ${summaryLine(e)}.`);
  for (const a of e.accepted) out.push(`  accepted: ${a.subject}: ${a.reason}; because "${a.acceptedBecause}"`);
  for (const r of e.refused) {
    out.push(`  REFUSED: ${r.subject}: ${r.reason}.`);
    if (r.subject.startsWith('spec.')) continue;
    out.push(`    To accept it, the change itself adds to environments/${e.env}.yaml metadata.annotations["${ACCEPT_ANNOTATION}"] the line "${r.subject}: <why>"${r.subject === 'environment' ? ' (committed before the file is removed)' : ''}.`);
  }
  return out;
}

function objectLines(title: string, changes: readonly ObjectChange[]): string[] {
  if (!changes.length) return [];
  const sym = { create: '+', update: '~', delete: '-' };
  return [title, ...changes.flatMap((c) => [
    `  ${sym[c.action]} ${c.object} (${c.file})`,
    ...c.fields.slice(0, 20).map((f) => `      ${c.added?.includes(f) ? '+' : c.removed?.includes(f) ? '-' : '~'} ${f}`),
    ...(c.fields.length > 20 ? [`      ... and ${c.fields.length - 20} more fields`] : []),
  ])];
}

export function text(p: Plan): string {
  const out = [`payenv plan: ${p.base} -> ${p.head}`, ''];
  for (const e of p.environments) out.push(...environmentLines(e), '');
  out.push(...objectLines('What Argo CD applies besides the claims:', p.gitops));
  out.push(...objectLines('Platform (XRD, packages, runtime config, bootstrap):', p.platform));
  if (p.refused.length) out.push('', `REFUSED: ${p.refused.length} change(s) to data or environments in a guarded tier (exit 3).`);
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

export function markdown(p: Plan): string {
  const out = [`### payenv plan`, '', `\`${p.base}\` → \`${p.head}\``, ''];
  for (const e of p.environments) {
    const flag = e.refused.length ? ' — **refused**' : '';
    out.push(`<details${e.refused.length ? ' open' : ''}><summary><b>${e.env}</b> (${e.tier}): ${summaryLine(e)}${flag}</summary>`, '', '```diff', ...environmentLines(e), '```', '</details>', '');
  }
  const objs = [...objectLines('What Argo CD applies besides the claims:', p.gitops), ...objectLines('Platform:', p.platform)];
  if (objs.length) out.push('<details><summary>Argo CD objects and platform</summary>', '', '```diff', ...objs, '```', '</details>', '');
  return out.join('\n');
}

export function json(p: Plan): string {
  return JSON.stringify({ ...p, environments: p.environments.map((e) => ({ ...e, summary: summary(e) })) }, null, 2) + '\n';
}

/** terraform plan -detailed-exitcode: 0 no change, 2 changes; 3 when the guard refuses; 1 is an error. */
export function exitCode(p: Plan): number {
  if (p.refused.length) return 3;
  const changed = p.environments.some((e) => e.state !== 'unchanged') || p.gitops.length > 0 || p.platform.length > 0;
  return changed ? 2 : 0;
}
