// The drift listener: reads each environment's drift queue (composition/events.ts), decides
// with match.ts, and asks the provider to reconcile exactly the managed resource an AWS change
// touched (an annotation change: crossplane-runtime's managed reconciler reconciles on any, and
// v2.3+ names crossplane.io/reconcile-requested-at for it). What no managed resource owns is
// recorded as an UnmanagedChange event on the environment, and so is what a provider created
// that no managed resource came to own (it died before it recorded the id, then created again).
// Bad input never stops it: every message ends counted (metrics) and, where it concerns an
// environment, as a Kubernetes event.
import { ReceiveMessageCommand, DeleteMessageCommand, SQSClient, Message } from '@aws-sdk/client-sqs';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { ACCOUNT_ANNOTATION, RECONCILE_ANNOTATION } from '../composition/resource';
import { deployerRoleArn, SETTINGS } from '../platform';
import { Connection, Obj } from '../ops/kube';
import { ClusterCache } from './cache';
import { Metrics } from './metrics';
import { ChangeEvent, decide, Decision, Index, LISTENER_EVENT, parseEvent, Pending, Seen, settle, Target } from './match';

/** Who the listener's Kubernetes events come from (`payenv drift` reads them). */
export const COMPONENT = 'paymentenv-drift-listener';

export interface Options {
  /** Seconds between refreshes of the environments and their managed resources. */
  readonly refreshSeconds: number;
  /** Assume each environment's listener role (in-cluster); false: the ambient credentials (a local emulator). */
  readonly assumeRoles: boolean;
  readonly log: (line: string) => void;
}

interface Queue { readonly env: string; readonly url: string; readonly client: SQSClient }

const PENDING_LIMIT = 10_000;

export class Listener {
  readonly metrics = new Metrics();
  private readonly seen = new Seen();
  private index = new Index([], new Map());
  private queues = new Map<string, Queue>();
  private xrs = new Map<string, Obj>();
  private stopped = false;
  private refreshedAt = 0;
  /** The providers' creates not yet owned by a managed resource (bounded; a restart forgets them). */
  private pending: Pending[] = [];

  private readonly cache: ClusterCache;

  constructor(private readonly c: Connection, private readonly opts: Options) {
    this.cache = new ClusterCache(c, opts.log);
  }

  /** Environments, their queues and every managed resource they own, from the informers' cache. */
  async refresh(): Promise<void> {
    const invs = await this.cache.inventory();
    this.refreshedAt = Date.now();
    const envsByAccount = new Map<string, string[]>();
    const next = new Map<string, Queue>();
    const deployers = new Map<string, string>();
    const xrs = new Map<string, Obj>();
    for (const inv of invs) {
      const account = inv.xr.metadata.annotations?.[ACCOUNT_ANNOTATION] ?? SETTINGS.awsAccountId;
      deployers.set(deployerRoleArn(inv.env, account), inv.env);
      envsByAccount.set(account, [...(envsByAccount.get(account) ?? []), inv.env]);
      xrs.set(inv.env, inv.xr);
      const url: string | undefined = inv.xr.status?.driftEvents?.queueUrl;
      if (!url) continue;
      const known = this.queues.get(inv.env);
      if (known?.url === url) next.set(inv.env, known);
      else {
        next.set(inv.env, { env: inv.env, url, client: this.client(inv.xr, account) });
        this.opts.log(`reading ${inv.env} drift events from ${url}`);
      }
    }
    this.queues = next;
    this.xrs = xrs;
    this.index = new Index(invs.flatMap((inv) => inv.resources.map((r) => ({ env: inv.env, obj: r.obj }))), envsByAccount, deployers);
  }

  private client(xr: Obj, account: string): SQSClient {
    const region = xr.spec?.region ?? 'us-east-1';
    if (!this.opts.assumeRoles) return new SQSClient({ region });
    const roleArn = `arn:aws:iam::${account}:role/${SETTINGS.environmentListenerRoleName(xr.metadata.name)}`;
    return new SQSClient({ region, credentials: fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: COMPONENT }, clientConfig: { region } }) });
  }

  /** Runs until stop(): one long-poll loop per queue, the inventory refreshed every refreshSeconds. */
  async run(): Promise<void> {
    const polling = new Map<string, Promise<void>>();
    while (!this.stopped) {
      try {
        await this.refresh();
        await this.reportOrphans();
      } catch (e) {
        this.metrics.refreshErrors.inc();
        this.opts.log(`refresh failed: ${(e as Error).message}`);
      }
      for (const q of this.queues.values()) {
        if (!polling.has(q.env)) polling.set(q.env, this.poll(q.env).finally(() => polling.delete(q.env)));
      }
      await sleepUnless(() => this.stopped, this.opts.refreshSeconds * 1000);
    }
    await Promise.all(polling.values());
  }

  /** What the providers created and no managed resource owns once its kind is Ready: unmanaged, with the runbook. */
  async reportOrphans(now = Date.now()): Promise<void> {
    const { orphans, keep } = settle(this.pending, this.index, now);
    this.pending = keep;
    for (const o of orphans) {
      this.metrics.orphans.inc({ env: o.env });
      this.opts.log(`${o.env}: ${o.event.eventName} by ${o.event.principal} made what no managed resource owns: ${o.ids.join(', ')}`);
      await this.record(o.env, o.event, o.ids,
        'created what no managed resource owns (a provider that died mid-create, then created again: docs/operations.md#when-a-provider-died-mid-create)');
    }
  }

  stop(): void {
    this.stopped = true;
    this.cache.stop();
  }

  private async poll(env: string): Promise<void> {
    let backoff = 1000;
    while (!this.stopped) {
      const q = this.queues.get(env);
      if (!q) return; // the environment is gone
      try {
        const got = await q.client.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }));
        backoff = 1000;
        for (const m of got.Messages ?? []) await this.handle(q, m);
      } catch (e) {
        // An unreachable queue (or its key) is counted and retried; the poll covers the meantime.
        this.metrics.queueErrors.inc({ env });
        this.opts.log(`${env}: receive from ${q.url} failed: ${(e as Error).message}`);
        await sleepUnless(() => this.stopped, backoff);
        backoff = Math.min(backoff * 2, 60_000);
      }
    }
  }

  /** One message: decided, acted on, deleted; left for redelivery (then the DLQ) only when acting failed. */
  async handle(q: Pick<Queue, 'env' | 'url' | 'client'>, m: Message): Promise<Decision> {
    const parsed = parseEvent(m.Body ?? '');
    let d = decide(parsed, this.index, this.seen);
    // A resource created since the last refresh is not indexed yet: look again before calling it
    // unmanaged (at most every few seconds, so a burst of unmanaged changes rebuilds the index once).
    if (d.kind === 'unmanaged') {
      if (Date.now() - this.refreshedAt > 5000) await this.refresh().catch(() => undefined);
      d = decide(parsed, this.index, new Seen());
    }
    this.metrics.events.inc({ env: q.env, decision: d.kind });
    try {
      await this.act(d);
      await q.client.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
    } catch (e) {
      this.metrics.actErrors.inc({ env: q.env });
      this.opts.log(`${q.env}: ${describe(d)}: ${(e as Error).message}`);
    }
    return d;
  }

  private async act(d: Decision): Promise<void> {
    this.opts.log(describe(d));
    if (d.kind === 'reconcile') {
      for (const t of d.targets) await this.requestReconcile(t, d.event);
      if (d.unmanaged.length) await this.record(d.targets[0].env, d.event, d.unmanaged);
    } else if (d.kind === 'unmanaged' && d.env) {
      await this.record(d.env, d.event, d.unmanaged);
    } else if (d.kind === 'created') {
      this.pending.push({ env: d.env, event: d.event, ids: d.ids, seenAt: Date.now() });
      if (this.pending.length > PENDING_LIMIT) {
        this.metrics.pendingDropped.inc(this.pending.length - PENDING_LIMIT);
        this.pending = this.pending.slice(-PENDING_LIMIT);
      }
    }
  }

  private async requestReconcile(t: Target, e: ChangeEvent): Promise<void> {
    const at = new Date().toISOString();
    await this.c.objects.patch(
      { apiVersion: t.apiVersion, kind: t.kind, metadata: { name: t.name, namespace: t.namespace, annotations: { [RECONCILE_ANNOTATION]: at } } },
      undefined, undefined, COMPONENT, undefined, 'application/merge-patch+json',
    );
    const eventTime = Date.parse(e.time);
    if (Number.isFinite(eventTime)) this.metrics.reconcileLatency.observe({ env: t.env }, Math.max(0, Date.now() - eventTime) / 1000);
    await this.event(t.namespace, { apiVersion: t.apiVersion, kind: t.kind, name: t.name }, 'Normal', LISTENER_EVENT.reconcile,
      `${e.eventName} by ${e.principal || 'unknown'} at ${e.time}: reconcile requested`, e.id);
  }

  private async record(env: string, e: ChangeEvent, ids: string[], what = 'changed what no managed resource describes'): Promise<void> {
    const xr = this.xrs.get(env);
    if (!xr) return;
    await this.event(xr.metadata.namespace!, { apiVersion: xr.apiVersion, kind: xr.kind, name: xr.metadata.name, uid: xr.metadata.uid }, 'Warning', LISTENER_EVENT.unmanaged,
      `${e.eventName} by ${e.principal || 'unknown'} at ${e.time} ${what}: ${ids.join(', ')}`, e.id);
  }

  private async event(namespace: string, involved: { apiVersion: string; kind: string; name: string; uid?: string }, type: string, reason: string, message: string, eventId: string) {
    const now = new Date();
    await this.c.core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { generateName: `${involved.name}.`, namespace, annotations: { [LISTENER_EVENT.awsEventIdAnnotation]: eventId } },
        involvedObject: { ...involved, namespace },
        type, reason, message: message.slice(0, 1024),
        firstTimestamp: now, lastTimestamp: now, count: 1,
        source: { component: COMPONENT }, reportingComponent: COMPONENT, reportingInstance: process.env.HOSTNAME ?? COMPONENT,
      },
    });
  }
}

export function describe(d: Decision): string {
  switch (d.kind) {
    case 'malformed': return `malformed: ${d.reason}`;
    case 'ignored': return `ignored ${d.event.eventName} (${d.event.id}): ${d.reason}`;
    case 'reconcile': return `reconcile ${d.targets.map((t) => `${t.env}/${t.kind}/${t.name}`).join(', ')} after ${d.event.eventName} by ${d.event.principal}`
      + (d.unmanaged.length ? `; unmanaged: ${d.unmanaged.join(', ')}` : '');
    case 'created': return `${d.env}: ${d.event.eventName} by Crossplane created ${d.ids.join(', ')}: checked once its kind is Ready`;
    case 'unmanaged': return `unmanaged change in ${d.env ?? '?'}: ${d.event.eventName} by ${d.event.principal}: ${d.unmanaged.join(', ')}`;
  }
}

async function sleepUnless(stop: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!stop() && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
}
