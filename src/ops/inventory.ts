// What the live cluster holds for each environment: the XR, its composed
// resources with their AWS area, readiness and outputs. Shared by status,
// drift, parity and manifest.
import { composedResources as compositionResources } from '../composition';
import { Area } from '../composition/resource';
import { composedResourcesOf, condition, Connection, listEnvironments, Obj, resourceName } from './kube';

export interface Resource {
  readonly name: string;
  readonly area: Area | 'other';
  readonly obj: Obj;
  readonly synced?: string;
  readonly ready?: string;
  readonly reason?: string;
}

export interface Inventory {
  readonly env: string;
  readonly xr: Obj;
  readonly resources: Resource[];
}

export const AREAS: (Area | 'other')[] = ['network', 'security', 'database', 'storage', 'compute', 'edge', 'observability', 'other'];

let areaByName: Map<string, Area> | undefined;
/** The AWS area of a composed resource, from the Composition's own definition. */
export function areaOf(name: string): Area | 'other' {
  areaByName ??= new Map(compositionResources().map((r) => [r.name, r.area]));
  return areaByName.get(name) ?? 'other';
}

function reasonOf(o: Obj): string | undefined {
  if (o.status?.missing) return 'referenced by the XR but not found';
  const bad = (o.status?.conditions ?? []).find((c: { status: string }) => c.status !== 'True');
  if (bad) return [bad.type, bad.reason, bad.message].filter(Boolean).join(': ');
  if (!o.status?.conditions?.length) return 'no status yet (no provider has observed it)';
  return undefined;
}

export async function inventory(c: Connection, env?: string): Promise<Inventory[]> {
  const xrs = await listEnvironments(c, env);
  return inventoryOf(xrs, await composedResourcesOf(c, xrs));
}

/** Each XR with its composed resources (composed[i] those of xrs[i]), by AWS area then name. */
export function inventoryOf(xrs: Obj[], composed: Obj[][]): Inventory[] {
  return xrs.map((xr, i) => {
    const resources = composed[i].map((o) => ({
      name: resourceName(o), area: areaOf(resourceName(o)), obj: o,
      synced: condition(o, 'Synced')?.status, ready: condition(o, 'Ready')?.status, reason: reasonOf(o),
    })).sort((a, b) => AREAS.indexOf(a.area) - AREAS.indexOf(b.area) || a.name.localeCompare(b.name));
    return { env: xr.metadata.name, xr, resources };
  });
}

/** Usages are deletion-order bookkeeping; the Composition never lets them gate readiness. */
export const gatesReadiness = (r: Resource) => r.obj.kind !== 'Usage';
export const isHealthy = (r: Resource) => !gatesReadiness(r) || (r.synced === 'True' && r.ready === 'True');
