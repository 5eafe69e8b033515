// The listener's view of the cluster, kept by informers (list once, then watch) as a controller
// keeps its own: the PaymentEnvironments and every kind they compose, across namespaces. A refresh
// reads memory; the API server sees one watch per kind instead of a list per kind every 30 s.
import type * as k8s from '@kubernetes/client-node';
import { XR_API_VERSION, XR_KIND } from '../names';
import { Inventory, inventoryOf } from '../ops/inventory';
import { composedOf, Connection, explain, Obj, refsOf } from '../ops/kube';

// client-node is an ES module; Node >= 20.19 loads it with require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const client: typeof k8s = require('@kubernetes/client-node');

type Cache = k8s.Informer<k8s.KubernetesObject> & k8s.ObjectCache<k8s.KubernetesObject>;

/** A watch that fails (API server restarted, resourceVersion too old) starts again after this: list, then watch. */
const RESTART_MS = 5_000;

export class ClusterCache {
  private readonly informers = new Map<string, Promise<Cache>>();
  private stopped = false;

  constructor(private readonly c: Connection, private readonly log: (line: string) => void) {}

  /** Each environment with its composed resources, as the informers hold them now. */
  async inventory(): Promise<Inventory[]> {
    const xrs = ((await this.cache(XR_API_VERSION, XR_KIND)).list() as Obj[]).slice().sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const kinds = [...new Set(xrs.flatMap((xr) => refsOf(xr).map((r) => `${r.apiVersion}|${r.kind}`)))];
    const caches = new Map(await Promise.all(kinds.map(async (k) => [k, await this.cache(...(k.split('|') as [string, string]))] as const)));
    return inventoryOf(xrs, composedOf(xrs, (apiVersion, kind, namespace, name) => caches.get(`${apiVersion}|${kind}`)?.get(name, namespace) as Obj | undefined));
  }

  stop(): void {
    this.stopped = true;
    for (const p of this.informers.values()) p.then((i) => i.stop(), () => undefined);
  }

  /** The informer of a kind, started (its first list done) on first use. */
  private cache(apiVersion: string, kind: string): Promise<Cache> {
    const key = `${apiVersion}|${kind}`;
    let p = this.informers.get(key);
    if (!p) {
      p = this.start(apiVersion, kind);
      this.informers.set(key, p);
      p.catch(() => this.informers.delete(key)); // asked again at the next refresh
    }
    return p;
  }

  private async start(apiVersion: string, kind: string): Promise<Cache> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const resources = group
      ? await this.c.custom.getAPIResources({ group, version }).catch((e) => { throw explain(e, this.c, `discover ${apiVersion}`); })
      : await this.c.core.getAPIResources().catch((e) => { throw explain(e, this.c, `discover ${apiVersion}`); });
    const plural = resources.resources.find((r) => r.kind === kind && !r.name.includes('/'))?.name;
    if (!plural) throw explain({ code: 404 }, this.c, `${kind} in ${apiVersion}`);
    const path = group ? `/apis/${apiVersion}/${plural}` : `/api/${version}/${plural}`;
    let listed = false;
    let abandoned = false;
    const informer = client.makeInformer(this.c.kc, path, async () => {
      const list = await this.c.objects.list(apiVersion, kind);
      listed = true;
      return list;
    }) as Cache;
    const restart = () => setTimeout(() => {
      if (!this.stopped && !abandoned) informer.start().catch(restart);
    }, RESTART_MS);
    informer.on('error', (e) => {
      if (this.stopped || abandoned) return;
      this.log(`watch of ${plural}.${apiVersion} ended (${(e as Error)?.message ?? e}); listing again in ${RESTART_MS / 1000} s`);
      restart();
    });
    await informer.start();
    // client-node reports a failed first list as an error event, not by rejecting: an informer that
    // never listed would read as "no such resources": it is dropped, and the next refresh starts another.
    if (!listed) {
      abandoned = true;
      await informer.stop();
      throw new Error(`list ${plural}.${apiVersion} failed`);
    }
    return informer;
  }
}
