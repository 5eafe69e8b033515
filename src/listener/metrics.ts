// The drift listener's /metrics, through prom-client (Prometheus' Node.js client).
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The listener's Prometheus metrics (prom-client): what became of each event, errors by kind, and
 * how long after AWS's own event time the reconcile was requested; plus Node's process metrics.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly prefix = 'paymentenv_drift_listener_';
  readonly events = new Counter({ name: `${this.prefix}events_total`, help: 'Events read from the drift queues, by environment and decision.', labelNames: ['env', 'decision'], registers: [this.registry] });
  readonly queueErrors = new Counter({ name: `${this.prefix}queue_errors_total`, help: 'Failed receives from an environment\'s drift queue (retried with backoff).', labelNames: ['env'], registers: [this.registry] });
  readonly actErrors = new Counter({ name: `${this.prefix}act_errors_total`, help: 'Events whose reconcile request or Kubernetes event failed (left for redelivery).', labelNames: ['env'], registers: [this.registry] });
  readonly refreshErrors = new Counter({ name: `${this.prefix}refresh_errors_total`, help: 'Failed refreshes of the environments and their managed resources.', registers: [this.registry] });
  readonly orphans = new Counter({ name: `${this.prefix}orphans_total`, help: 'What a provider created that no managed resource came to own.', labelNames: ['env'], registers: [this.registry] });
  readonly pendingDropped = new Counter({ name: `${this.prefix}pending_dropped_total`, help: 'Creates dropped from the orphan check at its size limit.', registers: [this.registry] });
  /** AWS's event time (CloudTrail eventTime) to the reconcile request: delivery plus the listener's own work. */
  readonly reconcileLatency = new Histogram({
    name: `${this.prefix}event_to_reconcile_request_seconds`, help: 'Seconds from the AWS API call (CloudTrail eventTime) to the reconcile request on its managed resource.',
    labelNames: ['env'], buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300], registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry }); // process_* and nodejs_*, unprefixed as usual
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
