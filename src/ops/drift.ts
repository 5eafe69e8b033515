// `payenv drift`: what is not in its desired state now (composed resources not
// Synced or not Ready, Argo CD applications OutOfSync) and what was corrected
// recently (events that created, updated or deleted a resource; Argo CD's last
// automated self-heal). Crossplane and Argo CD correct; this report shows.
import { condition, Connection, explain, Obj } from './kube';
import { Inventory, isHealthy } from './inventory';

export interface DriftReport {
  environment: string;
  drift: boolean;
  notInDesiredState: { name: string; kind: string; synced: string; ready: string; reason?: string }[];
  recentCorrections: { time: string; object: string; reason: string; message: string; count: number; source: string }[];
  argocd: { application: string; sync: string; health: string; lastAutomatedSync?: string } | null;
}

/** Event reasons that mean something was put (back) into its desired state. */
const CORRECTION = /(Create|Update|Delete|Patch|Apply|Compose|Sync|Reconcile)/i;

export async function driftReports(c: Connection, invs: Inventory[], sinceHours: number, argocdNamespace: string): Promise<DriftReport[]> {
  const since = Date.now() - sinceHours * 3600_000;
  let apps: Obj[] = [];
  try {
    apps = ((await c.custom.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace: argocdNamespace, plural: 'applications' })) as { items: Obj[] }).items;
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw explain(e, c, 'list Argo CD applications');
  }
  return Promise.all(invs.map(async (inv) => {
    const ns = inv.xr.metadata.namespace!;
    let events: any[] = [];
    try {
      events = ((await c.core.listNamespacedEvent({ namespace: ns })) as { items: any[] }).items;
    } catch (e) {
      throw explain(e, c, `list events in ${ns}`);
    }
    const names = new Set([inv.xr.metadata.name, ...inv.resources.map((r) => r.obj.metadata.name)]);
    const recentCorrections = events
      .filter((e) => e.type !== 'Warning' && names.has(e.involvedObject?.name) && CORRECTION.test(e.reason ?? ''))
      .map((e) => ({
        time: new Date(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp).toISOString(),
        object: `${e.involvedObject.kind}/${inv.resources.find((r) => r.obj.metadata.name === e.involvedObject.name)?.name ?? e.involvedObject.name}`,
        reason: e.reason, message: (e.message ?? '').split('\n')[0], count: e.count ?? 1,
        source: e.source?.component ?? e.reportingComponent ?? '',
      }))
      .filter((e) => Date.parse(e.time) >= since)
      .sort((a, b) => a.time.localeCompare(b.time) || a.object.localeCompare(b.object));
    const notInDesiredState = inv.resources.filter((r) => !isHealthy(r))
      .map((r) => ({ name: r.name, kind: r.obj.kind, synced: r.synced ?? 'Unknown', ready: r.ready ?? 'Unknown', reason: r.reason }));
    const xrSynced = condition(inv.xr, 'Synced')?.status;
    if (xrSynced !== 'True') notInDesiredState.unshift({ name: '(composite)', kind: inv.xr.kind, synced: xrSynced ?? 'Unknown', ready: condition(inv.xr, 'Ready')?.status ?? 'Unknown', reason: condition(inv.xr, 'Synced')?.message });
    const app = apps.find((a) => a.spec?.destination?.namespace === ns && a.spec?.source?.path?.startsWith('dist/environments/'));
    const history: any[] = app?.status?.history ?? [];
    const op = app?.status?.operationState;
    const argocd = app ? {
      application: app.metadata.name,
      sync: app.status?.sync?.status ?? 'Unknown',
      health: app.status?.health?.status ?? 'Unknown',
      lastAutomatedSync: op?.operation?.initiatedBy?.automated ? op.finishedAt ?? op.startedAt : history.at(-1)?.deployedAt,
    } : null;
    return {
      environment: inv.env,
      drift: notInDesiredState.length > 0 || (argocd !== null && argocd.sync !== 'Synced'),
      notInDesiredState, recentCorrections, argocd,
    };
  }));
}

export function driftText(reports: DriftReport[], sinceHours: number): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${r.environment}: ${r.drift ? 'DRIFT' : 'clean'}`);
    if (r.argocd) out.push(`  argocd ${r.argocd.application}: ${r.argocd.sync}, ${r.argocd.health}${r.argocd.lastAutomatedSync ? `, last automated sync ${r.argocd.lastAutomatedSync}` : ''}`);
    out.push(`  not in desired state now: ${r.notInDesiredState.length}`);
    for (const n of r.notInDesiredState) out.push(`    ${`${n.kind}/${n.name}`.padEnd(52)} Synced=${n.synced.padEnd(7)} Ready=${n.ready.padEnd(7)} ${n.reason ?? ''}`);
    out.push(`  corrected in the last ${sinceHours}h: ${r.recentCorrections.length}`);
    for (const e of r.recentCorrections) out.push(`    ${e.time}  ${e.object.padEnd(48)} ${e.reason} x${e.count}  ${e.message}`);
  }
  return `${out.join('\n')}\n`;
}
