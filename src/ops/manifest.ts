// `payenv manifest`: the deployed inventory per environment (every composed
// resource with kind, external name, ARN, endpoints, and the SSM parameters),
// in a stable order so two runs diff cleanly.
import { Inventory } from './inventory';

const ENDPOINT_FIELDS = ['endpoint', 'readerEndpoint', 'url', 'dnsName', 'invokeUrl', 'executionArn', 'domainName', 'regionalDomainName'];

export function manifest(invs: Inventory[]) {
  return {
    environments: invs.map((i) => ({
      name: i.env,
      namespace: i.xr.metadata.namespace,
      tier: i.xr.spec?.tier,
      region: i.xr.spec?.region,
      configHash: i.xr.metadata.annotations?.['paymentenv.io/config-hash'] ?? null,
      outputs: sortKeys({ ...i.xr.status, conditions: undefined }),
      parameters: Object.fromEntries(i.resources
        .filter((r) => r.obj.kind === 'Parameter')
        .map((r) => [r.obj.metadata.annotations?.['crossplane.io/external-name'] ?? r.name, r.obj.spec?.forProvider?.insecureValue ?? null])
        .sort(([a], [b]) => String(a).localeCompare(String(b)))),
      resources: i.resources.map((r) => {
        const at = r.obj.status?.atProvider ?? {};
        const endpoints = Object.fromEntries(ENDPOINT_FIELDS.filter((f) => typeof at[f] === 'string').map((f) => [f, at[f]]));
        return {
          name: r.name,
          area: r.area,
          apiVersion: r.obj.apiVersion,
          kind: r.obj.kind,
          object: r.obj.metadata.name,
          externalName: r.obj.metadata.annotations?.['crossplane.io/external-name'] ?? null,
          arn: at.arn ?? null,
          id: at.id ?? null,
          endpoints,
          ready: r.ready ?? 'Unknown',
        };
      }),
    })),
  };
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
