// `payenv drift`: what is not in its desired state now, in classes, because a report listing
// every resource still being created is noise: converging (never yet Ready), failing (an
// error condition, with the AWS error), drifted (was Ready, is not: not yet put back; or an
// Argo CD application OutOfSync); what was corrected recently (events that put a resource
// back, the drift listener's reconcile requests, Argo CD's last automated sync); and
// unmanaged changes the drift listener saw (src/listener/). Crossplane and Argo CD correct;
// this report shows.
import { condition, Connection, explain, Obj } from './kube';
import { LISTENER_EVENT } from '../listener/match';
import { Inventory, isHealthy, Resource } from './inventory';

/** Why a composed resource is not in its desired state. */
export type DriftClass = 'converging' | 'failing' | 'drifted';

export interface DriftReport {
  environment: string;
  /** Failing, drifted or unmanaged changes present (what makes `payenv drift` exit 2). */
  drift: boolean;
  counts: { converging: number; failing: number; drifted: number; corrected: number; unmanaged: number };
  notInDesiredState: { name: string; kind: string; class: DriftClass; synced: string; ready: string; reason?: string }[];
  recentCorrections: { time: string; object: string; reason: string; message: string; count: number; source: string }[];
  unmanagedChanges: { time: string; message: string; awsEventId?: string }[];
  argocd: { application: string; sync: string; health: string; lastAutomatedSync?: string } | null;
}


/**
 * Synced=False is an error the provider reports (the AWS error in its message); Ready=False other
 * than Creating is a resource that existed and is not as specified; no conditions or Creating:
 * still being created.
 */
export function classOf(r: Resource): DriftClass {
  if (r.obj.status?.missing) return 'drifted';
  const synced = condition(r.obj, 'Synced');
  if (synced?.status === 'False') return 'failing';
  const ready = condition(r.obj, 'Ready');
  if (!ready || ready.reason === 'Creating') return 'converging';
  return 'drifted';
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
    const timeOf = (e: any) => new Date(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp).toISOString();
    const unmanagedChanges = events
      .filter((e) => e.reason === LISTENER_EVENT.unmanaged && e.involvedObject?.name === inv.xr.metadata.name && Date.parse(timeOf(e)) >= since)
      .map((e) => ({ time: timeOf(e), message: e.message ?? '', awsEventId: e.metadata.annotations?.[LISTENER_EVENT.awsEventIdAnnotation] }))
      .sort((a, b) => a.time.localeCompare(b.time));
    const recentCorrections = events
      .filter((e) => e.type !== 'Warning' && names.has(e.involvedObject?.name) && CORRECTION.test(e.reason ?? ''))
      .map((e) => ({
        time: timeOf(e),
        object: `${e.involvedObject.kind}/${inv.resources.find((r) => r.obj.metadata.name === e.involvedObject.name)?.name ?? e.involvedObject.name}`,
        reason: e.reason, message: (e.message ?? '').split('\n')[0], count: e.count ?? 1,
        source: e.source?.component ?? e.reportingComponent ?? '',
      }))
      .filter((e) => Date.parse(e.time) >= since)
      .sort((a, b) => a.time.localeCompare(b.time) || a.object.localeCompare(b.object));
    const notInDesiredState = inv.resources.filter((r) => !isHealthy(r))
      .map((r) => ({ name: r.name, kind: r.obj.kind, class: classOf(r), synced: r.synced ?? 'Unknown', ready: r.ready ?? 'Unknown', reason: r.reason }));
    const xrSynced = condition(inv.xr, 'Synced')?.status;
    if (xrSynced !== 'True') {
      notInDesiredState.unshift({ name: '(composite)', kind: inv.xr.kind, class: xrSynced === 'False' ? 'failing' : 'converging', synced: xrSynced ?? 'Unknown', ready: condition(inv.xr, 'Ready')?.status ?? 'Unknown', reason: condition(inv.xr, 'Synced')?.message });
    }
    const app = apps.find((a) => a.spec?.destination?.namespace === ns && a.spec?.source?.path?.startsWith('dist/environments/'));
    const history: any[] = app?.status?.history ?? [];
    const op = app?.status?.operationState;
    const argocd = app ? {
      application: app.metadata.name,
      sync: app.status?.sync?.status ?? 'Unknown',
      health: app.status?.health?.status ?? 'Unknown',
      lastAutomatedSync: op?.operation?.initiatedBy?.automated ? op.finishedAt ?? op.startedAt : history.at(-1)?.deployedAt,
    } : null;
    const n = (c: DriftClass) => notInDesiredState.filter((x) => x.class === c).length;
    const counts = {
      converging: n('converging'), failing: n('failing'),
      drifted: n('drifted') + (argocd !== null && argocd.sync !== 'Synced' ? 1 : 0),
      corrected: recentCorrections.length, unmanaged: unmanagedChanges.length,
    };
    return {
      environment: inv.env,
      drift: counts.failing + counts.drifted + counts.unmanaged > 0,
      counts, notInDesiredState, recentCorrections, unmanagedChanges, argocd,
    };
  }));
}

export function driftText(reports: DriftReport[], sinceHours: number, details: boolean): string {
  const out: string[] = [];
  for (const r of reports) {
    const c = r.counts;
    const state = r.drift ? 'DRIFT' : c.converging ? 'converging' : 'clean';
    out.push(`${r.environment}: ${state}  converging ${c.converging}, failing ${c.failing}, drifted ${c.drifted}; in the last ${sinceHours}h: corrected ${c.corrected}, unmanaged changes ${c.unmanaged}`);
    if (r.argocd && (details || r.argocd.sync !== 'Synced')) out.push(`  argocd ${r.argocd.application}: ${r.argocd.sync}, ${r.argocd.health}${r.argocd.lastAutomatedSync ? `, last automated sync ${r.argocd.lastAutomatedSync}` : ''}`);
    // Failing and drifted always name the resource and the error; the rest only with --details.
    for (const x of r.notInDesiredState.filter((x) => details || x.class !== 'converging')) {
      out.push(`  ${x.class.padEnd(10)} ${`${x.kind}/${x.name}`.padEnd(52)} Synced=${x.synced.padEnd(7)} Ready=${x.ready.padEnd(7)} ${x.reason ?? ''}`);
    }
    for (const u of r.unmanagedChanges) out.push(`  unmanaged  ${u.time}  ${u.message}`);
    if (details) for (const e of r.recentCorrections) out.push(`  corrected  ${e.time}  ${e.object.padEnd(48)} ${e.reason} x${e.count}  ${e.message}`);
  }
  return `${out.join('\n')}\n`;
}
