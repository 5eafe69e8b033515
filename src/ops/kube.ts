// The live cluster through @kubernetes/client-node: kubeconfig and context like
// kubectl's, the PaymentEnvironments and their composed resources, and errors
// mapped to one plain sentence (no stack traces).
import type * as k8s from '@kubernetes/client-node';
import { XR_GROUP, XR_PLURAL, XR_VERSION } from '../names';
import { RESOURCE_NAME_ANNOTATION } from '../render';

// client-node is an ES module; Node >= 20.19 loads it with require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const client: typeof k8s = require('@kubernetes/client-node');

import { OpsError } from './errors';

export { OpsError };

export interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string; deletionTimestamp?: string };
  spec?: any;
  status?: any;
}

export interface Connection {
  readonly kc: k8s.KubeConfig;
  readonly objects: k8s.KubernetesObjectApi;
  readonly custom: k8s.CustomObjectsApi;
  readonly core: k8s.CoreV1Api;
  readonly server: string;
}

export function connect(opts: { kubeconfig?: string; context?: string }): Connection {
  const kc = new client.KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new OpsError(`cannot read kubeconfig ${opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}: ${(e as Error).message}`);
  }
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) throw new OpsError(`no context "${opts.context}" in the kubeconfig`);
    kc.setCurrentContext(opts.context);
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new OpsError('the kubeconfig has no current cluster (use --kubeconfig or --context)');
  return {
    kc, server,
    objects: client.KubernetesObjectApi.makeApiClient(kc),
    custom: kc.makeApiClient(client.CustomObjectsApi),
    core: kc.makeApiClient(client.CoreV1Api),
  };
}

/** Turns client errors into plain sentences. */
export function explain(e: unknown, c: Connection, what: string): OpsError {
  const err = e as { code?: number | string; cause?: { code?: string }; message?: string; body?: string };
  const net = err.cause?.code ?? (typeof err.code === 'string' ? err.code : undefined);
  if (net && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET/.test(net)) return new OpsError(`cannot reach the API server at ${c.server} (${net})`);
  if (/ECONNREFUSED|ENOTFOUND|fetch failed/.test(err.message ?? '')) return new OpsError(`cannot reach the API server at ${c.server} (${err.message})`);
  if (err.code === 401 || err.code === 403) return new OpsError(`not allowed to ${what} (HTTP ${err.code}): check the kubeconfig's credentials`);
  if (err.code === 404) return new OpsError(`${what}: not found`);
  return new OpsError(`${what}: ${err.message ?? String(e)}`);
}

export async function listEnvironments(c: Connection, env?: string): Promise<Obj[]> {
  try {
    if (env) {
      const xr = await c.custom.getNamespacedCustomObject({ group: XR_GROUP, version: XR_VERSION, namespace: `payments-${env}`, plural: XR_PLURAL, name: env });
      return [xr as Obj];
    }
    const list = await c.custom.listClusterCustomObject({ group: XR_GROUP, version: XR_VERSION, plural: XR_PLURAL }) as { items: Obj[] };
    return list.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  } catch (e) {
    const code = (e as { code?: number }).code;
    const body = String((e as { body?: unknown }).body ?? '');
    if (code === 404 && env && !/the server could not find the requested resource/.test(body) && !/page not found/i.test(body)) {
      throw new OpsError(`no PaymentEnvironment "${env}" in namespace payments-${env}`);
    }
    if (code === 404) throw new OpsError(`the PaymentEnvironment API (${XR_PLURAL}.${XR_GROUP}) is not installed on ${c.server}: sync dist/platform first`);
    throw explain(e, c, 'list PaymentEnvironments');
  }
}

/**
 * The composed resources each XR references, fetched with one list per kind: in the XR's
 * namespace for one environment, across namespaces for several (a kind listed once for all
 * environments, not once per environment: the drift listener refreshes every 30 s).
 */
export async function composedResourcesOf(c: Connection, xrs: Obj[]): Promise<Obj[][]> {
  const kinds = [...new Set(xrs.flatMap((xr) => refsOf(xr).map((r) => `${r.apiVersion}|${r.kind}`)))].sort();
  const namespace = xrs.length === 1 ? xrs[0].metadata.namespace : undefined;
  const byKey = new Map<string, Obj>();
  await Promise.all(kinds.map(async (k) => {
    const [apiVersion, kind] = k.split('|');
    try {
      const list = await c.objects.list(apiVersion, kind, namespace);
      for (const o of list.items as Obj[]) byKey.set(`${k}|${o.metadata.namespace}|${o.metadata.name}`, o);
    } catch (e) {
      throw explain(e, c, `list ${kind}${namespace ? ` in ${namespace}` : ''}`);
    }
  }));
  return composedOf(xrs, (apiVersion, kind, namespace, name) => byKey.get(`${apiVersion}|${kind}|${namespace}|${name}`));
}

/** The resources each XR references (spec.crossplane.resourceRefs), from get; one not found is marked status.missing. */
export function composedOf(xrs: Obj[], get: (apiVersion: string, kind: string, namespace: string | undefined, name: string) => Obj | undefined): Obj[][] {
  return xrs.map((xr) => refsOf(xr).map((r) => get(r.apiVersion, r.kind, xr.metadata.namespace, r.name) ?? {
    apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: xr.metadata.namespace }, status: { missing: true },
  }));
}

/** The managed resources an XR composes, as Crossplane records them. */
export const refsOf = (xr: Obj): { apiVersion: string; kind: string; name: string }[] => xr.spec?.crossplane?.resourceRefs ?? [];

export function condition(o: Obj, type: string): { status: string; reason?: string; message?: string; lastTransitionTime?: string } | undefined {
  return (o.status?.conditions ?? []).find((c: { type: string }) => c.type === type);
}

export const resourceName = (o: Obj) => o.metadata.annotations?.[RESOURCE_NAME_ANNOTATION] ?? o.metadata.name;
